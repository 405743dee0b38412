package dev.caravan.api.journal;

/** Life cycle of a task in the journal. */
public enum TaskState {
    /** Planned, not started. */
    PENDING,
    /** Begun; a crash leaves it here, and the next run takes it up again from its checkpoint. */
    RUNNING,
    /** Finished and verified; a rerun skips it. */
    DONE,
    /** Gave up after retries, or a non-retryable error; a rerun tries again. */
    FAILED,
    /** No longer needed (the target already matched when re-planned, or a guard refused it). */
    SKIPPED
}
