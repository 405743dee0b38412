package dev.caravan.core.engine;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import dev.caravan.api.store.AttributeWrite;
import dev.caravan.api.store.ObjectInfo;
import dev.caravan.api.store.ObjectStore;
import dev.caravan.api.store.PutRequest;
import dev.caravan.api.store.TagWrite;
import dev.caravan.core.metadata.MetadataMapping;
import dev.caravan.core.plan.AttributeComparison;
import dev.caravan.core.plan.Compare;
import java.util.Map;
import java.util.Optional;

/**
 * Carries out a planned {@link dev.caravan.core.plan.PlannedTask#METADATA} task: gives the target's object, which
 * has the source's bytes, the source's descriptive attributes as a copy would write them ({@link MetadataMapping})
 * and its modification time, through the target's {@link AttributeWrite}, so no byte goes through Caravan; when both
 * stores keep tags and the target's differ, they are set through its {@link TagWrite}. Fallback: {@link #update}
 * returns {@code null} when the target has no such capability (nor {@link TagWrite} where tags are to be set) or its
 * object no longer has the source's size, and the caller copies the object. Thread-safe.
 */
final class AttributeUpdate {
    private final ObjectStore source;
    private final ObjectStore target;
    private final MetadataMapping mapping;
    private final Optional<AttributeWrite> writer;
    /** The target's tag writer where both stores keep tags, else empty (tags are then left as they are). */
    private final Optional<TagWrite> tagWriter;
    private final boolean bothKeepTags;
    /** Whether attributes other than tags differ; tags-only changes then leave the object itself untouched. */
    private final AttributeComparison.Check others;

    /**
     * @param compare the run's comparison: a {@code checksum} run compares no times, so a tag update alone does not
     *                rewrite the object for a time that differs; the other modes compare them
     */
    AttributeUpdate(ObjectStore source, ObjectStore target, MetadataMapping mapping, Compare compare) {
        this.source = source;
        this.target = target;
        this.mapping = mapping;
        this.writer = target.capability(AttributeWrite.class);
        this.bothKeepTags = AttributeComparison.comparesTags(source.features(), target.features());
        this.tagWriter = bothKeepTags ? target.capability(TagWrite.class) : Optional.empty();
        this.others = AttributeComparison.of(compare == Compare.CHECKSUM ? Compare.CHECKSUM : Compare.SIZE_MTIME,
                mapping, source.features(), target.features());
    }

    /**
     * Updates the attributes of {@code targetKey} from the source object {@code key}; returns the outcome (nothing
     * transferred, the attributes left out noted), or {@code null} when the object has to be copied instead.
     */
    TransferOutcome update(String key, String targetKey) {
        if (writer.isEmpty()) {
            return null;
        }
        ObjectInfo src = source.stat(key).orElseThrow(() -> new MigrationException(ErrorKind.NOT_FOUND,
                "source object " + key + " disappeared after planning"));
        Optional<ObjectInfo> existing = target.stat(targetKey);
        if (existing.isEmpty() || src.size() < 0 || existing.get().size() != src.size()) {
            return null; // changed since the plan: a copy decides
        }
        MetadataMapping.Mapped mapped = mapping.map(src);
        PutRequest request = mapped.request();
        Map<String, String> tags = bothKeepTags
                ? AttributeComparison.tagsToWrite(request.tags(), existing.get().tags()) : null;
        if (tags != null && tagWriter.isEmpty()) {
            return null; // the tags cannot be set alone: a copy writes them
        }
        if (!target.features().keepsModTime()) {
            request = new PutRequest(request.size(), null, request.contentType(), request.metadata(),
                    request.posixMode(), request.headers(), request.tags());
        }
        if (tags == null || others.why(src, existing.get(), false) != null) {
            // not for tags alone: on S3 replacing attributes is a CopyObject onto itself (a new Last-Modified)
            writer.get().replaceAttributes(targetKey, request);
        }
        if (tags != null) {
            tagWriter.get().replaceTags(targetKey, tags);
        }
        return new TransferOutcome(src.size(), null, null, false).withMetadata(mapped.notes());
    }
}
