package dev.caravan.api.error;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Says once that a request still waits for its answer: the first request of a store to a server that accepts the
 * connection and never answers (hung, overloaded, a firewall that swallows the request) would otherwise wait its whole
 * read timeout, a minute or more, without a word. Used around a blocking call:
 * <pre>{@code
 * try (WaitNotice n = WaitNotice.after(WaitNotice.AFTER, () -> LOG.warn("waiting for ..."))) {
 *     client.headBucket(...);
 * }
 * }</pre>
 * The notice runs on one shared daemon thread, and not at all when the call ends first.
 */
public final class WaitNotice implements AutoCloseable {
    /** How long a store's opening request waits before it says that it is still waiting. */
    public static final Duration AFTER = Duration.ofSeconds(10);

    private final ScheduledFuture<?> pending;

    private WaitNotice(ScheduledFuture<?> pending) {
        this.pending = pending;
    }

    /** Runs {@code notice} after {@code delay} unless {@link #close closed} before. */
    public static WaitNotice after(Duration delay, Runnable notice) {
        return new WaitNotice(Timer.INSTANCE.schedule(notice, delay.toMillis(), TimeUnit.MILLISECONDS));
    }

    /** Cancels the notice if it has not run. */
    @Override
    public void close() {
        pending.cancel(false);
    }

    private static final class Timer { // created on first use
        static final ScheduledExecutorService INSTANCE = create();

        private static ScheduledExecutorService create() {
            ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, r -> {
                Thread t = new Thread(r, "caravan-wait-notice");
                t.setDaemon(true);
                return t;
            });
            timer.setRemoveOnCancelPolicy(true); // a call that ends in time leaves nothing queued
            return timer;
        }
    }
}
