package dev.caravan.core.engine;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.FileTreeClashException;
import dev.caravan.api.error.MigrationException;
import dev.caravan.api.journal.Checkpoint;
import dev.caravan.api.journal.RunInfo;
import dev.caravan.api.journal.TaskId;
import dev.caravan.api.journal.TaskRecord;
import dev.caravan.api.journal.TaskReport;
import dev.caravan.api.journal.TaskState;
import dev.caravan.api.store.ObjectStore;
import dev.caravan.api.store.Prefetch;
import dev.caravan.api.verify.VerificationItem;
import dev.caravan.api.verify.VerificationOutcome;
import dev.caravan.core.journal.JdbcJournal;
import dev.caravan.core.metadata.MetadataMapping;
import dev.caravan.core.metadata.MetadataNote;
import dev.caravan.core.metadata.MetadataRule;
import dev.caravan.core.plan.CopyFacts;
import dev.caravan.core.plan.KeyMap;
import dev.caravan.core.plan.MigrationSpec;
import dev.caravan.core.plan.Mode;
import dev.caravan.core.plan.PlannedTask;
import dev.caravan.core.registry.ConnectorRegistry;
import dev.caravan.core.retry.RetryPolicy;
import dev.caravan.core.throttle.BandwidthLimiter;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Executes the planned tasks of a run from the journal: transfers first, with a bound on parallelism, then
 * deletions (only when every transfer succeeded, as rclone does). Each task is begun, retried for transient
 * errors, and completed or failed in the journal.
 *
 * <p>A sync replaces a file on the target with a folder of the same name, and a folder with a file (rclone's sync
 * cannot): a copy that meets a {@link FileTreeClashException} waits, the deletions (of the target's objects the source
 * no longer has, the obstacle among them) run, then the copy is tried once more, and fails only then.
 */
final class TaskRunner {
    private static final Logger LOG = LoggerFactory.getLogger(TaskRunner.class);
    private static final Set<TaskState> OPEN = EnumSet.of(TaskState.PENDING, TaskState.RUNNING);

    private final MigrationSpec spec;
    /** Where each source key goes on the target (a copy, sync or move task's item is a source key). */
    private final KeyMap keyMap;
    private final ObjectStore source;
    private final ObjectStore target;
    private final JdbcJournal journal;
    private final RunInfo run;
    private final CopyPipeline pipeline;
    private final ExistingCopies existing;
    private final RetryPolicy retry;
    private final ExecutionStats stats = new ExecutionStats();
    private final AtomicReference<MigrationException> fatal = new AtomicReference<>();
    /** A move's sources, deleted in batches once the journal holds their copies (see {@link MovedSources}). */
    private final MovedSources movedSources;
    private static final BooleanSupplier ALWAYS = () -> true;
    private BooleanSupplier stop = () -> false;
    /** The process's hold on the migration, when it runs it alone; null for a shared run's worker. */
    private MigrationOwner owner;
    /** This worker's lease on the partition it runs, when it runs one (see {@link #executePartition}). */
    private volatile BooleanSupplier partitionHeld = ALWAYS;
    /** The command's limits on bytes and time ({@link #limitedBy}); none until then. */
    private final RunLimits limits = new RunLimits(TaskRunner::isTransfer);
    /** Whether a transfer that meets a file/directory clash waits for the deletions (a sync run by one worker). */
    private volatile boolean deferClashes;
    /** What each task does to the stores (copy, replace, delete, clean up). */
    private final TaskActions actions;
    /** The backup dir's copies ({@link #preserving}); null without one. */
    private Backups backups;
    /** What opens the stores of earlier backup dirs whose uploads the run aborts ({@link UploadStores}). */
    private ConnectorRegistry registry;

    TaskRunner(MigrationSpec spec, ObjectStore source, ObjectStore target, JdbcJournal journal, RunInfo run,
            BandwidthLimiter limiter, PartBuffers buffers, ExecutorService partPool) {
        this.spec = spec;
        this.keyMap = spec.parsedKeyMap();
        this.source = source;
        this.target = target;
        this.journal = journal;
        this.run = run;
        this.retry = RetryPolicy.of(spec.retries(), spec.retryBaseDelay(), spec.outageWait());
        this.movedSources = new MovedSources(journal::awaitWritten, this::deleteMovedSource, spec.transfers());
        this.existing = new ExistingCopies(source, target, keyMap);
        this.pipeline = new CopyPipeline(source, target, spec.verify(), limiter, journal, buffers, partPool, retry,
                MetadataRule.parseAll(spec.metadataRules()), spec.filters().maxSize(), limits.cutoff())
                .warningsTo(stats::warn);
        this.actions = new TaskActions(target, keyMap, pipeline, existing, stats, new AttributeUpdate(source, target,
                new MetadataMapping(MetadataRule.parseAll(spec.metadataRules()), target), spec.compare()));
    }

