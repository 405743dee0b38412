package dev.caravan.core.engine;

import dev.caravan.api.journal.RunInfo;
import dev.caravan.api.journal.RunOutcome;
import dev.caravan.api.verify.VerificationReport;
import dev.caravan.core.plan.MigrationSpec;
import dev.caravan.core.plan.PlanSummary;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/** Running totals of one execution, shared by its transfer threads. Thread-safe. */
final class ExecutionStats {
    private static final int MAX_ERRORS = 100;

    final AtomicLong copied = new AtomicLong();
    final AtomicLong bytes = new AtomicLong();
    /** Bytes of copied objects that an interrupted run had sent already (resumed, not sent again). */
    final AtomicLong bytesResumed = new AtomicLong();
    final AtomicLong deleted = new AtomicLong();
    /** Target objects kept in the backup dir before they were deleted or overwritten ({@link Backups}). */
    final AtomicLong preserved = new AtomicLong();
    /** Deletions an interrupted process of the run did without recording them, found done ({@link StaleDeletions}). */
    final AtomicLong deletionsFoundDone = new AtomicLong();
    final AtomicLong failed = new AtomicLong();
    /** The failed tasks that were to copy or replace an object (the others delete). */
    final AtomicLong failedTransfers = new AtomicLong();
    final AtomicLong verificationFailures = new AtomicLong();
    /** Transfers of a sync that met a file/directory clash, tried once more after the deletions (not failed yet). */
    final AtomicLong deferredTransfers = new AtomicLong();
    /** Descriptive attributes of copied objects that were mapped, dropped by a rule or not kept by the target. */
    final AtomicLong metadataNotes = new AtomicLong();
    final VerificationReport verification = new VerificationReport(1000);
    /** The errors, one entry per distinct message, in the order first seen. */
    private final Map<String, ErrorGroup> errors = new LinkedHashMap<>();

    /** What the run itself noted and went on with, in the order noted (at most {@value #MAX_ERRORS}). */
    private final List<String> warnings = new ArrayList<>();

    /** Notes {@code warning} for the run's report ({@link RunResult#warnings()}). */
    synchronized void warn(String warning) {
        if (warnings.size() < MAX_ERRORS) {
            warnings.add(warning);
        }
    }

    /** An error not about one object ("deletions skipped because ..."). */
    synchronized void error(String message) {
        error(null, message);
    }

    /**
     * An object's error: {@code subject} says which ({@code COPY a/b.txt}), {@code message} what went wrong. The
     * objects that fail with the same message make one line, the first named and the others counted, so that a
     * run stopped by one cause (a changed host key, refused credentials) does not list it once per object in flight.
     */
    synchronized void error(String subject, String message) {
        ErrorGroup group = errors.get(message);
        if (group != null) {
            group.more++;
        } else if (errors.size() < MAX_ERRORS) {
            errors.put(message, new ErrorGroup(subject));
        }
    }

    /** One line per distinct error: {@code COPY a.txt: message (and 3 more objects failed the same way)}. */
    synchronized List<String> errors() {
        List<String> out = new ArrayList<>(errors.size());
        errors.forEach((message, g) -> out.add((g.subject == null ? "" : g.subject + ": ") + message + (g.more == 0
                ? "" : " (and " + g.more + (g.more == 1 ? " more object" : " more objects") + " failed the same way)")));
        return out;
    }

    /** What was {@link #warn noted} here so far, in order. */
    synchronized List<String> warnings() {
        return List.copyOf(warnings);
    }

    /**
     * The result of a run with these totals: {@code alreadyDone} planned tasks found done, {@code warnings} what the
     * run went on with (followed by those {@link #warn noted} here), the wall time counted from {@code started};
     * without reports yet. {@code joined}: a shared run this worker joined, which it did not resume.
     */
    RunResult result(RunInfo run, MigrationSpec spec, RunOutcome outcome, PlanSummary plan, long alreadyDone,
            Instant started, List<String> given, boolean joined) {
        List<String> warnings = new ArrayList<>(given);
        warnings.addAll(warnings());
        return new RunResult(run.runId(), spec.migrationId(), spec.name(), outcome, run.resumed() && !joined, joined,
                spec.mode(), plan,
                copied.get(), bytes.get(), bytesResumed.get(), deleted.get(), preserved.get(), failed.get(), alreadyDone, verification,
                started, Duration.between(started, Instant.now()), errors(), warnings, null, null);
    }

    private static final class ErrorGroup {
        final String subject;
        long more;

        ErrorGroup(String subject) {
            this.subject = subject;
        }
    }
}
