package dev.caravan.application.model;

/** The phases of an application cutover that take phase hooks ({@code hooks: {warm: {pre, post}, ...}}). */
public enum Phase {
    /** Bulk copy of every data step while the application runs. */
    WARM,
    /** After the freeze: only what changed since the warm phase. */
    FINAL,
    /** Verification of every step. */
    VERIFY;

    public String key() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
