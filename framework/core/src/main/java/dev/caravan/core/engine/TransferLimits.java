package dev.caravan.core.engine;

import dev.caravan.api.vm.PreflightCheck;
import dev.caravan.core.plan.MigrationSpec;
import dev.caravan.core.plan.PlanSummary;
import dev.caravan.core.report.ByteSizes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The limits a user set on one command ({@link MigrationSpec#maxTransfer()}, {@link MigrationSpec#maxDuration()}),
 * checked by the transfer workers before each object. An object that would take the bytes copied past the byte limit
 * is not started: it stays open for the next run, and smaller objects after it may still fit, so the limit is never
 * passed (the size of an object whose size is not known, an HTTP download without a length, counts once it is
 * copied). Once the time limit is up no object starts; those in flight finish. Either way the run ends unfinished,
 * and the same command continues it. Thread-safe.
 */
final class TransferLimits {
    private final long maxBytes;
    private final Duration maxDuration;
    private final long deadlineNanos;
    private final LongSupplier clock;
    /** Bytes of the objects started (their sizes) and copied (what they sent), against {@link #maxBytes}. */
    private final AtomicLong counted = new AtomicLong();
    /** Objects not started because they did not fit, and the largest of them. */
    private final AtomicLong leftOut = new AtomicLong();
    private final AtomicLong largestLeftOut = new AtomicLong();
    private volatile boolean timeUp;

    TransferLimits(long maxBytes, Duration maxDuration, long startNanos, LongSupplier clock) {
        this.maxBytes = maxBytes;
        this.maxDuration = maxDuration;
        this.deadlineNanos = maxDuration == null ? 0 : startNanos + maxDuration.toNanos();
        this.clock = clock;
    }

    /** The limits of {@code spec}, the time counted from {@code startNanos} ({@link System#nanoTime()}). */
    static TransferLimits of(MigrationSpec spec, long startNanos) {
        return new TransferLimits(spec.maxTransfer(), spec.maxDuration(), startNanos, System::nanoTime);
    }

    /** Whether the time limit is up: no object starts any more. */
    boolean timeUp() {
        if (!timeUp && maxDuration != null && clock.getAsLong() - deadlineNanos >= 0) {
            timeUp = true;
        }
        return timeUp;
    }

    /**
     * Whether an object of {@code size} bytes ({@code -1}: not known) may start now; if so, its size is counted
     * against the byte limit until {@link #copied} settles it.
     */
    boolean admit(long size) {
        if (timeUp()) {
            return false;
        }
        if (maxBytes <= 0) {
            return true;
        }
        long s = Math.max(0, size);
        while (true) {
            long c = counted.get();
            if (c + s > maxBytes || s == 0 && c >= maxBytes) {
                leftOut.incrementAndGet();
                largestLeftOut.accumulateAndGet(s, Math::max);
                return false;
            }
            if (counted.compareAndSet(c, c + s)) {
                return true;
            }
        }
    }

    /**
     * Settles an admitted object of {@code size} bytes that was copied and sent {@code sent} bytes (less than its size
     * when an interrupted upload was resumed; its size when it was not known before).
     */
    void copied(long size, long sent) {
        if (maxBytes > 0) {
            counted.addAndGet(sent - Math.max(0, size));
        }
    }

    /**
     * Whether no further object may start: the time is up, or the bytes counted fill the byte limit (objects in
     * flight may still settle for less; the next run has the rest).
     */
    boolean stopsStarts() {
        return timeUp() || maxBytes > 0 && counted.get() >= maxBytes;
    }

    /** Whether a limit may have kept an object from starting: one was refused, or starts stopped. */
    boolean mayHaveStopped() {
        return leftOut.get() > 0 || stopsStarts();
    }

    /** Why the run stopped with {@code left} transfers open for the next run, for the summary and the report. */
    String reason(long left) {
        String objects = String.format(Locale.ROOT, "%,d", left) + (left == 1 ? " object is" : " objects are")
                + " left for the next run";
        if (timeUp) {
            return "the max duration of " + shown(maxDuration) + " is up: no object started after it, those in"
                    + " flight finished; " + objects;
        }
        long largest = largestLeftOut.get();
        return "the max transfer of " + ByteSizes.human(maxBytes) + " is reached (" + ByteSizes.human(Math.min(
                counted.get(), maxBytes)) + " copied): " + objects + ", as each would have gone past it"
                + (largest > maxBytes ? " (one of " + ByteSizes.human(largest) + " is larger than the whole limit"
                + " and needs a run with a higher one)" : "");
    }

    /**
     * The plan's check of the command's limits against what it would copy: WARN when the max transfer is less than the
     * bytes to copy, or the forecast is longer than the max duration (the run will stop unfinished); PASS when both
     * are set and enough; empty without limits.
     */
    static Optional<PreflightCheck> check(MigrationSpec spec, PlanSummary plan, Duration forecast) {
        if (spec.maxTransfer() <= 0 && spec.maxDuration() == null) {
            return Optional.empty();
        }
        List<String> shortOf = new ArrayList<>();
        if (spec.maxTransfer() > 0 && plan.transferBytes() > spec.maxTransfer()) {
            shortOf.add("the max transfer of " + ByteSizes.human(spec.maxTransfer()) + " is less than the "
                    + ByteSizes.human(plan.transferBytes()) + " to copy");
        }
        if (spec.maxDuration() != null && forecast != null && forecast.compareTo(spec.maxDuration()) > 0) {
            shortOf.add("the forecast of " + shown(forecast) + " is longer than the max duration of "
                    + shown(spec.maxDuration()));
        }
        if (shortOf.isEmpty()) {
            return Optional.of(new PreflightCheck("limits", PreflightCheck.Status.PASS, "the copy fits within"
                    + (spec.maxTransfer() > 0 ? " the max transfer of " + ByteSizes.human(spec.maxTransfer()) : "")
                    + (spec.maxTransfer() > 0 && spec.maxDuration() != null ? " and" : "")
                    + (spec.maxDuration() != null ? " the max duration of " + shown(spec.maxDuration())
                    + (forecast == null ? " (no forecast)" : "") : "")));
        }
        return Optional.of(new PreflightCheck("limits", PreflightCheck.Status.WARN, String.join(", and ", shortOf)
                + ": the run will copy part of it and stop unfinished (exit code 3), without its deletions; the same"
                + " command then continues it"));
    }

    private static String shown(Duration d) {
        return d.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString().substring(2).toLowerCase(Locale.ROOT);
    }
}
