package dev.caravan.core.engine;

import dev.caravan.api.journal.RunOutcome;
import dev.caravan.api.verify.VerificationReport;
import dev.caravan.core.plan.Mode;
import dev.caravan.core.plan.PlanSummary;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * How a run ended, with everything a report needs.
 *
 * @param runId         journal id of the run
 * @param migrationId   deterministic id of the migration
 * @param name          the migration's name
 * @param outcome       complete, failed, verification failed, aborted, or stopped at a limit of the command
 * @param resumed       whether an unfinished run was taken up
 * @param mode          copy, sync or move (what {@code deleted} counts)
 * @param plan          what was planned in this run
 * @param copied        objects transferred by this run
 * @param bytesCopied   bytes of the objects this run copied
 * @param bytesResumed  of those, the bytes an interrupted run had sent already (parts of a multipart upload, the
 *                      start of a partial file), which this run did not send again
 * @param deleted       objects deleted by this run: from the target (sync) or, once copied, from the source (move)
 * @param preserved     target objects this run kept in its backup dir before deleting or overwriting them
 *                      ({@code --backup-dir}; those an interrupted attempt had kept included)
 * @param failed        tasks that failed
 * @param alreadyDone   planned tasks found done in the journal and skipped, and deletions an interrupted process of
 *                      the run did without recording them, found done when the run went on
 * @param verification  per-object verification results of this run
 * @param startedAt     start
 * @param duration      wall time
 * @param errors        first error messages (bounded)
 * @param warnings      what the listings noted and the run went on with (archived objects, entries left out)
 * @param reportJson    the JSON report, or {@code null} if none was written
 * @param reportHtml    the HTML report, or {@code null}
 */
public record RunResult(String runId, String migrationId, String name, RunOutcome outcome, boolean resumed,
        Mode mode, PlanSummary plan, long copied, long bytesCopied, long bytesResumed, long deleted, long preserved,
        long failed, long alreadyDone, VerificationReport verification, Instant startedAt, Duration duration, List<String> errors,
        List<String> warnings, Path reportJson, Path reportHtml) {

    public RunResult {
        errors = List.copyOf(errors);
        warnings = List.copyOf(warnings);
    }

    /** The exit code of a command that stopped at a limit it set, with nothing failed: {@value}. */
    public static final int EXIT_LIMIT_REACHED = 3;

    /**
     * 0 when complete and verified, {@value #EXIT_LIMIT_REACHED} when a limit of the command stopped it with nothing
     * failed (unfinished: the same command continues it), 1 otherwise (failed, mismatch, refused after the run started).
     */
    public int exitCode() {
        return outcome == RunOutcome.COMPLETE ? 0 : outcome == RunOutcome.LIMIT_REACHED ? EXIT_LIMIT_REACHED : 1;
    }

    /** Average bytes per second this run sent (bytes resumed from an interrupted run are not counted). */
    public double throughput() {
        double s = duration.toMillis() / 1000.0;
        long sent = bytesCopied - bytesResumed;
        return s <= 0 ? sent : sent / s;
    }
}
