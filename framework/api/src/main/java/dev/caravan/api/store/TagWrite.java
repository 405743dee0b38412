package dev.caravan.api.store;

import java.util.Map;

/**
 * Sets the tags of an existing object without sending its bytes again and without touching its other attributes
 * (S3 PutObjectTagging, Azure Set Blob Tags; neither changes the object's modification time or ETag): what a rerun
 * does when the source's tags changed. {@link AttributeWrite} leaves tags alone. Fallback when absent: copy the
 * object again (its bytes go through Caravan).
 */
public interface TagWrite extends StoreCapability {
    /**
     * Replaces all tags of the object at {@code key} with {@code tags} (keys it lacks are removed; empty removes every
     * tag). Idempotent; fails with NOT_FOUND when there is no such object.
     */
    void replaceTags(String key, Map<String, String> tags);
}
