package dev.caravan.core.engine;

import dev.caravan.api.journal.TaskRecord;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A command's limits ({@link TransferLimits}) as one run's transfers apply them: which transfer may start, which
 * stopped in flight at a hard max duration ({@link HardCutoff}), and, at the end of the transfers, why the run stops
 * unfinished. Without limits (none set, or the transfers over) it admits everything and stops nothing. Thread-safe.
 */
final class RunLimits {
    private static final Logger LOG = LoggerFactory.getLogger(RunLimits.class);

    private final Predicate<TaskRecord> isTransfer;
    private final HardCutoff cutoff = new HardCutoff();
    private volatile TransferLimits limits;
    /** The byte limit, which also counts the backup dir's copies made before the deletions ({@link #end} keeps it). */
    private volatile TransferLimits bytes;
    private volatile String stop;
    private volatile long left;
    /** Deletions left open because keeping their objects in the backup dir did not fit within the byte limit. */
    private final java.util.concurrent.atomic.AtomicLong deletionsLeft = new java.util.concurrent.atomic.AtomicLong();

    /** @param isTransfer which tasks copy an object (the others, deletions, are never limited) */
    RunLimits(Predicate<TaskRecord> isTransfer) {
        this.isTransfer = isTransfer;
    }

    /** Applies {@code transferLimits} from now on: starts admitted by them, transfers in flight stopped at a hard deadline. */
    void apply(TransferLimits transferLimits) {
        this.limits = transferLimits;
        this.bytes = transferLimits;
        cutoff.arm(transferLimits::hardDeadlinePassed);
    }

    /** What the copy pipeline reads through, so that a hard deadline stops the transfers in flight. */
    HardCutoff cutoff() {
        return cutoff;
    }

    /** Whether the limits stop every start: the time is up, or the bytes are spent. */
    boolean stopsStarts() {
        TransferLimits l = limits;
        return l != null && l.stopsStarts();
    }

    /** Whether {@code task} may start now (if so, a transfer's size is counted until {@link #copied} settles it). */
    boolean admits(TaskRecord task) {
        TransferLimits l = limits;
        return l == null || !isTransfer.test(task) || l.admit(task.spec().size());
    }

    /** Settles an admitted {@code task} that finished having sent {@code sent} bytes. */
    void copied(TaskRecord task, long sent) {
        TransferLimits l = limits;
        if (l != null && isTransfer.test(task)) {
            l.copied(task.spec().size(), sent);
        }
    }

    /**
     * Whether a copy of {@code size} bytes into the backup dir fits within the byte limit, in the transfers (on top of
     * the object that replaces the one kept) and in the deletions alike; if so it is counted until
     * {@link #backupCopied} settles it.
     */
    boolean admitsBackup(long size) {
        TransferLimits l = bytes;
        return l == null || l.admitBytes(size);
    }

    /** Settles an admitted copy of {@code size} bytes into the backup dir that sent {@code sent} bytes. */
    void backupCopied(long size, long sent) {
        TransferLimits l = bytes;
        if (l != null) {
            l.copied(size, sent);
        }
    }

    /**
     * Whether {@code task} failed with {@code failure} because the copy it was to keep in the backup dir first did not
     * fit within the byte limit ({@link Backups.OverLimit}): then, like an object not started, it stays open in the
     * journal, its original untouched, for the next run; a transfer's own size is no longer counted.
     */
    boolean leftOver(TaskRecord task, RuntimeException failure) {
        if (!(failure instanceof Backups.OverLimit)) {
            return false;
        }
        if (isTransfer.test(task)) {
            copied(task, 0);
        } else {
            deletionsLeft.incrementAndGet();
        }
        LOG.info("{}: left for the next run: {}", task.spec().item(), failure.getMessage());
        return true;
    }

    /**
     * At the end of the deletions: whether some were left open for the next run ({@link #leftOver}); if so
     * {@link #reached} says why.
     */
    boolean stoppedDeletions() {
        TransferLimits l = bytes;
        long n = deletionsLeft.get();
        if (l == null || n == 0) {
            return false;
        }
        stop = l.deletionsReason(n);
        return true;
    }

    /**
     * Whether {@code task} was stopped at a hard max duration (it failed with {@code failure} after the deadline): then
     * it stays RUNNING in the journal with its last checkpoint, as a killed process leaves it, neither failed nor
     * done, and the next run continues it.
     */
    boolean cutOff(TaskRecord task, RuntimeException failure) {
        if (!isTransfer.test(task) || !cutoff.stopped(task.spec().item(), failure)) {
            return false;
        }
        LOG.info("{}: stopped {}, for the next run to continue", task.spec().item(),
                cutoff.interrupting() ? "by the engine's shutdown" : "at the max duration");
        return true;
    }

    /**
     * At the end of the transfers: whether the limits left transfers open for the next run ({@code openTransfers} of
     * them, counted only when a limit may have stopped one); if so {@link #reached} says why.
     */
    boolean stoppedRun(LongSupplier openTransfers) {
        TransferLimits l = limits;
        if (l == null || !l.mayHaveStopped()) {
            return false;
        }
        left = Math.max(0, openTransfers.getAsLong());
        stop = left > 0 ? l.reason(left, cutoff.cutOff()) : null;
        return stop != null;
    }

    /**
     * The transfers are over: the deletions and clean-ups after them start whatever the limits, and nothing stops them
     * in flight; only the copies they keep in the backup dir still count against the byte limit ({@link #admitsBackup}).
     */
    void end() {
        limits = null;
        cutoff.disarm();
    }

    /** Why a limit stopped the run before its end; empty otherwise. */
    Optional<String> reached() {
        return Optional.ofNullable(stop);
    }

    /** The transfers a limit left open for the next run ({@link #reached}); 0 when none stopped it. */
    long left() {
        return left;
    }
}
