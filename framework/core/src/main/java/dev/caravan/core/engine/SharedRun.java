package dev.caravan.core.engine;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import dev.caravan.api.journal.RunInfo;
import dev.caravan.api.journal.RunOutcome;
import dev.caravan.api.store.ObjectStore;
import dev.caravan.core.journal.JdbcJournal;
import dev.caravan.core.journal.Leases;
import dev.caravan.core.journal.RunSummary;
import dev.caravan.core.plan.MigrationSpec;
import dev.caravan.core.plan.PlanSummary;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalInt;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One worker's part in a run shared by several workers on one journal database: join (or start) the run, plan
 * it if no live worker does, then claim task partitions with leases until none is left; the worker that sees
 * every partition done ends the run and writes the report. A worker killed at any point loses only its leases,
 * which expire and are taken over.
 */
final class SharedRun {
    private static final Logger LOG = LoggerFactory.getLogger(SharedRun.class);
    private static final long POLL_MILLIS = 250;

    private final MigrationEngine engine;
    private final JdbcJournal journal;
    private final Leases leases;
    private final String worker;
    /** How long a partition's lease lasts without renewal; read here, so that a test can shorten it. */
    private final Duration lease = Duration.ofSeconds(Long.getLong("caravan.lease.seconds", 15));
    private final PartitionLease current = new PartitionLease(lease);

    SharedRun(MigrationEngine engine, JdbcJournal journal, String worker) {
        this.engine = engine;
        this.journal = journal;
        this.leases = journal.leases();
        this.worker = worker;
    }

    /**
     * Takes part in the migration's shared run, joined or started; {@code preflight} is made if this worker plans the
     * run.
     */
    RunResult run(MigrationSpec spec, ObjectStore source, ObjectStore target, String definition,
            RunPreflight preflight, ProgressListener listener, TaskRunnerFactory runners) {
        refuseKeyMap(spec); // before a run is started that this worker would not plan
        return run(spec, source, target, leases.joinRun(spec.migrationId(), spec.name(), definition, worker, lease),
                preflight, listener, runners);
    }

