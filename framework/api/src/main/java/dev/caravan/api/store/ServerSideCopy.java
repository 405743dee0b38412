package dev.caravan.api.store;

import dev.caravan.api.error.MigrationException;
import java.util.Optional;

/**
 * Copies an object without its bytes passing through Caravan. Fallback when absent, or when {@link #copy}
 * throws {@link dev.caravan.api.error.ErrorKind#UNSUPPORTED} for a given pair: stream the bytes.
 */
public interface ServerSideCopy extends StoreCapability {
    /**
     * Copies {@code source} (an object of {@code from}, which may be another store of the same provider and
     * endpoint) to {@code targetKey} of this store. Idempotent: copying again overwrites.
     *
     * @return what the store knows about the new object
     */
    ObjectInfo copy(ObjectStore from, ObjectInfo source, String targetKey);

    /**
     * Copies as {@link #copy} does, but writes the descriptive attributes of {@code attributes} (content type,
     * content headers, user metadata, tags) in place of the source's: the copy of an object whose declared metadata
     * rules changed something. The source's modification time and stored digests travel as with {@link #copy}.
     * Throws {@link dev.caravan.api.error.ErrorKind#UNSUPPORTED} where the store cannot (the default): the caller
     * then streams that object, writing the attributes as a put would.
     *
     * @param attributes what to write instead of the source's descriptive attributes (its size and time unused)
     * @return what the store knows about the new object
     */
    default ObjectInfo copyWithAttributes(ObjectStore from, ObjectInfo source, String targetKey,
            PutRequest attributes) {
        throw MigrationException.unsupported("this store cannot copy server-side with other attributes");
    }

    /**
     * Copies as {@link #copy} does, or with {@code attributes} as {@link #copyWithAttributes} does when not
     * {@code null}; a copy the store makes in parts records its upload and parts in {@code journal}, continues the
     * upload it says an earlier attempt left, and stops before its next part when it says so (a copy made in one
     * request cannot be stopped). The default ignores {@code journal}.
     */
    default ObjectInfo copyResumably(ObjectStore from, ObjectInfo source, String targetKey, PutRequest attributes,
            PartCopyJournal journal) {
        return attributes == null ? copy(from, source, targetKey)
                : copyWithAttributes(from, source, targetKey, attributes);
    }

    /**
     * Copies {@code sourceKey} of {@code from} to {@code targetKey} knowing only what {@code from} saw of it when it
     * last listed it, without looking at the source first, when those facts make the copy conditional (an object
     * changed since is not copied) and its answer proves it. Empty when they cannot (not listed lately, too large
     * for one request, another endpoint): the caller then looks at the source and calls {@link #copy}. The listed
     * facts are used once: a retry of a failed attempt looks at the source.
     */
    default Optional<Copied> copyListed(ObjectStore from, String sourceKey, String targetKey) {
        return Optional.empty();
    }

    /**
     * A copy made from listed facts.
     *
     * @param source the source as it was listed (no descriptive attributes)
     * @param copy the new object as the copy's answer proves it
     */
    record Copied(ObjectInfo source, ObjectInfo copy) {
    }
}
