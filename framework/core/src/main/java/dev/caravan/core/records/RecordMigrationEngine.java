package dev.caravan.core.records;

import dev.caravan.api.ConnectorProvider;
import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import dev.caravan.api.journal.Journal;
import dev.caravan.api.journal.RunInfo;
import dev.caravan.api.journal.RunOutcome;
import dev.caravan.api.journal.TaskId;
import dev.caravan.api.journal.TaskRecord;
import dev.caravan.api.journal.TaskReport;
import dev.caravan.api.journal.TaskSpec;
import dev.caravan.api.journal.TaskState;
import dev.caravan.api.record.RecordProvider;
import dev.caravan.api.record.RecordSink;
import dev.caravan.api.record.RecordSource;
import dev.caravan.api.record.SourceTables;
import dev.caravan.api.verify.VerificationReport;
import dev.caravan.core.engine.MigrationOwner;
import dev.caravan.core.registry.ConnectorRegistry;
import dev.caravan.core.registry.Endpoint;
import dev.caravan.core.retry.RetryPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs record migrations (tables between databases, records between formats) through the SPI: plan (splits and
 * tasks into the journal), prepare targets, copy every split in parallel with a bound, build indexes and restart
 * identities, add foreign keys, verify, report. Each committed batch's key is checkpointed, so a killed run is
 * resumed by running the same spec again: finished splits are skipped and interrupted ones continue after their
 * last checkpoint with no duplicate and no missing row. Incremental runs continue from the state the previous
 * complete run left. A full (not incremental) run skips the tables an earlier complete run of the same migration
 * finished, when the journal still has all their tasks done: a rerun after a complete run writes nothing and reports
 * those tables as {@link TableResult#skipped() skipped} (targets reloaded on every run, {@code mode=replace} or
 * {@code truncate=true}, are copied again). Thread-safe; the journal is shared, connectors are found in the
 * registry.
 *
 * <pre>{@code
 * try (JdbcJournal journal = JdbcJournal.open("jdbc:h2:./caravan-journal")) {
 *     RecordMigrationEngine engine = new RecordMigrationEngine(ConnectorRegistry.load(), journal);
 *     RecordMigrationResult r = engine.run(TableMigrationSpec.builder("jdbc:sqlite:/data/app.db",
 *             "jdbc:postgresql://127.0.0.1:5432/app").targetOptions(Map.of("user", "app")).build(),
 *             RecordMigrationListener.NONE);
 * }
 * }</pre>
 */
public final class RecordMigrationEngine {
    private static final Logger LOG = LoggerFactory.getLogger(RecordMigrationEngine.class);

    /** How long a run that ends waits for its workers to stop (each finishes the batch it is writing). */
    private static final long WORKER_STOP_SECONDS = 60;

    private final ConnectorRegistry registry;
    private final Journal journal;

    public RecordMigrationEngine(ConnectorRegistry registry, Journal journal) {
        this.registry = registry;
        this.journal = journal;
    }

