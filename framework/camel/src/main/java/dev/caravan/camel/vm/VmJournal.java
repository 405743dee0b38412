package dev.caravan.camel.vm;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import dev.caravan.api.journal.Checkpoint;
import dev.caravan.api.journal.RunInfo;
import dev.caravan.api.journal.RunOutcome;
import dev.caravan.api.journal.TaskId;
import dev.caravan.api.journal.TaskRecord;
import dev.caravan.api.journal.TaskReport;
import dev.caravan.api.journal.TaskSpec;
import dev.caravan.api.journal.TaskState;
import dev.caravan.api.vm.JobProgress;
import dev.caravan.api.vm.MigrationKind;
import dev.caravan.api.vm.MigrationResult;
import dev.caravan.camel.support.BadInput;
import dev.caravan.core.engine.MigrationOwner;
import dev.caravan.core.journal.JdbcJournal;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One VM move kept in the engine's journal, so that {@code caravan status} lists it with its progress: a run per
 * move (migration id from kind, source, target and domain), one task for the VM, begun when the move starts,
 * checkpointed with the last {@link JobProgress} (keys {@code vm.*}, plus {@code copy.bytes}, the journal's
 * measure of bytes done: the share of the move's size in place on the target, never more than the size, however
 * often a live migration sends memory pages again; {@link #memory} reads the memory sent against the guest's back),
 * completed with the {@link MigrationResult} as its report, or failed with the error's kind. The run ends COMPLETE,
 * ABORTED (refused before anything moved: bad configuration, a failed preflight, an unknown domain) or FAILED. One
 * process at a time runs a move ({@link #start}): a run left unfinished by a killed process is taken up by the next
 * move of the same VM between the same hosts (its task counts a second attempt), a run whose process still lives is
 * not. Thread-safe.
 */
public final class VmJournal {
    private static final Logger LOG = LoggerFactory.getLogger(VmJournal.class);
    /** At most one checkpoint per this interval; the hypervisor reports about twice a second. */
    private static final long CHECKPOINT_NANOS = Duration.ofMillis(500).toNanos();
    private static final String MEMORY_SENT = "vm.memoryProcessedBytes";
    private static final String MEMORY_TOTAL = "vm.memoryTotalBytes";
    private static final VmJournal NONE = new VmJournal(null, null, null, null, -1, null, Map.of());

    private final JdbcJournal journal;
    /** This process's hold on the move, given up when it completes or fails; {@code null} without a journal. */
    private final MigrationOwner owner;
    private final RunInfo run;
    private final TaskId task;
    private final MigrationKind kind;
    /** Bytes the move is expected to carry, or {@code -1}: the bound of {@code copy.bytes}. */
    private final long size;
    private long lastCheckpoint;
    /** The last checkpoint of the killed process's run this move takes up; empty for a new run. */
    private final Map<String, String> previous;
    /** The resume state the move recorded ({@link #record}), kept in every later checkpoint. */
    private final Map<String, String> resumeState = new LinkedHashMap<>();
    /** The last progress checkpoint's values (without the resume state). */
    private Map<String, String> lastProgress = Map.of();
    /** The guest's memory as the last progress reported it, or {@code -1}. */
    private long memoryTotal = -1;
    private boolean finished;

    private VmJournal(JdbcJournal journal, RunInfo run, TaskId task, MigrationKind kind, long size,
            MigrationOwner owner, Map<String, String> previous) {
        this.journal = journal;
        this.previous = Map.copyOf(previous);
        this.owner = owner;
        this.run = run;
        this.task = task;
        this.kind = kind;
        this.size = size;
    }

    /** A journal that records nothing (journal=false, or no engine). */
    static VmJournal none() {
        return NONE;
    }

    /**
     * Takes the move for this process, then starts its run and begins its task. The hold is the engine's per-migration
     * hold ({@link MigrationOwner}), renewed in the background until the move completes or fails: a second process
     * moving the same VM between the same hosts meanwhile is refused (USER_CONFIG, nothing done) naming the process
     * that runs it, and an unfinished run is taken up only once the process that left it is gone.
     *
     * @param size bytes the move is expected to carry (memory and copied disks), or {@code -1}
     */
    static VmJournal start(JdbcJournal journal, MigrationKind kind, String domain, String source, String target,
            long size) {
        String unit = kind.name().toLowerCase(Locale.ROOT) + ":" + domain;
        String migrationId = "vm-" + TaskId.of(source, target, unit).value().substring(0, 16);
        String description = "vm-" + kind.name().toLowerCase(Locale.ROOT) + " " + domain + ": " + source
                + (target.equals(source) ? "" : " -> " + target);
        MigrationOwner owner = MigrationOwner.takeOn(journal, migrationId, description, "wait for it to finish"
                + " (caravan status shows its run) or stop it; a rerun once it is gone takes up what it left");
        try {
            RunInfo run = journal.startRun(migrationId, description, null);
            TaskId id = TaskId.of(source, target, unit + ":" + run.runId());
            if (run.resumed() && journal.task(id).map(t -> t.state() == TaskState.DONE).orElse(false)) {
                journal.finishRun(run.runId(), RunOutcome.COMPLETE, Map.of()); // killed after its task was done
                run = journal.startRun(migrationId, description, null);
                id = TaskId.of(source, target, unit + ":" + run.runId());
            }
            Optional<TaskRecord> left = run.resumed() ? journal.task(id) : Optional.empty();
            // a rerun that cannot size the move (the killed run removed the domain from the source) keeps its size
            long planned = size >= 0 ? size : left.map(t -> t.spec().size()).orElse(size);
            journal.plan(run.runId(), List.of(new TaskSpec(id, "VM_" + kind.name(), domain, planned)).iterator());
            Map<String, String> previous = left.map(t -> t.checkpoint().values()).orElse(Map.of());
            journal.begin(run.runId(), id);
            LOG.debug("{} run {} of {}", run.resumed() ? "resuming" : "starting", run.runId(), description);
            return new VmJournal(journal, run, id, kind, planned, owner, previous);
        } catch (RuntimeException e) {
            owner.close();
            throw e;
        }
    }

    /** The journal run, or {@code null} without a journal. */
    public String runId() {
        return run == null ? null : run.runId();
    }

    /** When the journal run began (the killed process's run when {@link #resumed()}), or {@code null} without one. */
    public Instant startedAt() {
        return run == null ? null : run.startedAt();
    }

    /** Whether this move takes up a run that a killed process left unfinished (false without a journal). */
    public boolean resumed() {
        return run != null && run.resumed();
    }

    /** Records a progress snapshot (at most one write per half second). */
    public synchronized void progress(JobProgress p) {
        if (journal == null || finished) {
            return;
        }
        long now = System.nanoTime();
        if (lastCheckpoint != 0 && now - lastCheckpoint < CHECKPOINT_NANOS) {
            return;
        }
        lastCheckpoint = now;
        Map<String, String> values = new LinkedHashMap<>();
        memoryTotal = p.memoryTotalBytes() >= 0 ? p.memoryTotalBytes() : memoryTotal;
        values.put("copy.bytes", Long.toString(doneOfSize(p)));
        values.put("vm.kind", p.kind().name());
        values.put("vm.processedBytes", Long.toString(p.processedBytes()));
        values.put("vm.remainingBytes", Long.toString(p.remainingBytes()));
        values.put("vm.totalBytes", Long.toString(p.totalBytes()));
        values.put("vm.iterations", Long.toString(p.memoryIterations()));
        values.put(MEMORY_SENT, Long.toString(p.memoryProcessedBytes()));
        values.put(MEMORY_TOTAL, Long.toString(p.memoryTotalBytes()));
        values.put("vm.dirtyRate", Long.toString(p.dirtyRateBytesPerSec()));
        values.put("vm.elapsedMs", Long.toString(p.elapsed() == null ? -1 : p.elapsed().toMillis()));
        lastProgress = values;
        write("the progress");
    }

    /**
     * The bytes done in the measure of the task's size: the share the hypervisor reports done ({@link
     * JobProgress#doneBytes()} of its total) of the size, since the two may count differently (libvirt counts a
     * copied disk's capacity, the size its allocation); never more than the size.
     */
    private long doneOfSize(JobProgress p) {
        long done = p.doneBytes();
        if (size <= 0) {
            return done;
        }
        return p.totalBytes() > 0 ? (long) (size * ((double) done / p.totalBytes())) : Math.min(size, done);
    }

    /**
     * The last checkpoint of the run this move takes up, as the killed process left it: its progress and the resume
     * state it recorded ({@link #record}); empty for a new run and without a journal.
     */
    public Map<String, String> previousState() {
        return previous;
    }

    /**
     * Records resume state of the move (keys namespaced by the component that reads them back, e.g. {@code cold.*}),
     * at once: a process killed right afterwards leaves it for the rerun ({@link #previousState()}). Kept in every
     * later progress checkpoint; a failure to write it is logged and the move goes on.
     */
    public synchronized void record(Map<String, String> state) {
        if (journal == null || finished) {
            return;
        }
        requireHeld(); // resume state is recorded before a step that cannot be undone: never for a move lost meanwhile
        resumeState.putAll(state);
        write("the resume state");
    }

    private void write(String what) {
        Map<String, String> values = new LinkedHashMap<>(lastProgress);
        values.putAll(resumeState);
        try {
            journal.checkpoint(task, new Checkpoint(values));
        } catch (RuntimeException e) {
            LOG.warn("recording {} of run {}: {}", what, run.runId(), e.getMessage()); // the move goes on
        }
    }

    /**
     * Throws FATAL, saying why, once this process no longer holds the move: it was paused (SIGSTOP, a machine asleep)
     * for longer than its hold's lease and another process took the move over meanwhile
     * ({@link MigrationOwner#requireHeld}). Checked before each step that cannot be undone (a cold move's removal from
     * the source), so that two processes never both take it. Nothing without a journal.
     */
    public void requireHeld() {
        if (owner != null) {
            owner.requireHeld();
        }
    }

    /**
     * Whether another process took the move over ({@link #requireHeld}): the run is that process's now, and this one
     * records nothing more in it (its completion or failure would end the other's run under it).
     */
    private boolean lostToAnother() {
        if (owner == null || owner.lost().isEmpty()) {
            return false;
        }
        LOG.warn("run {}: not recorded by this process, which lost the move: {}", run.runId(), owner.lost().get());
        return true;
    }

    /** The move succeeded: the task is done with the result as its report, the run COMPLETE. */
    public synchronized void complete(MigrationResult r) {
        if (journal == null || finished) {
            return;
        }
        finished = true;
        if (lostToAnother()) {
            owner.close();
            return;
        }
        try {
            journal.complete(run.runId(), task, new TaskReport(r.bytes(), report(r)));
            journal.finishRun(run.runId(), RunOutcome.COMPLETE, Map.of());
        } finally {
            owner.close();
        }
    }

    /** The move failed: the task failed with the error's kind; the run ABORTED for bad input, else FAILED. */
    public synchronized void fail(RuntimeException e) {
        if (journal == null || finished) {
            return;
        }
        finished = true;
        if (lostToAnother()) {
            owner.close();
            return;
        }
        ErrorKind k = e instanceof MigrationException m ? m.kind() : ErrorKind.FATAL;
        try {
            journal.fail(run.runId(), task, k.name(), String.valueOf(e.getMessage()));
            journal.finishRun(run.runId(), BadInput.isBadInput(k) ? RunOutcome.ABORTED
                    : k == ErrorKind.VERIFICATION_FAILED ? RunOutcome.VERIFICATION_FAILED : RunOutcome.FAILED,
                    Map.of());
        } catch (RuntimeException j) {
            e.addSuppressed(j);
        } finally {
            owner.close();
        }
    }

    /**
     * Gives the hold up and leaves the run unfinished, for a later move to take up: for a move refused because what a
     * killed process started still goes on (so its run is not failed), and for tests of what a rerun finds after a
     * kill (a killed process's hold goes with it). Then {@link #complete} and {@link #fail} record nothing.
     */
    public synchronized void abandon() {
        finished = true;
        if (owner != null) {
            owner.close();
        }
    }

    /**
     * The memory a live move sent against the guest's memory, as its journal task holds them.
     *
     * @param sentBytes  memory bytes sent (pages the guest dirtied are sent again: it can exceed the total)
     * @param totalBytes the guest's memory, or {@code -1} when unknown
     * @param passes     pre-copy passes over memory
     */
    public record MemoryFigures(long sentBytes, long totalBytes, long passes) {
    }

    /**
     * The memory figures of a VM move's task: from its last progress while it runs (or was killed), from its report
     * once done; empty for a task of another kind, one without memory figures (a cold or storage move) and one that
     * sent no memory yet.
     */
    public static Optional<MemoryFigures> memory(TaskRecord task) {
        if (task == null || task.spec() == null || !("VM_" + MigrationKind.LIVE.name()).equals(task.spec().action())) {
            return Optional.empty();
        }
        Map<String, String> v = task.report() != null ? task.report().values() : task.checkpoint().values();
        long sent = number(v.get(task.report() != null ? "vm.memoryBytes" : MEMORY_SENT));
        long total = number(v.get(MEMORY_TOTAL));
        return sent <= 0 ? Optional.empty() // none sent yet (a shared-nothing move copies its disks first)
                : Optional.of(new MemoryFigures(sent, total > 0 ? total : -1, Math.max(0,
                        number(v.get("vm.iterations")))));
    }

    private static long number(String s) {
        try {
            return s == null ? -1 : Long.parseLong(s);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private Map<String, String> report(MigrationResult r) {
        Map<String, String> v = new LinkedHashMap<>();
        v.put("vm.kind", kind.name());
        v.put("vm.name", r.name());
        v.put("vm.target", r.target());
        put(v, "vm.wallMs", r.wall());
        put(v, "vm.elapsedMs", r.elapsed());
        put(v, "vm.downtimeMs", r.downtime());
        v.put("vm.iterations", Long.toString(r.iterations()));
        v.put("vm.memoryBytes", Long.toString(r.memoryBytes()));
        v.put(MEMORY_TOTAL, r.details().getOrDefault("memory_total", Long.toString(memoryTotal)));
        v.put("vm.diskBytes", Long.toString(r.diskBytes()));
        r.details().forEach((k, val) -> v.put("vm.detail." + k, val));
        return v;
    }

    private static void put(Map<String, String> v, String key, Duration d) {
        if (d != null) {
            v.put(key, Long.toString(d.toMillis()));
        }
    }
}
