package dev.caravan.api.store;

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
