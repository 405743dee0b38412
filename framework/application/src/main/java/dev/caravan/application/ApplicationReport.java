package dev.caravan.application;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.caravan.api.error.MigrationException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How an application run ended: each step with its phase figures, verification verdict and compensation; every
 * hook that ran; the failing point; what the rollback did. {@link #toJson()} and {@link #toText()} render it; the
 * run writes both into its run directory ({@code report.json}, {@code report.txt}).
 *
 * @param name          the application
 * @param runId         this run's id (also its directory name)
 * @param outcome       complete, rolled back, rollback incomplete, or invalid (refused before writing)
 * @param startedAt     start
 * @param duration      wall time, rollback included
 * @param steps         per step, in run order
 * @param hooks         every hook run, in order (compensating hooks included)
 * @param failedAt      the failing point ({@code step 'db' (final)}, {@code freeze hook #1}), or {@code null}
 * @param failingStep   the id of the failing step, or {@code null} when no step failed (a hook did, or nothing)
 * @param failure       the failure message, or {@code null}
 * @param compensations what the rollback did, in the order it ran
 * @param runDir        the run's directory (journal, backups, reports)
 * @param recovery      what this run did first about earlier runs of the application that were killed mid-cutover
 *                      (each rolled back: its compensations, in the order they ran); empty when there were none
 */
public record ApplicationReport(String name, String runId, Outcome outcome, Instant startedAt, Duration duration,
        List<StepReport> steps, List<HookReport> hooks, String failedAt, String failingStep, String failure,
        List<String> compensations, Path runDir, List<String> recovery) {

    /** The end of an application run. */
    public enum Outcome {
        /** Every step moved, verified, switched. */
        COMPLETE,
        /** A step, hook or verification failed; every completed step was compensated. */
        ROLLED_BACK,
        /** A step, hook or verification failed and at least one compensation failed: look at the target. */
        ROLLBACK_INCOMPLETE,
        /** Refused before anything was written (bad input, unsupported step). */
        INVALID
    }

    public ApplicationReport {
        steps = List.copyOf(steps);
        hooks = List.copyOf(hooks);
        compensations = List.copyOf(compensations);
        recovery = recovery == null ? List.of() : List.copyOf(recovery);
    }

    /** This report with the recovery of killed runs that preceded it. */
    ApplicationReport withRecovery(List<String> lines) {
        return new ApplicationReport(name, runId, outcome, startedAt, duration, steps, hooks, failedAt, failingStep,
                failure, compensations, runDir, lines);
    }

    /** 0 complete and verified; 1 failed (rolled back or not); 2 bad input refused before anything was written. */
    public int exitCode() {
        return switch (outcome) {
            case COMPLETE -> 0;
            case INVALID -> 2;
            default -> 1;
        };
    }

    /**
     * One step.
     *
     * @param id           step id
     * @param kind         files, database, config, vm
     * @param phases       figures per pass ({@code warm}, {@code final}; {@code complete}: clean-up after success)
     * @param verified     the verdict, or {@code null} when verification did not run
     * @param verification method and detail of the verdict
     * @param compensation what its compensation did, or {@code null} when it was not compensated
     */
    public record StepReport(String id, String kind, Map<String, Map<String, Object>> phases, Boolean verified,
            String verification, String compensation) {
    }

    /**
     * One hook that ran.
     *
     * @param point       where ({@code freeze}, {@code warm.pre}, {@code step db.post (final)}, {@code compensate})
     * @param description what it ran (secrets masked)
     * @param ok          whether it succeeded
     * @param millis      how long it took
     * @param output      its output or error (truncated)
     */
    public record HookReport(String point, String description, boolean ok, long millis, String output) {
    }

    /** The report as a JSON-ready map. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("application", name);
        m.put("runId", runId);
        m.put("outcome", outcome.name());
        m.put("exitCode", exitCode());
        m.put("startedAt", startedAt.toString());
        m.put("durationMs", duration.toMillis());
        m.put("failedAt", failedAt);
        m.put("failingStep", failingStep);
        m.put("failure", failure);
        List<Object> s = new ArrayList<>();
        for (StepReport r : steps) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("id", r.id());
            x.put("kind", r.kind());
            x.put("phases", r.phases());
            x.put("verified", r.verified());
            x.put("verification", r.verification());
            x.put("compensation", r.compensation());
            s.add(x);
        }
        m.put("steps", s);
        List<Object> h = new ArrayList<>();
        for (HookReport r : hooks) {
            h.add(Map.of("point", r.point(), "hook", r.description(), "ok", r.ok(), "ms", r.millis(), "output",
                    r.output() == null ? "" : r.output()));
        }
        m.put("hooks", h);
        m.put("compensations", compensations);
        m.put("recovery", recovery);
        m.put("runDir", runDir == null ? null : runDir.toString());
        return m;
    }

    public String toJson() {
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(toMap());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A readable summary: one block per step, the hooks, the failure and the rollback. */
    public String toText() {
        StringBuilder b = new StringBuilder();
        b.append("application ").append(name).append(" run ").append(runId).append(": ").append(outcome)
                .append(" (exit ").append(exitCode()).append(") in ").append(duration.toMillis()).append(" ms\n");
        if (!recovery.isEmpty()) {
            b.append("  recovery of killed run(s) before this one:\n");
            recovery.forEach(r -> b.append("    ").append(r).append('\n'));
        }
        for (StepReport r : steps) {
            b.append("  step ").append(r.id()).append(" [").append(r.kind()).append("]\n");
            r.phases().forEach((p, f) -> b.append("    ").append(p).append(": ").append(f).append('\n'));
            if (r.verified() != null) {
                b.append("    verify: ").append(r.verified() ? "MATCH" : "MISMATCH").append(" (")
                        .append(r.verification()).append(")\n");
            }
            if (r.compensation() != null) {
                b.append("    compensated: ").append(r.compensation()).append('\n');
            }
        }
        for (HookReport h : hooks) {
            b.append("  hook ").append(h.point()).append(": ").append(h.description()).append(h.ok() ? " ok" : " FAILED")
                    .append(" (").append(h.millis()).append(" ms)\n");
        }
        if (failedAt != null) {
            if (outcome == Outcome.INVALID) { // nothing was written: nothing to roll back
                b.append("  refused ").append(failedAt).append(": ").append(failure).append('\n');
            } else {
                b.append("  failed at ").append(failedAt).append(": ").append(failure).append('\n');
                b.append("  rollback (").append(compensations.size()).append(" compensation(s), reverse order):\n");
                compensations.forEach(c -> b.append("    ").append(c).append('\n'));
            }
        }
        if (runDir != null) {
            b.append("  run directory: ").append(runDir).append('\n');
        }
        return b.toString();
    }

    /** Writes {@code report.json} and {@code report.txt} into the run directory. */
    void write() {
        if (runDir == null) {
            return;
        }
        try {
            Files.createDirectories(runDir);
            Files.writeString(runDir.resolve("report.json"), toJson());
            Files.writeString(runDir.resolve("report.txt"), toText());
        } catch (IOException e) {
            throw MigrationException.userConfig("cannot write the report into " + runDir + ": " + e.getMessage());
        }
    }
}
