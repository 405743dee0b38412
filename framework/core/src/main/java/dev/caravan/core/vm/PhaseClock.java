package dev.caravan.core.vm;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Wall time of the named phases of one migration, in the order they ended, for the result's details and the log
 * ({@code preflight=12,shutdown=1210,...}, milliseconds). Phases that overlap are each timed from their own start.
 * Thread-safe.
 */
final class PhaseClock {
    private final Map<String, Long> millis = new LinkedHashMap<>();
    private long mark = System.nanoTime();

    /** Ends the phase that began at the previous mark (or at construction) under {@code name}. */
    synchronized void lap(String name) {
        long now = System.nanoTime();
        millis.merge(name, (now - mark) / 1_000_000, Long::sum);
        mark = now;
    }

    /** Records a phase timed elsewhere (one that ran alongside others); does not move the mark. */
    synchronized void record(String name, long startNanos, long endNanos) {
        millis.merge(name, (endNanos - startNanos) / 1_000_000, Long::sum);
    }

    @Override
    public synchronized String toString() {
        return millis.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(","));
    }
}
