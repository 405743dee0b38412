package dev.caravan.application;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import dev.caravan.application.model.ApplicationSpec;
import dev.caravan.application.model.Hook;
import dev.caravan.application.model.Phase;
import dev.caravan.application.model.PlanParser;
import dev.caravan.application.model.Redaction;
import dev.caravan.application.model.Step;
import dev.caravan.core.registry.ConnectorRegistry;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The entry point of application migrations: load a plan file, then {@link #plan()} (dry run, nothing written) or
 * {@link #run()} (warm phase, freeze, final incremental pass, verification, switch; automatic rollback through a
 * Camel saga on any failure or mismatch).
 *
 * <pre>{@code
 * ApplicationMigration app = ApplicationMigration.load(Path.of("app.yaml"), ApplicationSettings.defaults());
 * System.out.print(app.plan().toText());
 * ApplicationReport report = app.run();
 * System.out.print(report.toText());
 * System.exit(report.exitCode());
 * }</pre>
 *
 * <p>An instance may run several times (each run has its own directory and journal), but not concurrently.
 */
public final class ApplicationMigration {
    private static final Logger LOG = LoggerFactory.getLogger(ApplicationMigration.class);
    private static final DateTimeFormatter RUN_ID = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS")
            .withZone(ZoneOffset.UTC);

    private final ApplicationSpec spec;
    private final ApplicationSettings settings;

    private ApplicationMigration(ApplicationSpec spec, ApplicationSettings settings) {
        this.spec = spec;
        this.settings = settings;
    }

    /**
     * Reads and checks a plan file.
     *
     * @throws MigrationException USER_CONFIG with {@code file:line:column} for bad input (exit code 2)
     */
    public static ApplicationMigration load(Path file, ApplicationSettings settings) {
        return new ApplicationMigration(new PlanParser(settings.variables()).parse(file), settings);
    }

    /** The parsed plan. */
    public ApplicationSpec spec() {
        return spec;
    }

    /** Dry run: each step's plan and preflight, the cutover sequence and a forecast; writes nothing. */
    public ApplicationPlan plan() {
        Path scratch;
        try {
            scratch = Files.createTempDirectory("caravan-app-plan");
        } catch (IOException e) {
            throw MigrationException.userConfig("cannot create a temporary directory: " + e.getMessage());
        }
        try (RunContext ctx = new RunContext(registry(), scratch, true)) {
            List<ApplicationPlan.PlannedStep> steps = new ArrayList<>();
            Duration forecast = null;
            for (StepRunner r : runners(ctx)) {
                StepPreview p;
                try {
                    p = r.preview();
                } catch (MigrationException e) {
                    p = new StepPreview(Map.of(), List.of("FAIL " + e.getMessage()), null);
                }
                if (p.forecast() != null) {
                    forecast = forecast == null ? p.forecast() : forecast.plus(p.forecast());
                }
                steps.add(new ApplicationPlan.PlannedStep(r.step().id(), r.step().kind(), route(r.step()),
                        r.step().after(), p));
            }
            List<String> checks = cutoverChecks();
            String moved = alreadyMoved(settings.workDir().resolve(spec.name()).toAbsolutePath());
            if (moved != null) {
                checks.add("FAIL " + moved);
            }
            return new ApplicationPlan(spec.name(), steps, sequence(), forecast, checks);
        } finally {
            deleteTree(scratch);
        }
    }

    /**
     * Runs the cutover. First rolls back any earlier run of this application that was killed mid-cutover (its
     * {@code cutover.json} still says RUNNING; see {@link CutoverRecovery}; the report's {@code recovery} lists what
     * was done). Never throws for a failure of the migration itself: the report says what happened, and its exit
     * code is 0 (complete and verified), 1 (failed, rolled back) or 2 (refused before writing, or a killed run that
     * could not be rolled back completely).
     */
    public ApplicationReport run() {
        Instant started = Instant.now();
        String runId = RUN_ID.format(started);
        Path appDir = settings.workDir().resolve(spec.name()).toAbsolutePath();
        // beside the application's directory, whose entries are its runs; no application name starts with a dot
        Path lockFile = appDir.resolveSibling("." + spec.name() + ".lock");
        // one run of an application at a time, also across processes: two would freeze, copy and roll back over
        // each other (the state of the other run's process is written only once its preflight passed)
        try {
            Files.createDirectories(appDir.getParent());
            try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE); FileLock lock = tryLock(channel)) {
                if (lock == null) {
                    return finish(invalid(runId, started, null, null, "another run of application " + spec.name()
                            + " is in progress (it holds " + lockFile + "); nothing was done, wait for it to end"),
                            null);
                }
                return run(runId, started, appDir);
            }
        } catch (IOException e) {
            return finish(invalid(runId, started, null, null, "cannot lock " + lockFile + ": " + e), null);
        }
    }

    private static FileLock tryLock(FileChannel channel) throws IOException {
        try {
            return channel.tryLock();
        } catch (OverlappingFileLockException e) {
            return null; // held by another run in this JVM
        }
    }

    private ApplicationReport run(String runId, Instant started, Path appDir) {
        Path runDir = appDir.resolve(runId);
        CamelContext camel = settings.camel();
        boolean own = camel == null;
        ApplicationReport report;
        RunState state = null;
        List<String> recovered = List.of();
        try {
            HookRunner.sweep(appDir); // output files of hooks a killed run was running
            if (own) {
                camel = new DefaultCamelContext();
                camel.getCamelContextExtension().setName("caravan-application-" + spec.name());
                camel.start();
            }
            CutoverRecovery.Result recovery = CutoverRecovery.recover(spec, appDir, registry(), camel,
                    this::runners);
            recovered = recovery.lines();
            if (!recovery.complete()) {
                return finish(invalid(runId, started, null, null, "a killed earlier run could not be rolled back "
                        + "completely (see the recovery lines); repair the target, then set the status in its "
                        + RunState.FILE + " to ROLLED_BACK").withRecovery(recovered), null);
            }
            String moved = alreadyMoved(appDir);
            if (moved != null) {
                return finish(invalid(runId, started, null, null, moved).withRecovery(recovered), null);
            }
            ApplicationReport refused = preflight(runId, started);
            if (refused != null) {
                return finish(refused.withRecovery(recovered), null);
            }
            try {
                Files.createDirectories(runDir);
            } catch (IOException e) {
                return finish(invalid(runId, started, null, null, "cannot create the run directory " + runDir
                        + ": " + e).withRecovery(recovered), null);
            }
            try (RunContext ctx = new RunContext(registry(), runDir, false)) {
                List<StepRunner> runners = runners(ctx);
                state = RunState.start(runDir, spec.name(), runId, spec.file());
                HookRunner hooks = new HookRunner(camel, Map.of("CARAVAN_APP", spec.name(), "CARAVAN_RUN_DIR",
                        runDir.toString()), runDir);
                CutoverRun cutover = new CutoverRun(spec, runners, camel, hooks, state, runId);
                LOG.info("application {} run {}: {} step(s), work directory {}", spec.name(), runId,
                        spec.steps().size(), runDir);
                Throwable failure = cutover.execute();
                report = cutover.report(runId, started, failure, runDir);
            }
        } catch (MigrationException e) {
            report = invalid(runId, started, Files.isDirectory(runDir) ? runDir : null, null, e.getMessage());
        } catch (Exception e) {
            throw new MigrationException(ErrorKind.FATAL, "application " + spec.name() + ": " + e.getMessage(), e);
        } finally {
            if (own && camel != null) {
                try {
                    camel.close();
                } catch (Exception e) {
                    LOG.warn("could not stop the run's Camel context: {}", e.getMessage());
                }
            }
        }
        return finish(report.withRecovery(recovered), state);
    }

    /**
     * The checks of {@link #plan()} for every step, before the run writes anything: a step that cannot run (bad
     * location or option, unreachable store, a substitution that matches nothing, a VM preflight FAIL) refuses the
     * whole run (INVALID, exit 2) instead of failing after the steps before it moved data. Returns {@code null} when
     * every step may run.
     */
    private ApplicationReport preflight(String runId, Instant started) {
        ApplicationPlan plan = plan();
        if (plan.runnable()) {
            return null;
        }
        List<String> failed = new ArrayList<>();
        String first = null;
        for (ApplicationPlan.PlannedStep s : plan.steps()) {
            for (String c : s.preview().checks()) {
                if (c.startsWith("FAIL")) {
                    failed.add("step '" + s.id() + "': " + c);
                    first = first == null ? s.id() : first;
                }
            }
        }
        return invalid(runId, started, null, first, "refused by the preflight checks, nothing was written: "
                + String.join("; ", failed));
    }

    /** Warnings about hooks a rollback cannot undo: a freeze left in place, a switch that stays switched. */
    private List<String> cutoverChecks() {
        List<String> out = new ArrayList<>();
        List<Hook> freeze = spec.cutover().freeze();
        for (int i = 0; i < freeze.size(); i++) {
            if (freeze.get(i).compensate() == null) {
                out.add("WARN " + CutoverSequence.label("freeze", i) + " hook has no compensate: a rollback leaves "
                        + "the application frozen (undo it by hand)");
            }
        }
        List<Hook> switches = spec.cutover().switchover();
        for (int i = 0; i < switches.size() - 1; i++) {
            if (switches.get(i).compensate() == null) {
                out.add("WARN " + CutoverSequence.label("switch", i) + " hook has no compensate: if a later switch "
                        + "hook fails, the rollback removes what the steps wrote while what this hook switched "
                        + "stays switched");
            }
        }
        return out;
    }

    /**
     * Why a new cutover must not start because an earlier run of the application completed (its target is live now:
     * a new run would freeze it, write over what it changed since and, on failure, roll it back), or {@code null}.
     */
    private String alreadyMoved(Path appDir) {
        RunState.Saved done = RunState.completed(appDir);
        return done == null ? null : "application " + spec.name() + " was already moved by run " + done.runId()
                + " (COMPLETE; " + done.runDir().resolve("report.txt") + "): its target is the live application "
                + "now, and a new cutover would freeze it and write over it again. Nothing was done. To move it "
                + "again on purpose, move " + appDir + " aside (it keeps that run's report and backups)";
    }

    private static ApplicationReport finish(ApplicationReport report, RunState state) {
        if (state != null) {
            state.finish(report.outcome().name());
        }
        report.write();
        LOG.info("application {} run {}: {}", report.name(), report.runId(), report.outcome());
        return report;
    }

    private ApplicationReport invalid(String runId, Instant started, Path runDir, String step, String message) {
        return new ApplicationReport(spec.name(), runId, ApplicationReport.Outcome.INVALID, started,
                Duration.between(started, Instant.now()), List.of(), List.of(), "before the warm phase", step,
                message, List.of(), runDir, List.of());
    }

    private List<StepRunner> runners(RunContext ctx) {
        List<StepRunner> out = new ArrayList<>();
        for (Step s : spec.steps()) {
            if (s instanceof Step.Files f) {
                out.add(new FilesStepRunner(f, ctx, spec.name()));
            } else if (s instanceof Step.Database d) {
                out.add(new DatabaseStepRunner(d, ctx, spec.name()));
            } else if (s instanceof Step.Config c) {
                out.add(new ConfigStepRunner(c, ctx));
            } else {
                out.add(new VmStepRunner((Step.Vm) s, ctx));
            }
        }
        return out;
    }

    private List<String> sequence() {
        List<String> lines = new ArrayList<>();
        CutoverSequence.walk(spec, new CutoverSequence.Visitor() {
            @Override
            public void hooks(String point, List<Hook> list) {
                ApplicationMigration.hooks(lines, point, list);
            }

            @Override
            public void step(Step s, Phase phase) {
                lines.add(phase.key() + " pass: " + s.kind() + " step '" + s.id() + "'");
            }

            @Override
            public void verify() {
                lines.add("verify every step");
            }
        });
        lines.add("on any failure: compensate in reverse order (Camel saga)");
        return lines;
    }

    private static void hooks(List<String> lines, String point, List<Hook> list) {
        for (Hook h : list) {
            lines.add(point + " hook: " + h.describe() + (h.compensate() == null ? ""
                    : " (compensate: " + h.compensate().describe() + ")"));
        }
    }

    private static String route(Step s) {
        if (s instanceof Step.Files f) {
            return Redaction.text(f.from() + " -> " + f.to()) + " (" + f.mode() + ")";
        }
        if (s instanceof Step.Database d) {
            return Redaction.text(d.from() + " -> " + d.to());
        }
        if (s instanceof Step.Config c) {
            return Redaction.text(c.from() + " -> " + c.to()) + " " + c.files();
        }
        Step.Vm v = (Step.Vm) s;
        return v.domain() + ": " + Redaction.text(v.from() + " -> " + v.to());
    }

    private ConnectorRegistry registry() {
        return settings.registry() != null ? settings.registry() : ConnectorRegistry.load();
    }

    private static void deleteTree(Path dir) {
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            LOG.debug("could not remove {}: {}", dir, e.getMessage());
        }
    }
}
