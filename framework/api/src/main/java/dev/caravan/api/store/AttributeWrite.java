package dev.caravan.api.store;

/**
 * Sets the descriptive attributes of an existing object without sending its bytes again: what a rerun does when the
 * source's content type, content headers, user metadata or modification time changed while its bytes did not.
 * Fallback when absent: copy the object again (its bytes go through Caravan).
 */
public interface AttributeWrite extends StoreCapability {
    /**
     * Replaces the content type, the content headers and the user metadata of the object at {@code key} with those of
     * {@code attributes} (headers and metadata keys it lacks are removed; a {@code null} content type leaves the
     * store's default), and its kept modification time with {@link PutRequest#modTime()} when the store keeps one.
     * What the store keeps for itself (Caravan's stored SHA-256, server-side timestamps) stays; tags, size and
     * POSIX mode are ignored. Idempotent; fails with NOT_FOUND when there is no such object, and with TRANSIENT when
     * the object changed while it was updated.
     */
    void replaceAttributes(String key, PutRequest attributes);
}
