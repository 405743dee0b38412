package dev.caravan.core.plan;

import dev.caravan.api.store.ObjectInfo;

/**
 * One key of a source/target comparison.
 *
 * @param kind   what the comparison found
 * @param source the source object, or {@code null} for {@link Kind#EXTRA} and {@link Kind#PARTIAL}
 * @param target the target object, or {@code null} for {@link Kind#NEW}
 * @param reason why it is not the same, for plans and reports
 */
public record DiffEntry(Kind kind, ObjectInfo source, ObjectInfo target, String reason) {

    /** Outcome of comparing one key. */
    public enum Kind {
        /** Only on the source. */
        NEW,
        /** On both, different. */
        CHANGED,
        /** On both, the same. */
        SAME,
        /** On both, the same bytes, but the target lacks the source's descriptive attributes or kept time. */
        METADATA,
        /** Only on the target. */
        EXTRA,
        /** A temporary object a killed run left on the target. */
        PARTIAL,
        /**
         * On both, not compared yet: only from a {@link Differ} built without a comparison, whose caller decides
         * (the planner, which may first ask the journal or complete quick listings).
         */
        PAIRED
    }

    public String key() {
        return source != null ? source.key() : target.key();
    }
}
