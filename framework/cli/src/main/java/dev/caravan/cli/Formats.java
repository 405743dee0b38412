package dev.caravan.cli;

import dev.caravan.core.report.ByteSizes;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** Human-readable sizes, rates, counts, durations and timestamps, the same everywhere in the CLI. */
public final class Formats {
    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT).withZone(ZoneId.systemDefault());

    private Formats() {
    }

    /** Binary units with one decimal: {@code 512 B}, {@code 1.5 KiB}, {@code 70.7 MiB}; negative means unknown. */
    public static String bytes(long bytes) {
        return ByteSizes.human(bytes);
    }

    /** Bytes per second: {@code 85.3 MiB/s}. */
    public static String rate(double bytesPerSecond) {
        if (Double.isNaN(bytesPerSecond) || bytesPerSecond < 0) {
            return "?/s";
        }
        return bytes(Math.round(bytesPerSecond)) + "/s";
    }

    /** A count with thousands separators: {@code 2,000}. */
    public static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /** {@code 1 object} / {@code 2 objects}. */
    public static String plural(long n, String singular) {
        return count(n) + " " + (n == 1 ? singular : singular + "s");
    }

    /**
     * A short duration: {@code 850ms}, {@code 12.3s}, {@code 4m 05s}, {@code 2h 03m}, {@code 3d 04h}; {@code null}
     * means unknown and prints {@code ?}.
     */
    public static String duration(Duration d) {
        if (d == null || d.isNegative()) {
            return "?";
        }
        long ms = d.toMillis();
        if (ms == 0) {
            return "0s";
        }
        if (ms < 1000) {
            return ms + "ms";
        }
        if (ms < 60_000) {
            return String.format(Locale.ROOT, "%.1fs", ms / 1000.0);
        }
        long s = d.toSeconds();
        if (s < 3600) {
            return String.format(Locale.ROOT, "%dm %02ds", s / 60, s % 60);
        }
        if (s < 86_400) {
            return String.format(Locale.ROOT, "%dh %02dm", s / 3600, (s % 3600) / 60);
        }
        return String.format(Locale.ROOT, "%dd %02dh", s / 86_400, (s % 86_400) / 3600);
    }

    /** Local date and time to the second, or {@code -} for {@code null}. */
    public static String timestamp(Instant t) {
        return t == null ? "-" : TIMESTAMP.format(t);
    }

    /** Whole percent of {@code done} in {@code total}, clamped to 0..100; {@code -1} when the total is unknown. */
    public static int percent(long done, long total) {
        if (total <= 0) {
            return -1;
        }
        return (int) Math.max(0, Math.min(100, done * 100 / total));
    }
}