    /**
     * Runs (or resumes) a migration to its end. Configuration errors found before anything is written throw
     * {@link MigrationException} (and end the run as ABORTED); task failures and verification mismatches are in the
     * result.
     */
    public RecordMigrationResult run(TableMigrationSpec spec, RecordMigrationListener listener) {
        Instant started = Instant.now();
        Map<String, Duration> phases = new LinkedHashMap<>();
        RecordProvider sp = provider(spec.source());
        RecordProvider tp = provider(spec.target());
        String src = masked(spec.source());
        String dst = masked(spec.target());
        TaskItems ids = new TaskItems(src, dst);
        try (RecordSource source = sp.openSource(Endpoint.parse(spec.source()).location(),
                sp.options().resolve(spec.sourceOptions()));
                RecordSink sink = tp.openSink(Endpoint.parse(spec.target()).location(),
                        tp.options().resolve(spec.targetOptions()));
                // one process per migration: refused here, before the run is looked at, nothing is written
                MigrationOwner owner = MigrationOwner.takeOn(journal, migrationId(spec, sp, tp), spec.name())) {
            RunInfo run = journal.startRun(migrationId(spec, sp, tp), spec.name());
            LOG.info("{} run {} of {} -> {}", run.resumed() ? "resuming" : "starting", run.runId(), src, dst);
            boolean whole = source.capability(SourceTables.class).isPresent();
            List<TableJob> jobs;
            try {
                Instant t0 = Instant.now();
                listener.phase("plan");
                jobs = new Planning(spec, journal, ids, run).plan(source, sink);
                try {
                    journal.plan(run.runId(), tasks(jobs).iterator());
                } catch (RuntimeException e) {
                    jobs.forEach(TableJob::close);
                    throw e;
                }
                phases.put("plan", Duration.between(t0, Instant.now()));
            } catch (MigrationException e) {
                journal.finishRun(run.runId(), RunOutcome.ABORTED, Map.of("reason", String.valueOf(e.getMessage())));
                throw e;
            }
            ExecutorService pool = pool(spec.parallelism());
            try {
                return execute(spec, listener, run, jobs, whole, pool, started, phases, owner);
            } finally {
                stop(pool);
                jobs.forEach(TableJob::close);
            }
        }
    }

    private RecordMigrationResult execute(TableMigrationSpec spec, RecordMigrationListener listener, RunInfo run,
            List<TableJob> jobs, boolean whole, ExecutorService pool, Instant started, Map<String, Duration> phases,
            MigrationOwner owner) {
        Tasks tasks = new Tasks(journal, run.runId(), pool, RetryPolicy.of(spec.retries(), spec.retryBaseDelay()));
        jobs.stream().filter(TableJob::skipped).forEach(j -> LOG.info("{}: complete since run {}, skipped", j.table,
                j.completedBy));
        timed(phases, "prepare", listener, () -> {
            for (TableJob j : copied(jobs)) {
                tasks.once(j, j.prepareId, () -> structure(j).map(s -> s.prepare(j.targetSchema(), j.definition,
                        j.keepExisting, run.runId())).orElse(Map.of()));
            }
        });
        SplitCopier copier = new SplitCopier(journal, run.runId(), RetryPolicy.of(spec.retries(),
                spec.retryBaseDelay()), listener, run.resumed(), SplitCopier.READ_AHEAD);
        timed(phases, "load", listener, () -> {
            RuntimeException failure = null;
            holdBackTablesReferencingAFailedPrepare(jobs);
            // tables that keep their own foreign keys load after those they reference (LoadLevels), others at once
            for (List<TableJob> level : LoadLevels.of(copied(jobs), j -> j.table,
                    j -> LoadLevels.references(j.definition, prepared(j)),
                    j -> "true".equals(prepared(j).get(dev.caravan.api.record.TableStructure.EXISTED)))) {
                List<Runnable> work = new ArrayList<>();
                for (TableJob j : level) {
                    if (j.errors.isEmpty()) {
                        for (int i = 0; i < j.splits.size(); i++) {
                            int n = i;
                            work.add(() -> {
                                if (owner != null) {
                                    owner.requireHeld(); // no split starts once another process took the migration over
                                }
                                copier.copy(j, j.splits.get(n), j.splitIds.get(n));
                            });
                        }
                    }
                }
                try {
                    tasks.all(work);
                } catch (RuntimeException e) { // the other levels still load, as when all loaded at once
                    failure = failure == null ? e : failure;
                }
            }
            if (failure != null) {
                throw failure;
            }
            jobs.forEach(j -> listener.tableLoaded(result(j)));
        });
        timed(phases, "finish", listener, () -> tasks.all(copied(jobs).stream().filter(j -> j.errors.isEmpty())
                .map(j -> (Runnable) () -> tasks.once(j, j.finishId, () -> {
                    structure(j).ifPresent(s -> s.finish(j.targetSchema(), j.definition, prepared(j)));
                    return Map.of();
                })).toList()));
        if (whole) {
            timed(phases, "constraints", listener, () -> {
                for (TableJob j : copied(jobs)) {
                    if (j.errors.isEmpty()) {
                        tasks.once(j, j.constraintsId, () -> {
                            structure(j).ifPresent(s -> s.addForeignKeys(j.targetSchema(), j.definition));
                            return Map.of();
                        });
                    }
                }
            });
        }
        VerificationReport report = new VerificationReport(1000);
        if (spec.verify() != TableMigrationSpec.Verify.NONE) {
            timed(phases, "verify", listener, () -> new Verification(spec, pool, listener).verify(jobs, report));
        }
        boolean failed = jobs.stream().anyMatch(j -> !j.errors.isEmpty());
        RunOutcome outcome = failed ? RunOutcome.FAILED
                : report.clean() ? RunOutcome.COMPLETE : RunOutcome.VERIFICATION_FAILED;
        Map<String, String> next = new TreeMap<>();
        for (TableJob j : jobs) {
            String state = j.highWater != null ? j.highWater : run.previousState().get(Planning.STATE + j.table);
            if (spec.incremental() != null && state != null) {
                next.put(Planning.STATE + j.table, state);
            }
            if (spec.incremental() == null && outcome == RunOutcome.COMPLETE) {
                next.put(Planning.COMPLETED_BY + j.table, j.skipped() ? j.completedBy : run.runId());
            }
        }
        journal.finishRun(run.runId(), outcome, next);
        List<String> errors = new ArrayList<>();
        jobs.forEach(j -> j.errors.forEach(e -> errors.add(j.table + ": " + e)));
        RecordMigrationResult result = new RecordMigrationResult(run.runId(), run.migrationId(), outcome,
                run.resumed(), jobs.stream().map(this::result).toList(), report, started,
                Duration.between(started, Instant.now()), phases, next, errors.size() > 50 ? errors.subList(0, 50)
                        : errors);
        LOG.info("run {} {}: {} rows ({} rejected) in {} ms, {} rows/s{}", run.runId(), outcome, result.rows(),
                result.rejected(), result.duration().toMillis(), Math.round(result.rowsPerSecond()),
                result.skippedTables() == 0 ? "" : "; " + result.skippedTables() + " of " + jobs.size()
                        + " tables skipped, complete since an earlier run");
        result.keptTables().forEach(t -> LOG.info("{}: the rows it had before are kept in {} ({} rows)", t.table(),
                t.keptTable(), t.keptRows()));
        return result;
    }

