package dev.caravan.core.engine;

import java.time.Duration;

/** The runs an engine executes now, for {@link MigrationEngine#stopRuns} to wait for. Thread-safe. */
final class RunningRuns {
    private int running;

    /** A run counted until it is closed (once; closing it again does nothing). */
    interface Entry extends AutoCloseable {
        @Override
        void close();
    }

    /** Counts a run from now until the returned entry is closed. */
    synchronized Entry enter() {
        running++;
        boolean[] left = {false};
        return () -> {
            synchronized (this) {
                if (!left[0]) {
                    left[0] = true;
                    running--;
                    notifyAll();
                }
            }
        };
    }

    /** How many runs are executing. */
    synchronized int count() {
        return running;
    }

    /** Waits up to {@code atMost} for every run to end; returns whether none runs any more. */
    synchronized boolean awaitNone(Duration atMost) {
        long deadline = System.nanoTime() + atMost.toNanos();
        boolean interrupted = false;
        try {
            for (long left = atMost.toNanos(); running > 0 && left > 0; left = deadline - System.nanoTime()) {
                try {
                    wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    interrupted = true; // the stop must not be cut short: the runs still write their journal
                }
            }
            return running == 0;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
