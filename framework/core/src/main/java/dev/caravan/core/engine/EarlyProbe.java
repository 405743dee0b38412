package dev.caravan.core.engine;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The preflight write probe of a run's target ({@link Preflight#probeWrite}), started on a thread of its own as soon
 * as the plan holds its first transfer, so that its requests (a put and a delete) overlap the rest of the planning
 * instead of following it; a run that transfers nothing never writes the probe. Only for runs no guard can refuse
 * after planning (see {@link Guards}): such a refusal must find the target untouched. Thread-safe.
 */
final class EarlyProbe implements AutoCloseable {
    private final Runnable probe;
    private volatile CompletableFuture<Void> running;

    EarlyProbe(Runnable probe) {
        this.probe = probe;
    }

    /** Starts the probe, once; later calls do nothing. */
    synchronized void start() {
        if (running == null) {
            running = CompletableFuture.runAsync(probe, task -> {
                Thread t = new Thread(task, "caravan-write-probe");
                t.setDaemon(true);
                t.start();
            });
        }
    }

    boolean started() {
        return running != null;
    }

    /** Waits for the started probe and throws what it threw. */
    void await() {
        try {
            running.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }

    /** Waits for a started probe without throwing (a planning that failed must not close the stores under it). */
    @Override
    public void close() {
        if (running != null) {
            running.exceptionally(e -> null).join();
        }
    }
}