    /** Dry run: schemas, target DDL (the type mapping), splits and {@code sampleRows} mapped records per table. */
    public List<TablePreview> plan(TableMigrationSpec spec, int sampleRows) {
        RecordProvider sp = provider(spec.source());
        RecordProvider tp = provider(spec.target());
        try (RecordSource source = sp.openSource(Endpoint.parse(spec.source()).location(),
                sp.options().resolve(spec.sourceOptions()));
                RecordSink sink = tp.openSink(Endpoint.parse(spec.target()).location(),
                        tp.options().resolve(spec.targetOptions()))) {
            return Planning.preview(spec, source, sink, sampleRows);
        }
    }

    /** Compares source and target again (no copy): every table's ranges, as the run's verify phase does. */
    public VerificationReport verify(TableMigrationSpec spec) {
        RecordProvider sp = provider(spec.source());
        RecordProvider tp = provider(spec.target());
        VerificationReport report = new VerificationReport(1000);
        try (RecordSource source = sp.openSource(Endpoint.parse(spec.source()).location(),
                sp.options().resolve(spec.sourceOptions()));
                RecordSink sink = tp.openSink(Endpoint.parse(spec.target()).location(),
                        tp.options().resolve(spec.targetOptions()))) {
            List<TableJob> jobs = Planning.forVerification(spec, source, sink);
            ExecutorService pool = pool(spec.parallelism());
            try {
                new Verification(spec, pool, RecordMigrationListener.NONE).verify(jobs, report);
            } finally {
                stop(pool);
                jobs.forEach(TableJob::close);
            }
        }
        return report;
    }

