package dev.caravan.runtime.schedule;

import dev.caravan.api.config.Config;
import dev.caravan.api.error.MigrationException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A bandwidth limit by time of day, e.g. {@code "Mon-Fri 08:00-18:00=10M; 18:00-08:00=unlimited"}: entries of
 * {@code [DAY[-DAY] ]HH:MM-HH:MM=RATE}, the first entry that covers a moment wins, and a moment no entry covers is
 * unlimited. Rates are bytes per second with k, M, G suffixes (powers of 1024); {@code 0}, {@code unlimited} and
 * {@code off} mean no limit. Immutable.
 */
public final class BandwidthTimetable {
    private final String text;
    private final ZoneId zone;
    private final List<Entry> entries;

    private record Entry(Windows.Window window, long rate) {
    }

    private BandwidthTimetable(String text, ZoneId zone, List<Entry> entries) {
        this.text = text;
        this.zone = zone;
        this.entries = List.copyOf(entries);
    }

    /** Parses a timetable; USER_CONFIG when malformed. */
    public static BandwidthTimetable parse(String text, ZoneId zone) {
        List<Entry> entries = new ArrayList<>();
        for (String part : text.split("[;,]")) {
            String p = part.trim();
            if (p.isEmpty()) {
                continue;
            }
            int eq = p.lastIndexOf('=');
            if (eq < 0) {
                throw MigrationException.userConfig("bandwidthTimetable: '" + p + "' has no rate; write"
                        + " [DAY[-DAY] ]HH:MM-HH:MM=RATE, e.g. 'Mon-Fri 08:00-18:00=10M; 18:00-08:00=unlimited'");
            }
            entries.add(new Entry(Windows.window("bandwidthTimetable", p.substring(0, eq).trim()),
                    rate(p.substring(eq + 1).trim())));
        }
        if (entries.isEmpty()) {
            throw MigrationException.userConfig("bandwidthTimetable: no entry in '" + text + "'");
        }
        return new BandwidthTimetable(text, zone, entries);
    }

    private static long rate(String value) {
        String v = value.toLowerCase(Locale.ROOT);
        if (v.equals("unlimited") || v.equals("off") || v.equals("none")) {
            return 0;
        }
        try {
            long rate = Config.parseSize(value);
            if (rate < 0) {
                throw new NumberFormatException();
            }
            return rate;
        } catch (RuntimeException e) {
            throw MigrationException.userConfig("bandwidthTimetable: '" + value + "' is not a rate; write bytes per"
                    + " second such as 512k, 10M or 1G, or unlimited");
        }
    }

    /** The limit in bytes per second at this moment; {@code 0} for none. */
    public long rateAt(Instant when) {
        ZonedDateTime t = when.atZone(zone);
        int minute = t.getHour() * 60 + t.getMinute();
        for (Entry e : entries) {
            if (e.window().covers(t.getDayOfWeek(), minute)) {
                return e.rate();
            }
        }
        return 0;
    }

    public ZoneId zone() {
        return zone;
    }

    @Override
    public String toString() {
        return text + " (" + zone.getId() + ")";
    }
}
