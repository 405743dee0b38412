package dev.caravan.core.engine;

import dev.caravan.api.vm.PreflightCheck;
import dev.caravan.core.plan.CutoffMode;
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
 * copied). Once the time limit is up no object starts; those in flight finish, or are stopped in cut-off mode hard
 * ({@link #hardDeadlinePassed}, applied by {@link HardCutoff}). In cut-off mode cautious an object does not start when
 * it would not finish before the deadline at the throughput the run has measured so far. Either way the run ends
 * unfinished, and the same command continues it. Thread-safe.
 */
final class TransferLimits {
    private final long maxBytes;
    private final Duration maxDuration;
    private final CutoffMode mode;
    private final long startNanos;
    private final long deadlineNanos;
    private final LongSupplier clock;
    /** Bytes the objects copied in this run sent, for the throughput that cut-off mode cautious goes by. */
    private final AtomicLong sent = new AtomicLong();
    /** Objects not started in cut-off mode cautious, as they would not have finished before the deadline. */
    private final AtomicLong tooLong = new AtomicLong();
    /** The throughput, in bytes per second, that last kept an object from starting in cut-off mode cautious. */
    private volatile long refusedAtRate;
    /** Bytes of the objects started (their sizes) and copied (what they sent), against {@link #maxBytes}. */
    private final AtomicLong counted = new AtomicLong();
    /** Objects not started because they did not fit, and the largest of them. */
    private final AtomicLong leftOut = new AtomicLong();
    private final AtomicLong largestLeftOut = new AtomicLong();
    private volatile boolean timeUp;

    TransferLimits(long maxBytes, Duration maxDuration, CutoffMode mode, long startNanos, LongSupplier clock) {
        this.maxBytes = maxBytes;
        this.maxDuration = maxDuration;
        this.mode = mode;
        this.startNanos = startNanos;
        this.deadlineNanos = maxDuration == null ? 0 : startNanos + maxDuration.toNanos();
        this.clock = clock;
    }

    /** The limits of {@code spec}, the time read from {@code clock} (nanoseconds) and counted from now. */
    static TransferLimits of(MigrationSpec spec, LongSupplier clock) {
        return new TransferLimits(spec.maxTransfer(), spec.maxDuration(), spec.cutoff(), clock.getAsLong(), clock);
    }

    /** Whether the time limit is up and the cut-off mode is hard: the transfers in flight are to stop. */
    boolean hardDeadlinePassed() {
        return mode == CutoffMode.HARD && timeUp();
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
        if (mode == CutoffMode.CAUTIOUS && wouldOverrun(size)) {
            tooLong.incrementAndGet();
            return false;
        }
        return admitBytes(size);
    }

    /**
     * Whether {@code size} more bytes fit within the byte limit, whatever the time: a copy kept in the backup dir
     * before an admitted object replaces its old version, or before a deletion. If so they are counted until
     * {@link #copied} settles them; if not, the refusal is counted as an object left out.
     */
    boolean admitBytes(long size) {
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
        this.sent.addAndGet(sent);
        if (maxBytes > 0) {
            counted.addAndGet(sent - Math.max(0, size));
        }
    }

    /**
     * Whether an object of {@code size} bytes, started now, would not finish before the deadline at the throughput of
     * the objects copied so far (false before any was: nothing measured yet, and for a size not known).
     */
    private boolean wouldOverrun(long size) {
        long bytes = sent.get();
        long now = clock.getAsLong();
        long elapsed = now - startNanos;
        if (maxDuration == null || size <= 0 || bytes <= 0 || elapsed <= 0) {
            return false;
        }
        double needed = (double) size * elapsed / bytes;
        if (now + needed <= deadlineNanos) {
            return false;
        }
        refusedAtRate = Math.round(bytes * 1e9 / elapsed);
        return true;
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
        return leftOut.get() > 0 || tooLong.get() > 0 || stopsStarts();
    }

    /**
     * Why the run stopped with {@code left} transfers open for the next run, {@code cutOff} (source keys) among them
     * stopped in flight, for the summary and the report.
     */
    String reason(long left, List<String> cutOff) {
        String objects = count(left, "object is", "objects are") + " left for the next run";
        if (timeUp) {
            String inFlight = mode != CutoffMode.HARD ? "those in flight finished"
                    : cutOff.isEmpty() ? "none was in flight to stop"
                    : "the " + count(cutOff.size(), "transfer", "transfers") + " in flight stopped there (cut off: "
                    + named(cutOff) + "), to go on from where " + (cutOff.size() == 1 ? "it is" : "they are");
            return "the max duration of " + shown(maxDuration) + " is up: no object started after it, " + inFlight
                    + "; " + objects;
        }
        if (tooLong.get() > 0) {
            return count(tooLong.get(), "object was", "objects were") + " not started as "
                    + (tooLong.get() == 1 ? "it" : "each") + " would not have finished within the max duration of "
                    + shown(maxDuration) + " at the " + ByteSizes.human(refusedAtRate) + "/s measured (cut-off mode"
                    + " cautious); " + objects;
        }
        long largest = largestLeftOut.get();
        return "the max transfer of " + ByteSizes.human(maxBytes) + " is reached (" + ByteSizes.human(Math.min(
                counted.get(), maxBytes)) + " copied): " + objects + ", as each would have gone past it"
                + (largest > maxBytes ? " (one of " + ByteSizes.human(largest) + " is larger than the whole limit"
                + " and needs a run with a higher one)" : "");
    }

    /**
     * Why the run stopped with {@code left} deletions open for the next run: keeping the objects they delete in the
     * backup dir would have taken the bytes copied past the byte limit.
     */
    String deletionsReason(long left) {
        return "the max transfer of " + ByteSizes.human(maxBytes) + " is reached (" + ByteSizes.human(Math.min(
                counted.get(), maxBytes)) + " copied, the backup dir's copies included): " + count(left,
                "deletion is", "deletions are") + " left for the next run, as keeping " + (left == 1 ? "its object"
                : "each one's object") + " in the backup dir would have gone past it";
    }

    /** {@code n} with thousands separators and the word for its number: "1 object", "1,200 objects". */
    static String count(long n, String one, String many) {
        return String.format(Locale.ROOT, "%,d", n) + " " + (n == 1 ? one : many);
    }

    /** The first few of {@code keys}, and how many more. */
    private static String named(List<String> keys) {
        int shown = Math.min(keys.size(), 5);
        return String.join(", ", keys.subList(0, shown)) + (keys.size() > shown ? " and " + (keys.size() - shown)
                + " more" : "");
    }

    /**
     * The plan's check of the command's limits against what it would copy: WARN when the max transfer is less than the
     * bytes to copy, those of the objects and the {@code backupBytes} the backup dir would keep of the objects the run
     * deletes or overwrites (0: none, or no backup dir), as the run counts both ({@link RunLimits#admitsBackup}), or
     * when the forecast is longer than the max duration (the run will stop unfinished); PASS when both are set and
     * enough; empty without limits.
     */
    static Optional<PreflightCheck> check(MigrationSpec spec, PlanSummary plan, Duration forecast, long backupBytes) {
        if (spec.maxTransfer() <= 0 && spec.maxDuration() == null) {
            return Optional.empty();
        }
        List<String> shortOf = new ArrayList<>();
        long toCopy = bytesToCopy(plan, backupBytes);
        String kept = ByteSizes.human(backupBytes) + " kept in the backup dir";
        if (spec.maxTransfer() > 0 && toCopy > spec.maxTransfer()) {
            shortOf.add("the max transfer of " + ByteSizes.human(spec.maxTransfer()) + " is less than the "
                    + ByteSizes.human(toCopy) + " to copy" + parts(plan, backupBytes));
        }
        if (spec.maxDuration() != null && forecast != null && forecast.compareTo(spec.maxDuration()) > 0) {
            shortOf.add("the forecast of " + shown(forecast) + " is longer than the max duration of "
                    + shown(spec.maxDuration()));
        }
        if (shortOf.isEmpty()) {
            return Optional.of(new PreflightCheck("limits", PreflightCheck.Status.PASS, "the copy fits within"
                    + (spec.maxTransfer() > 0 ? " the max transfer of " + ByteSizes.human(spec.maxTransfer())
                    + (backupBytes > 0 ? " (with the " + kept + ")" : "") : "")
                    + (spec.maxTransfer() > 0 && spec.maxDuration() != null ? " and" : "")
                    + (spec.maxDuration() != null ? " the max duration of " + shown(spec.maxDuration())
                    + (forecast == null ? " (no forecast)" : "") + " (" + modeNote(spec.cutoff()) + ")" : "")));
        }
        return Optional.of(new PreflightCheck("limits", PreflightCheck.Status.WARN, String.join(", and ", shortOf)
                + ": the run will copy part of it and stop unfinished (exit code 3), without its deletions; the same"
                + " command then continues it" + (spec.maxDuration() != null ? " (" + modeNote(spec.cutoff()) + ")"
                : "")));
    }

    /**
     * The bytes a run would copy: those of the objects to copy and the {@code backupBytes} the backup dir would keep of
     * the objects it deletes or overwrites (0: none, or no backup dir), as the run counts and sends both.
     */
    static long bytesToCopy(PlanSummary plan, long backupBytes) {
        return plan.transferBytes() + backupBytes;
    }

    /** " (N of objects and M kept in the backup dir)" when the backup dir would keep some, else nothing. */
    static String parts(PlanSummary plan, long backupBytes) {
        return backupBytes > 0 ? " (" + ByteSizes.human(plan.transferBytes()) + " of objects and "
                + ByteSizes.human(backupBytes) + " kept in the backup dir)" : "";
    }

    /** What the cut-off mode does at the deadline, for the plan. */
    private static String modeNote(CutoffMode mode) {
        return "cut-off mode " + mode.shown() + ": " + switch (mode) {
            case HARD -> "the transfers in flight at the deadline are stopped, and the next run continues them";
            case SOFT -> "the transfers in flight at the deadline finish";
            case CAUTIOUS -> "no object starts that would not finish before the deadline at the throughput measured";
        };
    }

    private static String shown(Duration d) {
        return d.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString().substring(2).toLowerCase(Locale.ROOT);
    }
}
