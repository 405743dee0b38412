package dev.caravan.core.engine;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;

/**
 * A run that ended without a result, naming the journal run it left: refused before it wrote anything (the run is
 * {@code ABORTED}, {@link #resumable()} false), or stopped on request ({@link MigrationEngine#requestStop()},
 * {@link MigrationEngine#stopRuns}, {@link MigrationEngine#close()}: the run stays unfinished, {@link #resumable()}
 * true, and the next run of the migration resumes it). Its kind and message are those of the refusal or the stop.
 */
public final class RunEndedException extends MigrationException {
    private static final long serialVersionUID = 1L;

    private final String runId;
    private final boolean resumable;

    RunEndedException(ErrorKind kind, String message, Throwable cause, String runId, boolean resumable) {
        super(kind, message, cause);
        this.runId = runId;
        this.resumable = resumable;
    }

    /** A refusal ({@code refused}, of a run it ended ABORTED or left unfinished) naming the run. */
    static RunEndedException refused(MigrationException refused, String runId, boolean resumable) {
        return new RunEndedException(refused.kind(), refused.getMessage(), refused, runId, resumable);
    }

    /** The journal run this run left: ABORTED, or unfinished when {@link #resumable()}. */
    public String runId() {
        return runId;
    }

    /** Whether the run stays unfinished in the journal: the next run of the migration (or {@code caravan resume}) continues it. */
    public boolean resumable() {
        return resumable;
    }
}