    /**
     * Makes the runner stop at a task boundary once {@code when} is true: tasks in flight finish, no new one
     * starts, and the execute methods then throw a TRANSIENT {@link MigrationException} (the run stays unfinished
     * for the next run to resume).
     */
    TaskRunner stopWhen(BooleanSupplier when) {
        this.stop = when;
        return this;
    }

    /**
     * Makes the runner stop the transfers in flight once {@code when} is true, as a hard max duration does: each is left
     * RUNNING in the journal with the checkpoint of its last finished part (a multipart upload stays open to resume),
     * neither failed nor done; with {@link #stopWhen} true as well, the execute methods then throw the stop.
     */
    TaskRunner interruptWhen(BooleanSupplier when) {
        limits.cutoff().interruptWhen(when);
        return this;
    }

    /**
     * Makes the runner stop at a task boundary once this process no longer holds the migration (another process took
     * it over while this one was paused: {@link MigrationOwner#held}); the execute methods then throw a FATAL
     * {@link MigrationException} saying so, and the run is left to that process.
     */
    TaskRunner heldBy(MigrationOwner holder) {
        this.owner = holder;
        return this;
    }

    /**
     * Makes the runner start an object only while {@code transferLimits} admit it, and stop those in flight at a hard
     * max duration ({@link HardCutoff}): the run then ends without its deletions, its tasks left open for the next
     * run ({@link #limitReached()} says why).
     */
    TaskRunner limitedBy(TransferLimits transferLimits) {
        limits.apply(transferLimits);
        return this;
    }

    /**
     * Makes the runner keep each target object in {@code keeper}'s backup dir before it deletes or overwrites it; those
     * copies stop at a hard max duration as the run's transfers do, and count against its max transfer. {@code stores}
     * opens the earlier backup dirs whose recorded uploads the run aborts ({@link UploadStores}).
     */
    TaskRunner preserving(Backups keeper, ConnectorRegistry stores) {
        this.backups = keeper;
        this.registry = stores;
        actions.preserving(keeper == null ? null : keeper.within(limits, stats::warn));
        return this;
    }

    /** Why a limit stopped this run before its end (objects not started, deletions not done); empty otherwise. */
    java.util.Optional<String> limitReached() {
        return limits.reached();
    }

    /** The transfers a limit left open for the next run ({@link #limitReached()}); 0 when none stopped it. */
    long leftForNextRun() {
        return limits.left();
    }

    private boolean stopping() {
        return stop.getAsBoolean() || owner != null && !owner.held() || limits.stopsStarts();
    }

    private void rethrowStopped() {
        if (owner != null && owner.lost().isPresent()) {
            throw new MigrationException(ErrorKind.FATAL, owner.lost().get());
        }
        if (stop.getAsBoolean()) {
            throw new RunEndedException(ErrorKind.TRANSIENT, (limits.cutoff().interrupting()
                    ? "stopped (shutting down: the objects in flight were interrupted, to go on from where they are)"
                    : "stopped at a task boundary (shutting down)") + "; the next run of this migration resumes it",
                    null, run.runId(), true);
        }
    }

    /** Runs every open task of the run; returns the totals. A fatal error stops the run and is rethrown. */
    ExecutionStats execute(Runnable onPhaseDeletes) {
        deferClashes = spec.mode() == Mode.SYNC;
        if (run.resumed()) {
            stats.deletionsFoundDone.addAndGet(StaleDeletions.settle(journal, run.runId(), source, target));
        }
        abortSupersededUploads();
        // a first run's tasks come from the plan in memory (spread over directories, see DirectoryStripes); any other
        // run's are read back from the journal, in the plan's order
        long others = runAll(() -> journal.freshTasks(run.runId())
                .map(fresh -> DirectoryStripes.interleave(fresh.toList()).stream())
                .orElseGet(() -> journal.tasks(run.runId(), OPEN)), TaskRunner::isTransfer);
        movedSources.drain();
        if (stats.metadataNotes.get() > 0) {
            LOG.warn("{} attribute(s) of copied objects did not reach {} as they were (mapped by a rule, dropped by one,"
                    + " or not kept by the target); the run's report lists them", stats.metadataNotes.get(),
                    target.uri());
        }
        rethrowStopped();
        for (ObjectStore side : List.of(source, target)) { // not compared: the run fails, and deletes nothing
            Preflight.unlisted(side).ifPresent(unread -> {
                stats.failed.addAndGet(Preflight.unlistedCount(side));
                stats.error(unread.detail());
            });
        }
        if (limits.stoppedRun(this::openTransfers)) { // the rest, deletions included, next run
            rethrowFatal();
            return stats;
        }
        // the transfers' pass read every open task (but where limits stopped it early): without a deletion, clean-up
        // or deferred copy, no second pass
        boolean readAll = !limits.stopsStarts();
        limits.end(); // the transfers are over: deletions start whatever the limits (their backup copies still count)
        if (fatal.get() == null && (others > 0 || !readAll || stats.deferredTransfers.get() > 0)) {
            onPhaseDeletes.run();
            executeDeletes(stats.failedTransfers.get());
            limits.stoppedDeletions(); // deletions whose backup copies did not fit: the next run's
        }
        rethrowFatal();
        return stats;
    }

