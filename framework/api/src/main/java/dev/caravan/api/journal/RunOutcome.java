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
    ABORTED,
    /**
     * Stopped before its end by a limit the command set (a max transfer or max duration), with nothing failed: the run
     * stays unfinished in the journal, and the same command continues it. Never stored as a run's outcome.
     */
    LIMIT_REACHED
}
