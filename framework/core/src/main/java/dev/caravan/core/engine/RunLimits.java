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
    private volatile String stop;
    private volatile long left;

    /** @param isTransfer which tasks copy an object (the others, deletions, are never limited) */
    RunLimits(Predicate<TaskRecord> isTransfer) {
        this.isTransfer = isTransfer;
    }

    /** Applies {@code transferLimits} from now on: starts admitted by them, transfers in flight stopped at a hard deadline. */
    void apply(TransferLimits transferLimits) {
        this.limits = transferLimits;
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
     * Whether {@code task} was stopped at a hard max duration (it failed with {@code failure} after the deadline): then
     * it stays RUNNING in the journal with its last checkpoint, as a killed process leaves it, neither failed nor
     * done, and the next run continues it.
     */
    boolean cutOff(TaskRecord task, RuntimeException failure) {
        if (!isTransfer.test(task) || !cutoff.stopped(task.spec().item(), failure)) {
            return false;
        }
        LOG.info("{}: stopped at the max duration, for the next run to continue", task.spec().item());
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

    /** The transfers are over: the deletions and clean-ups after them are not limited. */
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
