package dev.caravan.api.store;

import java.time.Duration;
import java.util.EnumSet;
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
 * @param keeps              which descriptive attributes {@link ObjectStore#put} keeps (and {@code stat} reports);
 *                           a copy reports the others as not carried over. Empty for stores that keep none.
 */
public record StoreFeatures(
        Set<HashType> hashes,
        Duration modTimePrecision,
        boolean keepsModTime,
        boolean keepsPosixMode,
        boolean atomicPut,
        boolean caseInsensitive,
        Set<MetadataKind> keeps) {

    /** Every kind of {@link MetadataKind}. */
    public static final Set<MetadataKind> ALL_METADATA = Set.copyOf(EnumSet.allOf(MetadataKind.class));

    public StoreFeatures {
        hashes = hashes == null ? Set.of() : Set.copyOf(hashes);
        keeps = keeps == null ? Set.of() : Set.copyOf(keeps);
    }

    /** A store that keeps no descriptive attributes (no content type, headers, user metadata or tags). */
    public StoreFeatures(Set<HashType> hashes, Duration modTimePrecision, boolean keepsModTime, boolean keepsPosixMode,
            boolean atomicPut, boolean caseInsensitive) {
        this(hashes, modTimePrecision, keepsModTime, keepsPosixMode, atomicPut, caseInsensitive, Set.of());
    }

    /** Whether {@link ObjectStore#put} keeps attributes of {@code kind}. */
    public boolean keeps(MetadataKind kind) {
        return keeps.contains(kind);
    }

    /** These features with {@code kinds} as the kept descriptive attributes. */
    public StoreFeatures keeping(Set<MetadataKind> kinds) {
        return new StoreFeatures(hashes, modTimePrecision, keepsModTime, keepsPosixMode, atomicPut, caseInsensitive,
                kinds);
    }
}
