package dev.caravan.api.store;

/**
 * Moves an object to a new key inside the same store, atomically where the store allows it (POSIX rename).
 * The copy pipeline uses it to publish a verified temporary object. Fallback when absent: the store must have
 * {@link StoreFeatures#atomicPut()} and is written directly.
 */
public interface Rename extends StoreCapability {
    /** Replaces {@code toKey} (if it exists) by {@code fromKey}; afterwards {@code fromKey} no longer exists. */
    void rename(String fromKey, String toKey);
}
