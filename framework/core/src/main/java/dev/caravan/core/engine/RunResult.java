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
 * @param resumed       whether an unfinished run was taken up: one an earlier command left (interrupted, stopped at a
 *                      limit, or workers that all stopped), not one this worker joined
 * @param joined        whether this worker joined a run shared with other workers ({@code --worker}) that another
 *                      worker had started and was at work on (planning it, or holding a partition); never with
 *                      {@code resumed}
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
 * @param warnings      what the run noted and went on with (archived objects, entries left out, uploads it could
 *                      not abort); of a shared run, those of every worker that the journal had when this one ended
 * @param reportJson    the JSON report, or {@code null} if none was written
 * @param reportHtml    the HTML report, or {@code null}
 */
public record RunResult(String runId, String migrationId, String name, RunOutcome outcome, boolean resumed,
        boolean joined, Mode mode, PlanSummary plan, long copied, long bytesCopied, long bytesResumed, long deleted, long preserved,
        long failed, long alreadyDone, VerificationReport verification, Instant startedAt, Duration duration, List<String> errors,
        List<String> warnings, Path reportJson, Path reportHtml) {

    public RunResult {
        errors = List.copyOf(errors);
        warnings = List.copyOf(warnings);
    }

    /** This result with {@code warnings} instead of its own. */
    public RunResult withWarnings(List<String> warnings) {
        return new RunResult(runId, migrationId, name, outcome, resumed, joined, mode, plan, copied, bytesCopied,
                bytesResumed, deleted, preserved, failed, alreadyDone, verification, startedAt, duration, errors,
                warnings, reportJson, reportHtml);
    }

    /** This result with the paths of its reports. */
    public RunResult withReports(Path json, Path html) {
        return new RunResult(runId, migrationId, name, outcome, resumed, joined, mode, plan, copied, bytesCopied,
                bytesResumed, deleted, preserved, failed, alreadyDone, verification, startedAt, duration, errors,
                warnings, json, html);
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
