package dev.caravan.api.store;

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
}
