package dev.caravan.core.report;

import java.util.Locale;

/** Sizes as people read them, the same in reports, messages and the command line. */
public final class ByteSizes {
    private static final String[] UNITS = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};

    private ByteSizes() {
    }

    /** Binary units with one decimal: {@code 512 B}, {@code 1.5 KiB}, {@code 70.7 MiB}; negative means unknown. */
    public static String human(long bytes) {
        if (bytes < 0) {
            return "?";
        }
        if (bytes < 1024) {
            return bytes + " B";
        }
        double value = bytes;
        int unit = 0;
        while (value >= 1024 && unit < UNITS.length - 1) {
            value /= 1024;
            unit++;
        }
        if (value >= 999.95 && unit < UNITS.length - 1) { // 1023.99 KiB would print as "1024.0 KiB"
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, UNITS[unit]);
    }
}