    /** Takes part in a run already joined (or found active with {@link Leases#activeRun}). */
    RunResult run(MigrationSpec spec, ObjectStore source, ObjectStore target, RunInfo run, RunPreflight preflight,
            ProgressListener listener, TaskRunnerFactory runners) {
        refuseKeyMap(spec);
        Instant started = Instant.now();
        // an unfinished run found is one this worker joins when another worker is at work on it, else one it resumes
        boolean joined = run.resumed() && leases.liveWorkers(run.runId()).stream().anyMatch(w -> !w.equals(worker));
        refuseIfHeld(spec, run);
        LOG.info("worker {} {} run {}", worker, joined ? "joined" : run.resumed() ? "resumed" : "started", run.runId());
        ScheduledExecutorService heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "caravan-lease");
            t.setDaemon(true);
            return t;
        });
        long every = Math.max(200, lease.toMillis() / 3);
        heartbeat.scheduleWithFixedDelay(() -> {
            try {
                long generation = current.generation();
                int part = current.part();
                long startedAt = System.nanoTime();
                if (current.renewed(generation, startedAt, leases.renew(run.runId(), worker, part, lease))) {
                    LOG.warn("worker {} found its partition taken over by another worker (its lease expired)", worker);
                }
            } catch (RuntimeException e) {
                LOG.warn("could not renew the leases of {}: {}", worker, e.getMessage());
            }
        }, every, every, TimeUnit.MILLISECONDS);
        try (ProgressReporter progress = new ProgressReporter(journal, run, listener,
                engine.settings().progressInterval())) {
            TaskRunner runner = runners.create(run);
            try {
                return takePart(spec, source, target, run, preflight, runner, progress, started, joined);
            } catch (RuntimeException e) {
                try {
                    noteWarnings(run, source, target, runner); // for the worker that ends the run
                } catch (RuntimeException noting) {
                    e.addSuppressed(noting);
                }
                throw e;
            }
        } finally {
            heartbeat.shutdownNow();
            if (engine.stopRequested()) {
                leases.release(run.runId(), worker); // stopped at a task boundary: the others take over at once
            }
        }
    }

    /** Plans the run unless it is planned, works on partitions until every one is done, ends the run if first. */
    private RunResult takePart(MigrationSpec spec, ObjectStore source, ObjectStore target, RunInfo run,
            RunPreflight preflight, TaskRunner runner, ProgressReporter progress, Instant started, boolean joined) {
        PlanSummary planned = planOnce(run, spec, source, target, preflight, runner);
        progress.phase(Progress.Phase.TRANSFERRING);
        int partitions = 0;
        while (true) {
            long claimedAt = System.nanoTime();
            OptionalInt part = leases.claim(run.runId(), worker, lease);
            if (part.isEmpty()) {
                if (leases.allDone(run.runId())) {
                    break;
                }
                pause(); // other workers still hold partitions; take over any whose lease expires
                continue;
            }
            current.claimed(part.getAsInt(), claimedAt);
            refuseIfHeld(spec, run); // checked with a lease of this worker published: one of the two sees the other
            boolean ranThrough;
            try {
                ranThrough = workOn(part.getAsInt(), run, runner, progress);
            } finally {
                current.finished();
            }
            if (!ranThrough) {
                // tasks not started stay open in the journal for whoever claims the partition next
                LOG.warn("worker {} stopped work on partition {}: its lease was not renewed in time or was"
                        + " taken over", worker, part.getAsInt());
                leases.release(run.runId(), worker);
                continue;
            }
            if (part.getAsInt() != Leases.DELETES) {
                partitions++;
            }
            noteWarnings(run, source, target, runner); // before the partition is done: the run may end then
            if (!leases.done(run.runId(), part.getAsInt(), worker)) {
                LOG.warn("worker {} finished partition {} after another worker took it over", worker,
                        part.getAsInt());
            }
        }
        noteWarnings(run, source, target, runner);
        ExecutionStats stats = runner.stats();
        RunSummary total = journal.run(run.runId()).orElseThrow();
        RunOutcome outcome = total.tasksFailed() == 0 ? RunOutcome.COMPLETE : RunOutcome.FAILED;
        boolean finisher = leases.finish(run.runId(), spec.migrationId(), outcome);
        LOG.info("worker {} did {} partitions, {} objects; {}", worker, partitions, stats.copied.get(),
                finisher ? "it ended the run" : "another worker ended the run");
        PlanSummary plan = planned != null ? planned : new PlanSummary(total.tasksTotal(), total.bytesTotal(), 0, 0,
                0, 0, 0, 0, total.tasksTotal(), 0);
        // every worker's warnings, as the journal has them once every partition is done
        RunResult result = stats.result(run, spec, outcome, plan, 0, started, java.util.List.of(), joined)
                .withWarnings(journal.runWarnings().of(run.runId()));
        return finisher ? engine.withReports(result, spec) : result;
    }

    /** Adds to the run's warnings in the journal those of this worker: its listings' notes and its runner's. */
    private void noteWarnings(RunInfo run, ObjectStore source, ObjectStore target, TaskRunner runner) {
        java.util.List<String> own = new java.util.ArrayList<>(Preflight.listingNotes(source, target));
        own.addAll(runner.stats().warnings());
        journal.runWarnings().note(run.runId(), worker, own);
    }

    /** Refuses a key map: a partition's keys and their target keys may lie in different partitions of the listings. */
    private static void refuseKeyMap(MigrationSpec spec) {
        if (!spec.keyMap().isEmpty()) {
            throw MigrationException.userConfig("a key map (" + String.join("; ", spec.keyMap()) + ") cannot be used"
                    + " by a run shared between workers: run it in one process");
        }
    }

    /**
     * Refuses, before anything is looked at, a run that workers share now ({@code --worker}: partitions leased, not
     * held by one process) to a process of its own, which has just taken the migration ({@code owner}, given up here):
     * joining it alone, that process would copy the partitions the workers copy.
     */
    static void refuseWhileShared(JdbcJournal journal, MigrationSpec spec, MigrationOwner owner, RunInfo run) {
        java.util.List<String> workers = journal.leases().liveWorkers(run.runId());
        if (!workers.isEmpty()) {
            owner.close();
            throw MigrationException.userConfig("migration '" + spec.name() + "' is being run by "
                    + workersText(workers) + " sharing run " + run.runId() + " now: nothing was done; give this"
                    + " command --worker to help them, or wait for them to finish (caravan status shows the run)");
        }
    }

    /** "worker a" or "workers a, b". */
    static String workersText(java.util.List<String> workers) {
        return (workers.size() == 1 ? "worker " : "workers ") + String.join(", ", workers);
    }

    /**
     * Refuses to take part while a process of its own (not a worker) runs the migration: it copies every object of
     * the run, and the partitions this worker copied would be copied twice. This worker's leases are given up.
     */
    private void refuseIfHeld(MigrationSpec spec, RunInfo run) {
        java.util.Optional<String> process = MigrationOwner.runningIn(journal.migrationOwners(), spec.migrationId());
        if (process.isPresent()) {
            leases.release(run.runId(), worker);
            throw MigrationException.userConfig("migration '" + spec.name() + "' is being run by a process of its own"
                    + " now (" + process.get() + "), not shared between workers: worker " + worker + " stopped and"
                    + " left it to that process; run the workers once it has finished");
        }
    }

    /**
     * Runs the claimed partition: the deletion phase, or the transfers of a partition while this worker's lease on
     * it holds. Returns whether it ran through (a transfer partition whose lease lapsed did not).
     */
    private boolean workOn(int part, RunInfo run, TaskRunner runner, ProgressReporter progress) {
        if (part == Leases.DELETES) {
            progress.phase(Progress.Phase.DELETING);
            runner.executeDeletes(journal.run(run.runId()).map(RunSummary::tasksFailed).orElse(0L));
            return true;
        }
        return runner.executePartition(part, current::held);
    }

    /**
     * Plans the run unless it is planned, or another live worker is planning it (then waits for that); returns the plan
     * made here, or null. Fails with USER_CONFIG when the run ends meanwhile: its planner refused it.
     */
    private PlanSummary planOnce(RunInfo run, MigrationSpec spec, ObjectStore source, ObjectStore target,
            RunPreflight preflight, TaskRunner runner) {
        while (!leases.isPlanned(run.runId())) {
            if (leases.tryPlan(run.runId(), worker, lease)) {
                return plan(run, spec, source, target, preflight, runner);
            }
            leases.outcome(run.runId()).ifPresent(outcome -> {
                throw MigrationException.userConfig("run " + run.runId() + " ended (" + outcome + ") before its plan"
                        + " was complete: the worker planning it refused it (its output says why); worker " + worker
                        + " did nothing");
            });
            pause();
        }
        return null;
    }

    /**
     * Plans the run as its planner, then, before the plan is published and any worker claims a partition of it, makes
     * the checks a run of one process makes before its first write ({@link RunPreflight}: a refusal ends the run
     * ABORTED, nothing written) and aborts, with {@code runner}, the uploads no task continues, once for the run. The
     * warnings of both go into the journal ({@link dev.caravan.core.journal.RunWarnings}), as every worker's do: the
     * worker that ends the run and writes the report may be another.
     */
    private PlanSummary plan(RunInfo run, MigrationSpec spec, ObjectStore source, ObjectStore target,
            RunPreflight preflight, TaskRunner runner) {
        try (EarlyProbe early = new EarlyProbe(preflight::probe)) {
            PlanSummary summary = engine.planInto(run, spec, source, target, false, preflight.watching(early));
            try {
                String refusal = Guards.refusal(spec, summary);
                if (refusal != null) {
                    throw MigrationException.userConfig(refusal);
                }
                preflight.beforeWrites(summary, early);
            } catch (MigrationException e) {
                if (e.kind() == ErrorKind.USER_CONFIG) {
                    leases.finish(run.runId(), spec.migrationId(), RunOutcome.ABORTED);
                }
                throw e;
            }
            java.util.List<String> warnings = new java.util.ArrayList<>(preflight.warnings(source, summary));
            warnings.addAll(Preflight.listingNotes(source, target));
            runner.abortSupersededUploads(warnings::add);
            journal.runWarnings().note(run.runId(), worker, warnings);
            leases.planned(run.runId());
            return summary;
        }
    }

    private static void pause() {
        try {
            Thread.sleep(POLL_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MigrationException(ErrorKind.FATAL, "interrupted while waiting for other workers", e);
        }
    }

    /** Builds the task runner of a run (it carries the engine's shared limiter, buffers and pools). */
    @FunctionalInterface
    interface TaskRunnerFactory {
        TaskRunner create(RunInfo run);
    }
}