    /**
     * Runs the open transfer tasks of one partition (several workers share a run by partitions) while {@code held}
     * (this worker's lease on it): once it is not, no further task starts. Returns whether the lease was held to the
     * end, every task of the partition run.
     */
    boolean executePartition(int partition, BooleanSupplier held) {
        partitionHeld = held;
        try {
            runAll(() -> journal.tasks(run.runId(), OPEN, partition), TaskRunner::isTransfer);
            movedSources.drain();
        } finally {
            partitionHeld = ALWAYS;
        }
        rethrowFatal();
        rethrowStopped();
        return held.getAsBoolean();
    }

    /**
     * After every transfer: removes temporary objects an interrupted run left behind (never while a copy might be
     * writing the same deterministic name), then runs the deletions, or skips them when {@code failedTransfers}
     * is not zero; then tries once more the copies that met a file/directory clash (see the class comment).
     */
    void executeDeletes(long failedTransfers) {
        runAll(() -> journal.tasks(run.runId(), OPEN), t -> PlannedTask.CLEANUP.equals(t.spec().action()));
        long unlisted = Preflight.unlistedCount(source) + Preflight.unlistedCount(target);
        if (failedTransfers == 0 && unlisted == 0) {
            runAll(() -> journal.tasks(run.runId(), OPEN), t -> PlannedTask.DELETE.equals(t.spec().action()));
        } else {
            skipDeletes(failedTransfers > 0 ? failedTransfers + " transfer(s) failed"
                    : unlisted + " director" + (unlisted == 1 ? "y" : "ies") + " could not be read");
        }
        if (fatal.get() == null && stats.deferredTransfers.get() > 0) {
            deferClashes = false;
            LOG.info("copying once more the {} object(s) that met a file/directory clash", stats.deferredTransfers);
            // the deferred tasks are the only open transfers left: every other one is done or failed
            runAll(() -> journal.tasks(run.runId(), OPEN), TaskRunner::isTransfer);
        }
        rethrowFatal();
        rethrowStopped();
    }

    /**
     * Aborts the uploads recorded by tasks that the run's plan superseded, or that an earlier run left, and those its
     * tasks recorded under a key they no longer write or on another store, before new uploads begin
     * ({@link SupersededUploads}), each told in the run's warnings, which also name the uploads other migrations
     * recorded on the run's stores ({@link OtherUploads}); once the plan is in the journal.
     */
    void abortSupersededUploads() {
        abortSupersededUploads(stats::warn);
    }

    /** As {@link #abortSupersededUploads()}, telling each to {@code warnings} instead of this runner's totals. */
    void abortSupersededUploads(java.util.function.Consumer<String> warnings) {
        SupersededUploads.abort(journal, spec, run.runId(), target, backups,
                new UploadStores(journal, registry, spec, target, backups), warnings);
        OtherUploads.find(journal, spec, target, backups).warnings().forEach(warnings);
    }

    /** The transfers left open, but for those waiting for the deletions. */
    private long openTransfers() {
        try (Stream<TaskRecord> open = journal.tasks(run.runId(), OPEN)) {
            return open.filter(TaskRunner::isTransfer).count() - stats.deferredTransfers.get();
        }
    }

    private static boolean isTransfer(TaskRecord t) {
        String action = t.spec().action();
        return !PlannedTask.DELETE.equals(action) && !PlannedTask.CLEANUP.equals(action);
    }

    ExecutionStats stats() {
        return stats;
    }

