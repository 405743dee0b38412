package dev.caravan.core.engine;

import java.time.Duration;

/**
 * This worker's own view of the lease on the partition it works on: which one the heartbeat renews, and whether a task
 * of it may still start, so that it starts none of a partition another worker may have taken over. By the worker's clock the lease counts as held until three quarters of its time after
 * the claim or the last renewal that found it still held (the journal's expiry is a quarter later: room for a late
 * renewal and for other workers' clocks running ahead); it is lost at once when a renewal finds it taken over. A
 * worker that stalls (a long pause, a journal it cannot reach) thus stops taking tasks of the partition before
 * another can claim it. Thread-safe: the heartbeat renews while the transfer threads ask {@link #held()}.
 */
final class PartitionLease {
    private final long validNanos;
    private long generation;
    private int part = -1;
    private boolean working;
    private boolean lost;
    private long heldUntil;

    PartitionLease(Duration lease) {
        this.validNanos = lease.toNanos() - lease.toNanos() / 4;
    }

    /** Partition {@code claimed} was claimed by a call that started at {@code startedAt} ({@link System#nanoTime()}). */
    synchronized void claimed(int claimed, long startedAt) {
        generation++;
        part = claimed;
        working = true;
        lost = false;
        heldUntil = startedAt + validNanos;
    }

    /** The work on the partition ended (whether or not it was done). */
    synchronized void finished() {
        generation++;
        part = -1;
        working = false;
    }

    /** The partition worked on, to renew; -1 when none. */
    synchronized int part() {
        return part;
    }

    /** Taken before a renewal starts; a renewal of an older generation (another partition) changes nothing. */
    synchronized long generation() {
        return generation;
    }

    /**
     * A renewal that started at {@code startedAt} found the partition still held or not (taken over). Returns
     * whether this renewal found the lease lost.
     */
    synchronized boolean renewed(long generationBefore, long startedAt, boolean stillHeld) {
        if (generationBefore != generation || !working || lost) {
            return false;
        }
        if (!stillHeld) {
            lost = true;
            return true;
        }
        heldUntil = Math.max(heldUntil, startedAt + validNanos);
        return false;
    }

    /** Whether a task of the partition may still be started. */
    synchronized boolean held() {
        return working && !lost && System.nanoTime() - heldUntil < 0;
    }
}
