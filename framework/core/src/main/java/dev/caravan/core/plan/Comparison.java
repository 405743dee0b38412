package dev.caravan.core.plan;

import dev.caravan.api.store.HashType;
import dev.caravan.api.store.ObjectInfo;
import dev.caravan.api.store.StoreFeatures;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;

/** Builds the "are these two objects the same?" test of a {@link Compare} mode. */
public final class Comparison {
    private Comparison() {
    }

    /**
     * @param compare    the mode
     * @param source     features of the source store
     * @param target     features of the target store
     * @param sourceHash SHA-256 of a source object (stored, else computed)
     * @param targetHash SHA-256 of a target object (stored, else computed)
     * @return a function giving the reason two objects differ, or {@code null} when they are the same
     */
    public static BiFunction<ObjectInfo, ObjectInfo, String> of(Compare compare, StoreFeatures source,
            StoreFeatures target, Function<ObjectInfo, String> sourceHash, Function<ObjectInfo, String> targetHash) {
        Duration precision = coarser(source.modTimePrecision(), target.modTimePrecision());
        return (s, t) -> {
            if (s.size() >= 0 && t.size() >= 0 && s.size() != t.size()) {
                return "size " + s.size() + " on source, " + t.size() + " on target";
            }
            return switch (compare) {
                case SIZE -> null;
                case SIZE_MTIME -> {
                    if (s.modTime() == null || t.modTime() == null || precision == null
                            || Duration.between(s.modTime(), t.modTime()).abs().compareTo(precision) <= 0) {
                        // the same time (whole seconds on S3) is no proof when the stores' digests disagree
                        yield differentDigests(s, t);
                    }
                    yield sameDigest(s, t) ? null
                            : "modified " + s.modTime() + " on source, " + t.modTime() + " on target";
                }
                case CHECKSUM -> {
                    String a = sourceHash.apply(s);
                    String b = targetHash.apply(t);
                    yield Objects.equals(a, b) ? null : "sha256 " + a + " on source, " + b + " on target";
                }
            };
        };
    }

    /**
     * Whether both objects carry the same digest of one kind, as their stores report them (S3's MD5 ETag of a HEAD,
     * Azure's Content-MD5, our stored SHA-256): then their times differ but not their bytes, and copying again would
     * change nothing. The case of objects that no Caravan copy gave a kept time (written by another tool, or copied
     * server-side from such an object): planned from another home, each would be copied again on every run.
     */
    static boolean sameDigest(ObjectInfo s, ObjectInfo t) {
        for (HashType type : new HashType[] {HashType.SHA256, HashType.MD5}) {
            Optional<String> a = s.hash(type);
            if (a.isPresent() && a.get().equalsIgnoreCase(t.hash(type).orElse(""))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Why the two objects hold other bytes, when both stores report digests of one kind and no kind agrees (e.g.
     * {@code md5 A on source, B on target}); {@code null} when a digest agrees or none can be compared. A source
     * rewritten within the second of the target's time has the same listed size and time, but not the same digest.
     */
    static String differentDigests(ObjectInfo s, ObjectInfo t) {
        if (sameDigest(s, t)) {
            return null;
        }
        for (HashType type : new HashType[] {HashType.SHA256, HashType.MD5}) {
            Optional<String> a = s.hash(type);
            Optional<String> b = t.hash(type);
            if (a.isPresent() && b.isPresent()) {
                return type.name().toLowerCase(java.util.Locale.ROOT) + " " + a.get() + " on source, " + b.get()
                        + " on target";
            }
        }
        return null;
    }

    static Duration coarser(Duration a, Duration b) {
        if (a == null || b == null) {
            return a == null ? b : a;
        }
        return a.compareTo(b) >= 0 ? a : b;
    }
}