    private void rethrowFatal() {
        if (fatal.get() != null) {
            throw fatal.get();
        }
    }

    /**
     * Runs the tasks of {@code source} that {@code which} accepts on {@link MigrationSpec#transfers()} workers, each
     * taking its next task from one {@link TaskFeed} (which prefetches small source objects where the source can);
     * returns how many tasks it read that {@code which} refused.
     */
    private long runAll(java.util.function.Supplier<Stream<TaskRecord>> source, Predicate<TaskRecord> which) {
        int workers = spec.transfers();
        ExecutorService pool = Executors.newFixedThreadPool(workers, r -> {
            Thread t = new Thread(r, "caravan-transfer");
            t.setDaemon(true);
            return t;
        });
        AtomicReference<RuntimeException> broken = new AtomicReference<>(); // the task list could not be read
        try (Stream<TaskRecord> tasks = source.get();
                TaskFeed feed = new TaskFeed(tasks.iterator(), which, this.source.capability(Prefetch.class))) {
            // no worker is started for nothing: each is started with a task taken here (a no-change rerun starts
            // none; 4 large objects start 4 of the 16 workers), then takes its next ones from the feed itself
            TaskRecord next = feed.next();
            for (int i = 0; next != null; i++) {
                TaskRecord first = next;
                pool.execute(() -> work(first, feed, broken));
                next = i + 1 < workers && running(broken) ? feed.nextOrNull(broken) : null;
            }
            awaitWorkers(pool);
            if (broken.get() != null) {
                throw broken.get();
            }
            return feed.passedOver();
        }
    }

    /** A worker: runs {@code task}, then the feed's next ones, until the feed is empty or the run must stop. */
    private void work(TaskRecord task, TaskFeed feed, AtomicReference<RuntimeException> broken) {
        try {
            while (running(broken) && (task != null || (task = feed.next()) != null)) {
                if (limits.admits(task)) {
                    runOne(task);
                } // else left open: it did not fit within the command's limits
                task = null;
            }
        } catch (RuntimeException e) {
            broken.compareAndSet(null, e);
        }
    }

    private boolean running(AtomicReference<RuntimeException> broken) {
        return fatal.get() == null && broken.get() == null && !stopping() && partitionHeld.getAsBoolean();
    }