    /**
     * Fails, before the load, every table that references a table whose prepare step failed (directly or through
     * others): taken up again, the run prepares that table again, and emptying it with its linked tables
     * ({@code truncate=true}) would remove rows this run loaded and journaled as done. The next run loads them.
     */
    private void holdBackTablesReferencingAFailedPrepare(List<TableJob> jobs) {
        // before the load, a table's only errors are those of its prepare step
        LoadLevels.waitingFor(copied(jobs), j -> j.table, j -> LoadLevels.references(j.definition, prepared(j)),
                j -> !j.errors.isEmpty()).forEach((j, parent) -> {
                    String why = "not loaded: it references " + parent + ", whose prepare step failed (loaded rows"
                            + " would be emptied when that step runs again); fix " + parent + " and run again";
                    LOG.warn("{}: {}", j.table, why);
                    j.failed(why);
                });
    }

    private static java.util.Optional<dev.caravan.api.record.TableStructure> structure(TableJob j) {
        return j.sink.capability(dev.caravan.api.record.TableStructure.class);
    }

    /** A table's result, with the kept table its prepare step named (a skipped table's prepare was not this run's). */
    private TableResult result(TableJob j) {
        return j.skipped() ? j.result() : j.result().withKept(prepared(j));
    }

    /** What the sink's prepare step returned, from the journal (it may have run in an earlier process). */
    private Map<String, String> prepared(TableJob j) {
        return journal.task(j.prepareId).map(TaskRecord::report).map(TaskReport::values).orElse(Map.of());
    }

    /** The jobs this run copies: all but the tables an earlier complete run finished. */
    private static List<TableJob> copied(List<TableJob> jobs) {
        return jobs.stream().filter(j -> !j.skipped()).toList();
    }

    /** The tasks of the copied tables (a skipped table's tasks stay as the run that completed them left them). */
    private static List<TaskSpec> tasks(List<TableJob> jobs) {
        List<TaskSpec> out = new ArrayList<>();
        for (TableJob j : copied(jobs)) {
            out.add(new TaskSpec(j.prepareId, TaskItems.PREPARE, TaskItems.prepareItem(j.table, j.highWater), -1));
            for (int i = 0; i < j.splits.size(); i++) {
                out.add(new TaskSpec(j.splitIds.get(i), TaskItems.COPY, TaskItems.splitItem(j.table, j.splits.get(i)),
                        -1));
            }
            out.add(new TaskSpec(j.finishId, TaskItems.FINISH, TaskItems.tableItem(j.table, "finish"), -1));
            out.add(new TaskSpec(j.constraintsId, TaskItems.CONSTRAINTS, TaskItems.tableItem(j.table,
                    "constraints"), -1));
        }
        return out;
    }

    private static void timed(Map<String, Duration> phases, String name, RecordMigrationListener l, Runnable r) {
        l.phase(name);
        Instant t0 = Instant.now();
        r.run();
        phases.put(name, Duration.between(t0, Instant.now()));
    }

    private RecordProvider provider(String uri) {
        ConnectorProvider p = registry.require(Endpoint.parse(uri).scheme());
        if (p instanceof RecordProvider rp) {
            return rp;
        }
        throw MigrationException.userConfig("connector '" + p.scheme() + "' does not read or write records (tables"
                + " or record files); use a record connector such as jdbc");
    }

    /** The migration's id: source, target, options without secrets, incremental column. */
    static String migrationId(TableMigrationSpec spec, RecordProvider sp, RecordProvider tp) {
        StringBuilder unit = new StringBuilder("records");
        append(unit, "source", spec.sourceOptions(), sp);
        append(unit, "target", spec.targetOptions(), tp);
        if (spec.incremental() != null) {
            unit.append(";incremental=").append(spec.incremental().column()).append(':')
                    .append(spec.incremental().mode());
        }
        return TaskId.of(masked(spec.source()), masked(spec.target()), unit.toString()).value();
    }

