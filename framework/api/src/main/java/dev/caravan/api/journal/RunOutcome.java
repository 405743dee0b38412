package dev.caravan.api.journal;

/** How a run ended. */
public enum RunOutcome {
    /** Every task done and verified. */
    COMPLETE,
    /** At least one task failed. */
    FAILED,
    /** Everything ran but verification found a mismatch. */
    VERIFICATION_FAILED,
    /** Refused before any write (a guard such as maxDelete), or stopped on request. */
    ABORTED
}