    private static void awaitWorkers(ExecutorService pool) {
        pool.shutdown();
        try {
            while (!pool.awaitTermination(1, TimeUnit.HOURS)) {
                LOG.info("still waiting for transfers to finish");
            }
        } catch (InterruptedException e) {
            pool.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    private void runOne(TaskRecord task) {
        TaskId id = task.spec().id();
        String key = task.spec().item();
        journal.begin(run.runId(), id);
        int[] tries = {0};
        try {
            TransferOutcome outcome = retry.call(key, () -> {
                limits.cutoff().check(key); // past a hard deadline no attempt begins (a store may have made the cut transient)
                return actions.attempt(tries[0]++ == 0 ? task : withLatestCheckpoint(task));
            });
            journal.retried(id, tries[0] - 1);
            Map<String, String> report = new HashMap<>();
            if (outcome.sha256() != null) {
                report.put(CopyFacts.SHA256, outcome.sha256());
            }
            if (outcome.transferred()) {
                report.put(CopyFacts.BYTES_SENT, Long.toString(outcome.bytesSent()));
            }
            if (!outcome.metadata().isEmpty()) {
                // what the target did not get as it was: kept with the task, listed in the run's report
                report.put(MetadataNote.REPORT_KEY, MetadataNote.encode(outcome.metadata()));
                stats.metadataNotes.addAndGet(outcome.metadata().size());
                LOG.debug("{}: {} attribute(s) not carried over as they were: {}", key, outcome.metadata().size(),
                        outcome.metadata().stream().map(n -> n.attribute() + " " + n.action()).toList());
            }
            report.putAll(outcome.facts()); // target ETag and size: the next plan's shortcut (CopyFacts)
            if (outcome.verification() != null) {
                report.put("verify.method", outcome.verification().method());
                stats.verification.add(outcome.verification());
            }
            journal.complete(run.runId(), id, new TaskReport(outcome.bytes(), report));
            limits.copied(task, outcome.transferred() ? outcome.bytesSent() : 0);
            if (outcome.transferred()) {
                stats.copied.incrementAndGet();
                stats.bytes.addAndGet(outcome.bytes());
                stats.bytesResumed.addAndGet(Math.max(0, outcome.bytes() - outcome.bytesSent()));
            }
            if (spec.mode() == Mode.MOVE && PlannedTask.transfers(task.spec().action())) {
                movedSources.add(id, key);
            }
        } catch (MigrationException e) {
            if (limits.cutOff(task, e) || limits.leftOver(task, e)) {
                return;
            }
            if (deferClashes && PlannedTask.transfers(task.spec().action()) && FileTreeClashException.causes(e)) {
                // stays RUNNING in the journal: open for the pass after the deletions, and for a rerun
                stats.deferredTransfers.incrementAndGet();
                LOG.info("{}: {}; copying it again after the sync's deletions", key, e.getMessage());
                return;
            }
            countFailure(task);
            stats.error(task.spec().action() + " " + key, e.getMessage());
            journal.retried(id, tries[0] - 1);
            journal.fail(run.runId(), id, e.kind().name(), e.getMessage());
            if (e.kind() == ErrorKind.VERIFICATION_FAILED) {
                stats.verificationFailures.incrementAndGet();
                stats.verification.add(new VerificationItem(key, VerificationOutcome.DIFFER, "sha256", e.getMessage()));
            }
            boolean stopSaid = fatal.get() != null; // the stop was said already: the tasks in flight with it follow
            if (e.kind() == ErrorKind.FATAL) {
                fatal.compareAndSet(null, e);
            }
            if (stopSaid && e.kind() == ErrorKind.FATAL) {
                LOG.debug("{} {} failed: {}", task.spec().action(), key, e.getMessage());
            } else {
                LOG.warn("{} {} failed: {}", task.spec().action(), key, e.getMessage());
            }
        } catch (RuntimeException e) {
            if (!limits.cutOff(task, e)) {
                failUnexpectedly(task, e);
            }
        } catch (Error e) {
            failUnexpectedly(task, e);
        }
    }

    private void failUnexpectedly(TaskRecord task, Throwable e) {
        TaskId id = task.spec().id();
        String key = task.spec().item();
        // a bug or the JVM in trouble: record it, stop the run, never leave the task silently RUNNING
        countFailure(task);
        stats.error(task.spec().action() + " " + key, String.valueOf(e));
        journal.fail(run.runId(), id, ErrorKind.FATAL.name(), String.valueOf(e));
        fatal.compareAndSet(null, new MigrationException(ErrorKind.FATAL, key + ": " + e, e));
        LOG.error("{} {} failed unexpectedly", task.spec().action(), key, e);
    }

    /** Deletes the source of a move's recorded copy ({@link MovedSources}); one that keeps failing fails the task. */
    private void deleteMovedSource(MovedSources.Moved moved) {
        String key = moved.key();
        try {
            retry.call("deleting the source of " + key, () -> {
                source.delete(key);
                return null;
            });
            stats.deleted.incrementAndGet();
        } catch (RuntimeException e) {
            ErrorKind kind = e instanceof MigrationException m ? m.kind() : ErrorKind.FATAL;
            String message = "copied and verified, but the source was not deleted: "
                    + (e instanceof MigrationException ? e.getMessage() : String.valueOf(e));
            stats.failed.incrementAndGet();
            stats.failedTransfers.incrementAndGet();
            stats.error("MOVE " + key, message);
            journal.fail(run.runId(), moved.task(), kind.name(), message); // the next run plans the deletion again
            if (kind == ErrorKind.FATAL) {
                fatal.compareAndSet(null, new MigrationException(kind, key + ": " + message, e));
            }
            LOG.warn("{}: {}", key, message);
        }
    }

    /**
     * The task as it was planned, with the checkpoint an earlier attempt of this run stored (a multipart upload's id
     * and finished parts), so that a retry continues the object instead of starting it again.
     */
    private TaskRecord withLatestCheckpoint(TaskRecord task) {
        Checkpoint latest = journal.task(task.spec().id()).map(TaskRecord::checkpoint).orElse(task.checkpoint());
        return new TaskRecord(task.spec(), task.runId(), task.state(), task.attempts(), latest, task.report(),
                task.error());
    }

    private void countFailure(TaskRecord task) {
        stats.failed.incrementAndGet();
        if (PlannedTask.transfers(task.spec().action())) {
            stats.failedTransfers.incrementAndGet();
        }
    }

    private void skipDeletes(String because) {
        try (Stream<TaskRecord> tasks = journal.tasks(run.runId(), OPEN)) {
            tasks.filter(t -> PlannedTask.DELETE.equals(t.spec().action())).forEach(t ->
                    journal.skip(t.spec().id(), "not deleting: " + because));
        }
        stats.error("deletions skipped because " + because);
    }
}
