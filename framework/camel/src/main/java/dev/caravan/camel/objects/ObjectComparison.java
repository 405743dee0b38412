package dev.caravan.camel.objects;

import dev.caravan.api.store.ObjectInfo;
import dev.caravan.api.store.ObjectStore;
import dev.caravan.core.plan.Compare;
import java.time.Duration;

/**
 * Decides whether a target object is up to date with its source object, by {@link Compare} mode. Modification
 * times are compared within the coarser precision of the two stores; a store without times falls back to size.
 */
final class ObjectComparison {
    private final Compare compare;
    private final ObjectStore source;
    private final ObjectStore target;
    private final Duration tolerance;

    ObjectComparison(Compare compare, ObjectStore source, ObjectStore target) {
        this.compare = compare;
        this.source = source;
        this.target = target;
        Duration a = source.features().modTimePrecision();
        Duration b = target.features().modTimePrecision();
        this.tolerance = a == null || b == null ? null : (a.compareTo(b) >= 0 ? a : b);
    }

    /** Why the two differ, or {@code null} when the target is up to date. */
    String difference(ObjectInfo s, ObjectInfo t) {
        if (s.size() < 0 || t.size() < 0 || s.size() != t.size()) {
            return "size " + s.size() + " != " + t.size();
        }
        switch (compare) {
            case SIZE:
                return null;
            case CHECKSUM: {
                String a = Hashing.sha256Of(source, s);
                String b = Hashing.sha256Of(target, t);
                return a.equalsIgnoreCase(b) ? null : "sha256 " + a + " != " + b;
            }
            default: {
                if (tolerance == null || s.modTime() == null || t.modTime() == null) {
                    return null;
                }
                Duration delta = Duration.between(s.modTime(), t.modTime()).abs();
                return delta.compareTo(tolerance) <= 0 ? null : "modified " + s.modTime() + " != " + t.modTime();
            }
        }
    }
}
