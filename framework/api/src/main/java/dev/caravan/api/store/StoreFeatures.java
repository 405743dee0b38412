package dev.caravan.api.store;

import java.time.Duration;
import java.util.Set;

/**
 * Fixed facts about a store, computed once when it is opened.
 *
 * @param hashes             digests the store can report without a download (see {@link ObjectInfo#hashes()})
 * @param modTimePrecision   precision of stored modification times, or {@code null} when it keeps none
 * @param keepsModTime       whether {@link ObjectStore#put} honours {@link PutRequest#modTime()}
 * @param keepsPosixMode     whether {@link ObjectStore#put} honours {@link PutRequest#posixMode()}
 * @param atomicPut          whether a put becomes visible only when complete (object stores). When false the
 *                           copy pipeline writes to a temporary key and renames it into place.
 * @param caseInsensitive    whether {@code a} and {@code A} name the same object
 */
public record StoreFeatures(
        Set<HashType> hashes,
        Duration modTimePrecision,
        boolean keepsModTime,
        boolean keepsPosixMode,
        boolean atomicPut,
        boolean caseInsensitive) {

    public StoreFeatures {
        hashes = hashes == null ? Set.of() : Set.copyOf(hashes);
    }
}
