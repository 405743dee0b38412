package dev.caravan.runtime.schedule;

import dev.caravan.core.throttle.BandwidthLimiter;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sets the engine's shared bandwidth limit from the timetables of the schedules whose runs are going on: the
 * lowest limit any of them asks for right now wins, and when none is active the limit goes back to what it was.
 * Checked when a run starts or ends and every few seconds in between, so a limit changes within seconds of a
 * timetable boundary. Thread-safe.
 */
public final class BandwidthScheduler implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BandwidthScheduler.class);

    private final Supplier<BandwidthLimiter> limiter;
    private final Clock clock;
    private final Map<Object, BandwidthTimetable> active = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer;
    private long base = -1;

    /**
     * @param limiter the engine's limiter (asked for when first needed)
     * @param clock   the time the timetables are read at
     * @param every   how often the limit is re-checked while a timetable is active
     */
    public BandwidthScheduler(Supplier<BandwidthLimiter> limiter, Clock clock, Duration every) {
        this.limiter = limiter;
        this.clock = clock;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "caravan-bandwidth-timetable");
            t.setDaemon(true);
            return t;
        });
        long ms = Math.max(100, every.toMillis());
        timer.scheduleWithFixedDelay(this::applySafely, ms, ms, TimeUnit.MILLISECONDS);
    }

    /** A run governed by this timetable started; {@code owner} identifies it until {@link #deactivate}. */
    public void activate(Object owner, BandwidthTimetable timetable) {
        active.put(owner, timetable);
        apply();
    }

    /** The run of {@code owner} ended. */
    public void deactivate(Object owner) {
        if (active.remove(owner) != null) {
            apply();
        }
    }

    private void applySafely() {
        try {
            apply();
        } catch (RuntimeException e) {
            LOG.warn("could not apply the bandwidth timetable: {}", e.getMessage());
        }
    }

    /** Sets the limit the active timetables ask for now; returns it (0: none). */
    public synchronized long apply() {
        if (active.isEmpty() && base < 0) {
            return -1; // never touched the limiter
        }
        BandwidthLimiter l = limiter.get();
        if (base < 0) {
            base = l.rate();
        }
        if (active.isEmpty()) {
            if (l.rate() != base) {
                LOG.info("bandwidth limit back to {}", base == 0 ? "unlimited" : base + " B/s");
                l.setRate(base);
            }
            base = -1;
            return l.rate();
        }
        long rate = 0;
        for (BandwidthTimetable t : active.values()) {
            long r = t.rateAt(clock.instant());
            if (r > 0 && (rate == 0 || r < rate)) {
                rate = r;
            }
        }
        if (l.rate() != rate) {
            LOG.info("bandwidth timetable: limit {}", rate == 0 ? "unlimited" : rate + " B/s");
            l.setRate(rate);
        }
        return rate;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
