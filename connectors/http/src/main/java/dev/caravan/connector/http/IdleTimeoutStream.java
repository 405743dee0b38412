package dev.caravan.connector.http;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A response body that fails when a read waits longer than {@code idle} for a byte: the JDK client's bodies have no
 * read timeout (its request timeout ends with the headers), and a server that stopped sending in the middle of a body
 * hung the copy for ever. The read then fails with an {@link HttpTimeoutException} (transient: retried), after the
 * waiting thread is interrupted and the body closed. Not thread-safe (one reader, as every input stream).
 */
final class IdleTimeoutStream extends FilterInputStream {
    private static final ScheduledExecutorService WATCH = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "caravan-http-idle-watch");
        t.setDaemon(true);
        return t;
    });

    private final Duration idle;
    private final String what;
    private final ScheduledFuture<?> watch;
    private volatile Thread reader;
    private volatile long readingSince;
    private volatile boolean timedOut;

    IdleTimeoutStream(InputStream in, Duration idle, String what) {
        super(in);
        this.idle = idle;
        this.what = what;
        long period = Math.max(50, Math.min(1_000, idle.toMillis() / 4));
        this.watch = WATCH.scheduleWithFixedDelay(this::check, period, period, TimeUnit.MILLISECONDS);
    }

    private void check() {
        Thread waiting = reader;
        if (waiting != null && System.nanoTime() - readingSince > idle.toNanos()) {
            timedOut = true;
            waiting.interrupt();
            try {
                in.close();
            } catch (IOException ignored) {
                // the interrupted read fails either way
            }
        }
    }

    /** One read call, watched. */
    @FunctionalInterface
    private interface Read {
        int call() throws IOException;
    }

    private int watched(Read read) throws IOException {
        if (timedOut) {
            throw timeout();
        }
        readingSince = System.nanoTime();
        reader = Thread.currentThread();
        try {
            return read.call();
        } catch (IOException e) {
            if (timedOut) {
                Thread.interrupted(); // the watch's interrupt, not the caller's
                throw timeout();
            }
            throw e;
        } finally {
            reader = null;
            if (timedOut) {
                Thread.interrupted();
            }
        }
    }

    private HttpTimeoutException timeout() {
        return new HttpTimeoutException("no data for " + idle.toSeconds() + " s in the body of " + what
                + " (requestTimeout)");
    }

    @Override
    public int read() throws IOException {
        return watched(in::read);
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        return watched(() -> in.read(b, off, len));
    }

    @Override
    public long skip(long n) throws IOException {
        long[] skipped = new long[1];
        watched(() -> {
            skipped[0] = in.skip(n);
            return 0;
        });
        return skipped[0];
    }

    @Override
    public void close() throws IOException {
        watch.cancel(false);
        super.close();
    }
}
