package dev.caravan.core.throttle;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * One byte-rate limit shared by every transfer of the process (a token bucket with a burst of a quarter
 * second). The rate can change while transfers run (e.g. from a schedule's bandwidth timetable). Thread-safe.
 */
public final class BandwidthLimiter {
    private volatile long bytesPerSecond;
    private long nextFreeNanos = System.nanoTime();
    private final java.util.concurrent.atomic.AtomicLong charged = new java.util.concurrent.atomic.AtomicLong();

    /** @param bytesPerSecond the limit, {@code 0} for none */
    public BandwidthLimiter(long bytesPerSecond) {
        this.bytesPerSecond = bytesPerSecond;
    }

    public void setRate(long value) {
        this.bytesPerSecond = value;
    }

    public long rate() {
        return bytesPerSecond;
    }

    /** The bytes that have passed the limit so far (while there was one). */
    public long charged() {
        return charged.get();
    }

    /** Blocks until {@code bytes} may pass. Returns at once when there is no limit. */
    public void acquire(long bytes) {
        long rate = bytesPerSecond;
        if (rate <= 0 || bytes <= 0) {
            return;
        }
        charged.addAndGet(bytes);
        long wait;
        synchronized (this) {
            long now = System.nanoTime();
            long burst = TimeUnit.MILLISECONDS.toNanos(250);
            if (nextFreeNanos < now - burst) {
                nextFreeNanos = now - burst;
            }
            nextFreeNanos += bytes * 1_000_000_000L / rate;
            wait = nextFreeNanos - now;
        }
        while (wait > 0) {
            long start = System.nanoTime();
            LockSupport.parkNanos(wait);
            if (Thread.interrupted()) {
                Thread.currentThread().interrupt();
                return;
            }
            wait -= System.nanoTime() - start;
        }
    }
}