    private static void append(StringBuilder sb, String side, Map<String, String> options, RecordProvider p) {
        new TreeMap<>(options).forEach((k, v) -> {
            boolean secret = p.options().find(k).map(d -> d.secret()).orElse(true);
            if (!secret) {
                sb.append(';').append(side).append('.').append(k).append('=').append(v);
            }
        });
    }

    /** A URI with passwords in it masked: what task ids, logs and reports use. */
    static String masked(String uri) {
        return dev.caravan.api.config.MaskedUris.of(uri);
    }

    /**
     * Stops the run's workers and waits until they have: once a run has returned or thrown, none of its splits may
     * still write to a target, or a retry or resumed run in the same process (a route, a schedule) would find rows
     * appear behind it past the checkpoints it continues from. A worker stops after the batch it is writing, as its
     * checkpoint is queued (see {@link SplitCopier}); one stuck in a driver call is left after a warning.
     */
    private static void stop(ExecutorService pool) {
        pool.shutdownNow();
        boolean interrupted = Thread.interrupted(); // waiting must not end at once because this thread was interrupted
        try {
            if (!pool.awaitTermination(WORKER_STOP_SECONDS, java.util.concurrent.TimeUnit.SECONDS)) {
                LOG.warn("workers of the run still busy after {} s (a driver call that ignores interrupts); going on",
                        WORKER_STOP_SECONDS);
            }
        } catch (InterruptedException e) {
            interrupted = true;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static ExecutorService pool(int threads) {
        AtomicInteger n = new AtomicInteger();
        return Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "caravan-records-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** Runs journaled one-off table tasks and waits for groups of work, rethrowing a worker's Error. */
    private static final class Tasks {
        private final Journal journal;
        private final String runId;
        private final ExecutorService pool;
        private final RetryPolicy retry;

        Tasks(Journal journal, String runId, ExecutorService pool, RetryPolicy retry) {
            this.journal = journal;
            this.runId = runId;
            this.pool = pool;
            this.retry = retry;
        }

        /** Runs a table task unless the journal has it done; its result map is kept as the task's report. */
        void once(TableJob job, TaskId id, java.util.function.Supplier<Map<String, String>> work) {
            TaskRecord rec = journal.task(id).orElseThrow();
            if (rec.state() == TaskState.DONE) {
                return;
            }
            journal.begin(runId, id);
            try {
                Map<String, String> values = retry.call(job.table + " " + rec.spec().action(), work);
                journal.complete(runId, id, new TaskReport(0, values));
            } catch (MigrationException e) {
                job.failed(e.getMessage());
                journal.fail(runId, id, e.kind().name(), e.getMessage());
                LOG.warn("{}: {}", job.table, e.getMessage());
            } catch (RuntimeException e) {
                job.failed(e.toString());
                journal.fail(runId, id, ErrorKind.FATAL.name(), e.toString());
                LOG.warn("{}: {}", job.table, e.toString(), e);
            }
        }

        /** Runs the work on the pool and waits; an Error (the process is going down) cancels the rest at once. */
        void all(List<Runnable> work) {
            java.util.concurrent.CompletionService<Object> done = new java.util.concurrent.ExecutorCompletionService<>(
                    pool);
            List<java.util.concurrent.Future<Object>> futures = new ArrayList<>();
            for (Runnable r : work) {
                futures.add(done.submit(r, null));
            }
            RuntimeException failure = null;
            try {
                for (int i = 0; i < futures.size(); i++) {
                    try {
                        done.take().get();
                    } catch (java.util.concurrent.ExecutionException e) {
                        if (e.getCause() instanceof Error err) {
                            futures.forEach(f -> f.cancel(true));
                            throw err; // leave the run unfinished, as a killed process would
                        }
                        failure = failure == null && e.getCause() instanceof RuntimeException re ? re : failure;
                    }
                }
            } catch (InterruptedException e) {
                futures.forEach(f -> f.cancel(true));
                Thread.currentThread().interrupt();
                throw new MigrationException(ErrorKind.FATAL, "interrupted", e);
            }
            if (failure != null) {
                throw failure;
            }
        }
    }
}
