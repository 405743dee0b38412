package dev.caravan.camel.objects;

/** What the consumer found to do with one object. */
public enum DiffAction {
    /** Missing on the target. */
    COPY,
    /** On both sides but different. */
    REPLACE,
    /** On the target only (emitted in sync mode). */
    DELETE,
    /** Already up to date (never emitted). */
    SAME
}
