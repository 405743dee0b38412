package dev.caravan.core.engine;

import dev.caravan.api.config.OptionDef;
import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import dev.caravan.api.journal.RunInfo;
import dev.caravan.api.journal.RunOutcome;
import dev.caravan.api.journal.TaskSpec;
import dev.caravan.api.store.ObjectStore;
import dev.caravan.api.verify.VerificationReport;
import dev.caravan.core.journal.JdbcJournal;
import dev.caravan.core.journal.JournalQueries;
import dev.caravan.core.plan.MigrationSpec;
import dev.caravan.core.plan.PlanSummary;
import dev.caravan.core.registry.ConnectorRegistry;
import dev.caravan.core.registry.Endpoint;
import dev.caravan.core.report.ReportWriter;
import dev.caravan.core.throttle.BandwidthLimiter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The entry point for running object migrations: plan (dry run), run (resumable, verified), verify, and the
 * journal's read side. One engine per process is enough; it is thread-safe and runs several migrations at once,
 * all sharing one bandwidth limit.
 */
public final class MigrationEngine implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MigrationEngine.class);

    private final EngineSettings settings;
    private final ConnectorRegistry registry;
    private final JdbcJournal journal;
    private final BandwidthLimiter limiter = new BandwidthLimiter(0);
    /** How long {@link #close()} waits for the runs it stopped to end before it closes the journal anyway. */
    public static final java.time.Duration STOP_WAIT = java.time.Duration.ofSeconds(10);
    private volatile boolean stopRequested;
    /** Set by {@link #stopRuns}: the transfers in flight stop too. */
    private volatile boolean interrupting;
    private final RunningRuns running = new RunningRuns();
    /** The clock (nanoseconds) a command's max duration is measured by; a test's own in the engine's tests. */
    private volatile java.util.function.LongSupplier clock = System::nanoTime;
    private final PartBuffers partBuffers = new PartBuffers(Long.getLong("caravan.multipart.bufferMemory", 64L << 20));
    private final java.util.concurrent.ExecutorService partPool = java.util.concurrent.Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "caravan-part");
        t.setDaemon(true);
        return t;
    });

    private MigrationEngine(EngineSettings settings, ConnectorRegistry registry, JdbcJournal journal) {
        this.settings = settings;
        this.registry = registry;
        this.journal = journal;
    }

    /** Opens an engine with its journal (created on first use) and every connector on the class path. */
    public static MigrationEngine open(EngineSettings settings) {
        return open(settings, ConnectorRegistry.load());
    }

    /** Opens an engine with the given connectors. */
    public static MigrationEngine open(EngineSettings settings, ConnectorRegistry registry) {
        try {
            java.nio.file.Files.createDirectories(settings.home());
        } catch (java.io.IOException e) {
            throw MigrationException.userConfig("cannot create Caravan's home " + settings.home() + ": " + e);
        }
        JdbcJournal journal = JdbcJournal.open(settings.journalUrl()); // connects in the background
        LOG.debug("opening the journal {}", journal.url());
        return new MigrationEngine(settings, registry, journal);
    }

    public EngineSettings settings() {
        return settings;
    }

    public ConnectorRegistry registry() {
        return registry;
    }

    /**
     * Asks every run of this engine to stop at a task boundary, for a graceful shutdown: tasks in flight finish
     * (verified and renamed into place), no new task starts, the journal run stays unfinished and {@link #run}
     * throws a TRANSIENT {@link RunEndedException}; the next run of the migration resumes it. A shared worker
     * hands its partitions over at once. Irreversible for this engine.
     */
    public void requestStop() {
        stopRequested = true;
    }

    /**
     * Stops every run of this engine now, as a user's interrupt or the end of a serve's shutdown timeout does: no new
     * task starts, the transfers in flight are interrupted (left as a killed process leaves them: a multipart upload
     * open with its finished parts, a resumable target's temporary object kept), each run is left unfinished in the
     * journal, not failed, and {@link #run} throws a TRANSIENT {@link RunEndedException} ({@code resumable}); the next
     * run of the migration resumes it. Waits up to {@code atMost} for the runs to end; returns whether they all did.
     * Irreversible for this engine.
     */
    public boolean stopRuns(java.time.Duration atMost) {
        interrupting = true;
        stopRequested = true;
        return running.awaitNone(atMost);
    }

    /** Whether {@link #requestStop()} (or {@link #stopRuns}) was called. */
    public boolean stopRequested() {
        return stopRequested;
    }

    /** Measures the max duration of the runs started from now on by {@code nanos} (tests drive time with it). */
    MigrationEngine withClock(java.util.function.LongSupplier nanos) {
        this.clock = nanos;
        return this;
    }

    /** The bandwidth limit shared by every transfer of this engine. */
    public BandwidthLimiter bandwidth() {
        return limiter;
    }

    /** Lists both sides, diffs them and runs the preflight checks; writes nothing to the target. */
    public PlanResult plan(MigrationSpec spec) {
        try (ObjectStore source = open(spec.source(), spec.sourceOptions());
                ObjectStore target = open(spec.target(), spec.targetOptions());
                Backups backups = backups(spec, refuseOverlap(source, target), target)) {
            return DryRun.plan(spec, source, target, journal, backups);
        }
    }

    /**
     * Runs (or resumes) a migration to its end: plan into the journal, guards, transfers, deletes, report.
     * Throws {@link MigrationException} of kind USER_CONFIG / USER_DATA for bad input found before anything was
     * written (a guard such as maxDelete, an empty source in sync mode, an unknown connector, an unwritable
     * target); every other failure is in the result.
     */
    public RunResult run(MigrationSpec spec, ProgressListener listener) {
        try (Prepared prepared = prepare(spec, false)) {
            return prepared.execute(listener);
        }
    }

    /**
     * The first half of {@link #run}, for a caller that must wait before the copy may start (a cold VM migration
     * prepares while the guest powers off): opens both stores and writes the run's definition, and with
     * {@code probeTarget} makes the test write to the target at once (a target that cannot be written then fails
     * here, before the caller does anything it would have to undo); plans nothing and writes nothing else.
     * {@link Prepared#execute} does the rest, as {@code run} would; closing a prepared run that was not executed
     * leaves no trace.
     */
    public Prepared prepare(MigrationSpec spec, boolean probeTarget) {
        ObjectStore source = open(spec.source(), spec.sourceOptions());
        ObjectStore target = null;
        try {
            target = open(spec.target(), spec.targetOptions());
            refuseOverlap(source, target);
            Preflight.access(source, target, spec.mode()); // a sync a SAS cannot delete for: refused before it copies
            Prepared prepared = new Prepared(spec, source, target, backups(spec, source, target),
                    SpecJson.write(spec, (src, k) -> isSecret(src ? spec.source() : spec.target(), k),
                            k -> isSecret(spec.backup().location(), k)));
            if (probeTarget) {
                prepared.preflight.probe();
            }
            return prepared;
        } catch (RuntimeException e) {
            source.close();
            if (target != null) {
                target.close();
            }
            throw e;
        }
    }

    /** A migration whose stores are open and whose definition is written, waiting for {@link #execute}. */
    public final class Prepared implements AutoCloseable {
        private final MigrationSpec spec;
        private final ObjectStore source;
        private final ObjectStore target;
        /** The backup dir's store, or null without one. */
        private final Backups backups;
        private final String definition;
        private final RunPreflight preflight;

        private Prepared(MigrationSpec spec, ObjectStore source, ObjectStore target, Backups backups,
                String definition) {
            this.spec = spec;
            this.source = source;
            this.target = target;
            this.backups = backups;
            this.definition = definition;
            this.preflight = new RunPreflight(spec, target, backups);
        }

        /** Plans, guards, transfers, deletes and reports, as {@link MigrationEngine#run} does. Once. */
        public RunResult execute(ProgressListener listener) {
            try (RunningRuns.Entry counted = running.enter()) {
                return executeCounted(listener);
            }
        }

        private RunResult executeCounted(ProgressListener listener) {
            Instant started = Instant.now();
            if (spec.bandwidth() > 0) {
                limiter.setRate(spec.bandwidth());
            }
            TransferLimits limits = TransferLimits.of(spec, clock);
            if (settings.workerId() != null) {
                if (spec.maxTransfer() > 0 || spec.maxDuration() != null) {
                    throw MigrationException.userConfig("a max transfer or max duration applies to one process: not"
                            + " with workers sharing a run (--worker)");
                }
                return new SharedRun(MigrationEngine.this, journal, settings.workerId()).run(spec, source, target,
                        definition, preflight, listener, run -> runner(spec, source, target, run, backups));
            }
            // one process per migration: a second one refused here has changed nothing
            MigrationOwner.Started taken = MigrationOwner.start(journal, spec.migrationId(), spec.name(),
                    definition);
            MigrationOwner owner = taken.owner();
            RunInfo run = taken.run();
            SharedRun.refuseWhileShared(journal, spec, owner, run);
            LOG.info("{} run {} of {} -> {}", run.resumed() ? "resuming" : "starting", run.runId(), spec.source(),
                    spec.target());
            try (owner; EarlyProbe early = new EarlyProbe(preflight::probe);
                    ProgressReporter progress = new ProgressReporter(journal, run, listener,
                    settings.progressInterval())) {
                long t0 = System.nanoTime();
                // the write probe overlaps the planning unless a check may still refuse the plan
                PlanSummary summary = planInto(run, spec, source, target, true, preflight.watching(early));
                long t1 = System.nanoTime();
                owner.requireHeld(); // another process may have taken the migration over while this one planned
                String refusal = Guards.singleObject(spec.source(), source, summary);
                refusal = refusal != null ? refusal : Guards.refusal(spec, summary);
                if (refusal != null) {
                    throw MigrationException.userConfig(refusal);
                }
                if (summary.sourceCount() == 0) { // a mistyped prefix would end "complete" without a word
                    LOG.warn("{} lists no object that the filters select: nothing to copy (a mistyped prefix or"
                            + " filter?)", source.uri());
                }
                preflight.beforeWrites(summary, early);
                progress.phase(Progress.Phase.TRANSFERRING);
                long t2 = System.nanoTime();
                TaskRunner runner = runner(spec, source, target, run, backups).heldBy(owner).limitedBy(limits);
                ExecutionStats stats = runner.execute(() -> progress.phase(Progress.Phase.DELETING));
                long t3 = System.nanoTime();
                java.util.Optional<String> limit = runner.limitReached();
                // stopped by a limit of the command's: left unfinished, for the same command to go on with
                RunOutcome outcome = limit.isPresent() && stats.failed.get() == 0 ? RunOutcome.LIMIT_REACHED
                        : outcome(stats);
                if (outcome != RunOutcome.LIMIT_REACHED) {
                    journal.finishRun(run.runId(), outcome, Map.of("finishedAt", Instant.now().toString()));
                }
                LOG.debug("run {}: plan {} ms ({} tasks), preflight {} ms, transfers {} ms, finish {} ms",
                        run.runId(), (t1 - t0) / 1_000_000, summary.transferCount(), (t2 - t1) / 1_000_000,
                        (t3 - t2) / 1_000_000, (System.nanoTime() - t3) / 1_000_000);
                List<String> warnings = new ArrayList<>();
                limit.ifPresent(warnings::add);
                warnings.addAll(preflight.warnings(source, summary));
                warnings.addAll(Preflight.listingNotes(source, target));
                long leftOpen = runner.leftForNextRun();
                RunResult result = stats.result(run, spec, outcome, summary, Math.max(0, summary.transferCount()
                        - stats.copied.get() - stats.failedTransfers.get() - leftOpen)
                        + stats.deletionsFoundDone.get(), started, warnings, false);
                journal.runWarnings().note(run.runId(), null, result.warnings()); // for caravan status
                long t4 = System.nanoTime();
                RunResult reported = withReports(result, spec);
                LOG.debug("run {}: reports {} ms", run.runId(), (System.nanoTime() - t4) / 1_000_000);
                return reported;
            } catch (MigrationException e) {
                // bad input found before anything was written ends a new run; a fatal or transient failure of
                // the machinery leaves it unfinished, so the next run (or 'caravan resume') takes it up. A resumed
                // run stays unfinished too: its earlier attempt wrote (copied, deleted), and this refusal, a guard
                // of this command's, did nothing, so the run is still there to go on with
                boolean refused = e.kind() == ErrorKind.USER_CONFIG || e.kind() == ErrorKind.USER_DATA
                        || e.kind() == ErrorKind.NOT_FOUND;
                if (refused && !run.resumed()) {
                    journal.finishRun(run.runId(), RunOutcome.ABORTED, Map.of("reason", String.valueOf(e.getMessage())));
                }
                throw refused && !(e instanceof RunEndedException) ? RunEndedException.refused(e, run.runId(),
                        run.resumed()) : e; // names the run the refusal left (caravan status shows it for a schedule)
            }
        }

        @Override
        public void close() {
            try (source; target; Backups b = backups) {
                LOG.trace("closing the stores of {}", spec.name());
            }
        }
    }

    /**
     * Helps with the migration's unfinished shared run as one more worker (needs {@link EngineSettings#workerId()}),
     * without ever starting a run: empty when no run of this migration is active on the journal. For a worker whose
     * schedule fired elsewhere (clustered Quartz fires once for the group) and that joins the run the other started.
     */
    public java.util.Optional<RunResult> joinActive(MigrationSpec spec, ProgressListener listener) {
        if (settings.workerId() == null) {
            throw MigrationException.userConfig("joining a shared run needs a worker name");
        }
        java.util.Optional<RunInfo> active = journal.leases().activeRun(spec.migrationId());
        if (active.isEmpty()) {
            return java.util.Optional.empty();
        }
        try (RunningRuns.Entry counted = running.enter();
                ObjectStore source = open(spec.source(), spec.sourceOptions());
                ObjectStore target = open(spec.target(), spec.targetOptions());
                Backups backups = backups(spec, source, target)) {
            return java.util.Optional.of(new SharedRun(this, journal, settings.workerId()).run(spec, source, target,
                    active.get(), new RunPreflight(spec, target, backups), listener,
                    run -> runner(spec, source, target, run, backups)));
        }
    }

    /** Resumes an unfinished run from its stored definition. */
    public RunResult resume(String runId, ProgressListener listener) {
        return resume(runId, Map.of(), Map.of(), listener);
    }

    /**
     * Continues an unfinished run from its definition in the journal, with the secrets the journal does not keep
     * (masked options) given again by name for the source and the target.
     */
    public RunResult resume(String runId, Map<String, String> sourceSecrets, Map<String, String> targetSecrets,
            ProgressListener listener) {
        return resume(runId, sourceSecrets, targetSecrets, java.util.function.UnaryOperator.identity(), listener);
    }

    /**
     * As {@link #resume(String, Map, Map, ProgressListener)}, with what this command changes in the stored definition
     * ({@code adjust}: its own limits, which are not kept with the run).
     */
    public RunResult resume(String runId, Map<String, String> sourceSecrets, Map<String, String> targetSecrets,
            java.util.function.UnaryOperator<MigrationSpec> adjust, ProgressListener listener) {
        return resume(runId, sourceSecrets, targetSecrets, Map.of(), adjust, listener);
    }

    /**
     * As {@link #resume(String, Map, Map, java.util.function.UnaryOperator, ProgressListener)}, with the masked
     * options of the run's backup dir ({@code --backup-option}) given again in {@code backupSecrets}.
     */
    public RunResult resume(String runId, Map<String, String> sourceSecrets, Map<String, String> targetSecrets,
            Map<String, String> backupSecrets, java.util.function.UnaryOperator<MigrationSpec> adjust,
            ProgressListener listener) {
        String definition = journal.definition(runId).orElseThrow(() -> MigrationException.userConfig(
                journal.run(runId).isPresent() ? "run " + runId + " keeps no definition to resume from (a VM move or"
                        + " a route's run): run it again as it was started (caravan run ROUTE); that run takes this"
                        + " one up" : "no run " + runId + " in the journal " + journal.url()));
        var summary = journal.run(runId).orElseThrow();
        if (summary.finishedAt() != null) {
            throw MigrationException.userConfig("run " + runId + " already finished (" + summary.outcome()
                    + "); run the migration again to start a new run");
        }
        return run(adjust.apply(SpecJson.read(definition, runId, sourceSecrets, targetSecrets, backupSecrets)),
                listener);
    }

    /**
     * Compares source and target object by object: size, then SHA-256 (stored hashes where both sides have
     * them, else computed by reading both sides). A target object still listed as the journal recorded it after a
     * verified copy (same ETag and size) is compared by the SHA-256 that copy recorded: no request for it.
     */
    public VerificationReport verify(MigrationSpec spec) {
        try (ObjectStore source = open(spec.source(), spec.sourceOptions());
                ObjectStore target = open(spec.target(), spec.targetOptions())) {
            VerificationReport report = VerifyRun.run(spec, source, target, journal);
            // what the listings left out (links, pipes, archived objects) was not compared: said, as a run says it
            Preflight.listingNotes(source, target).forEach(report::warn);
            return report;
        }
    }

    /**
     * Waits until the journal is open (it connects in the background, see {@link JdbcJournal#open}); throws the error
     * that kept it from opening.
     */
    public MigrationEngine awaitJournal() {
        journal.awaitOpen();
        return this;
    }

    /**
     * Who runs the unfinished run of a migration now: the process holding it ("host pid N", see
     * {@link MigrationOwner}), or the workers sharing it ("workers a, b"); empty when nobody does (it was interrupted).
     */
    public java.util.Optional<String> runningIn(String migrationId, String runId) {
        java.util.Optional<String> owner = MigrationOwner.runningIn(journal.migrationOwners(), migrationId);
        if (owner.isPresent()) {
            return owner;
        }
        java.util.List<String> workers = journal.leases().liveWorkers(runId);
        return workers.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(SharedRun.workersText(workers));
    }

    /** The runner of a run's tasks in this engine: stops when asked to, keeps what it replaces in {@code backups}. */
    private TaskRunner runner(MigrationSpec spec, ObjectStore source, ObjectStore target, RunInfo run,
            Backups backups) {
        return new TaskRunner(spec, source, target, journal, run, limiter, partBuffers, partPool)
                .stopWhen(this::stopRequested).interruptWhen(() -> interrupting).preserving(backups, registry);
    }

    /** Status, progress and task queries. */
    public JournalQueries journal() {
        return journal;
    }

    /**
     * Stops the runs still running ({@link #stopRuns}, waiting up to {@link #STOP_WAIT} for them), then closes the
     * journal: in an embedding JVM a closed engine leaves no run going on, and each run it stopped is resumed by the
     * next run of its migration. A run that did not end within the wait (a store call that ignores the interruption)
     * is left to the journal's refusal of its late writes; the next run resumes it all the same.
     */
    @Override
    public void close() {
        if (!stopRuns(STOP_WAIT)) {
            LOG.warn("{} run(s) still running {} after they were asked to stop: closing the journal anyway (the next run"
                    + " of each migration resumes it)", running.count(), STOP_WAIT);
        }
        partPool.shutdownNow();
        long start = System.nanoTime();
        journal.close();
        LOG.debug("journal closed in {} ms", (System.nanoTime() - start) / 1_000_000);
    }

    /**
     * Plans the run into the journal; {@code alone}: no other worker reads the plan from the journal, so the rows of
     * a first plan may be written while the transfers start ({@link JdbcJournal#planAlone}).
     */
    PlanSummary planInto(RunInfo run, MigrationSpec spec, ObjectStore source, ObjectStore target, boolean alone) {
        return planInto(run, spec, source, target, alone, task -> { });
    }

    /** As {@link #planInto(RunInfo, MigrationSpec, ObjectStore, ObjectStore, boolean)}; shows {@code onTask} each
     *  planned task as it is written into the journal. */
    PlanSummary planInto(RunInfo run, MigrationSpec spec, ObjectStore source, ObjectStore target, boolean alone,
            java.util.function.Consumer<TaskSpec> onTask) {
        return RunPlanning.into(journal, run, spec, source, target, alone, onTask);
    }

    private static RunOutcome outcome(ExecutionStats stats) {
        if (stats.failed.get() == 0) {
            return RunOutcome.COMPLETE;
        }
        return stats.verificationFailures.get() == stats.failed.get() ? RunOutcome.VERIFICATION_FAILED
                : RunOutcome.FAILED;
    }

    RunResult withReports(RunResult r, MigrationSpec spec) {
        Map<String, String> shown = RunSettings.of(spec, journal.url(),
                (sourceSide, k) -> isSecret(sourceSide ? spec.source() : spec.target(), k),
                k -> isSecret(spec.backup().location(), k));
        try {
            Path json = new ReportWriter(journal, spec.parsedKeyMap()).write(settings.reportDir(), r, shown);
            Path html = json.resolveSibling(r.runId() + ".html");
            return r.withReports(json, html);
        } catch (RuntimeException e) {
            LOG.warn("could not write the report: {}", e.getMessage());
            return r;
        }
    }

    /** Whether {@code option} of the connector of {@code location} is a secret (one it does not declare is). */
    private boolean isSecret(String location, String option) {
        return registry.find(Endpoint.parse(location).scheme())
                .flatMap(p -> p.options().find(option)).map(OptionDef::secret).orElse(true);
    }

    /** The source, once {@link Guards#overlap} found the stores apart; else fails with USER_CONFIG. */
    private static ObjectStore refuseOverlap(ObjectStore source, ObjectStore target) {
        String overlap = Guards.overlap(source, target);
        if (overlap != null) {
            throw MigrationException.userConfig(overlap);
        }
        return source;
    }

    /** The backup dir of {@code spec}, opened and checked ({@link Backups#open}); null without one. */
    private Backups backups(MigrationSpec spec, ObjectStore source, ObjectStore target) {
        return Backups.open(spec, registry, source, target, journal, limiter, partBuffers, partPool);
    }

    private ObjectStore open(String uri, Map<String, String> options) {
        return registry.openStore(uri, options);
    }
}
