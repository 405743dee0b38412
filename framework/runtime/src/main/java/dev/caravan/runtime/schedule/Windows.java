package dev.caravan.runtime.schedule;

import dev.caravan.api.error.MigrationException;
import java.time.DayOfWeek;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Weekly time windows as users write them: {@code "Mon-Fri 08:00-18:00"}, {@code "22:00-06:00"} (every day,
 * across midnight), {@code "Sat-Sun 00:00-24:00"}. Several windows are separated by {@code ;} or {@code ,}. Shared
 * by blackout windows and bandwidth timetables.
 */
final class Windows {
    private static final Pattern WINDOW = Pattern.compile(
            "(?:([A-Za-z]{3})(?:-([A-Za-z]{3}))?\\s+)?(\\d{1,2}):(\\d{2})\\s*-\\s*(\\d{1,2}):(\\d{2})");
    private static final List<String> DAYS = List.of("MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN");

    private Windows() {
    }

    /**
     * One window: the days it starts on, and its start and end as minutes of the day ({@code end} may be 1440 for
     * 24:00; {@code end <= start} means it ends the next day).
     */
    record Window(Set<DayOfWeek> days, int start, int end) {
        boolean crossesMidnight() {
            return end <= start;
        }

        /** Whether the window covers this day and minute of the day. */
        boolean covers(DayOfWeek day, int minute) {
            if (!crossesMidnight()) {
                return days.contains(day) && minute >= start && minute < end;
            }
            return days.contains(day) && minute >= start || days.contains(day.minus(1)) && minute < end;
        }
    }

    /** Parses a list of windows; USER_CONFIG with the offending part and an example when malformed. */
    static List<Window> parse(String option, String text) {
        List<Window> out = new ArrayList<>();
        for (String part : text.split("[;,]")) {
            String p = part.trim();
            if (p.isEmpty()) {
                continue;
            }
            out.add(window(option, p));
        }
        return out;
    }

    static Window window(String option, String p) {
        Matcher m = WINDOW.matcher(p);
        if (!m.matches()) {
            throw bad(option, p);
        }
        Set<DayOfWeek> days = EnumSet.allOf(DayOfWeek.class);
        if (m.group(1) != null) {
            int from = day(option, p, m.group(1));
            int to = m.group(2) == null ? from : day(option, p, m.group(2));
            days = EnumSet.noneOf(DayOfWeek.class);
            for (int d = from; ; d = (d + 1) % 7) {
                days.add(DayOfWeek.of(d + 1));
                if (d == to) {
                    break;
                }
            }
        }
        int start = minutes(option, p, m.group(3), m.group(4), false);
        int end = minutes(option, p, m.group(5), m.group(6), true);
        if (end == 0) {
            end = 1440; // "22:00-00:00" ends at midnight
        }
        if (start == end) {
            throw MigrationException.userConfig(option + ": window '" + p + "' is empty (start equals end)");
        }
        return new Window(days, start, end);
    }

    private static int day(String option, String p, String name) {
        int i = DAYS.indexOf(name.toUpperCase(Locale.ROOT));
        if (i < 0) {
            throw bad(option, p);
        }
        return i;
    }

    private static int minutes(String option, String p, String h, String m, boolean end) {
        int hours = Integer.parseInt(h);
        int mins = Integer.parseInt(m);
        if (mins > 59 || hours > 24 || hours == 24 && (mins != 0 || !end)) {
            throw bad(option, p);
        }
        return hours * 60 + mins;
    }

    private static MigrationException bad(String option, String p) {
        return MigrationException.userConfig(option + ": cannot read the window '" + p + "'; write [DAY[-DAY] ]HH:MM-HH:MM,"
                + " e.g. 'Mon-Fri 08:00-18:00' or '22:00-06:00' (days Mon..Sun; several windows separated by ';')");
    }

    /** {@code HH:MM} of minutes of the day. */
    static String time(int minutes) {
        return LocalTime.MIDNIGHT.plusMinutes(minutes % 1440) + (minutes == 1440 ? " (24:00)" : "");
    }

    /** Quartz day-of-week names of the given days, comma-separated, in week order. */
    static String cronDays(Set<DayOfWeek> days) {
        List<String> names = new ArrayList<>();
        for (DayOfWeek d : DayOfWeek.values()) {
            if (days.contains(d)) {
                names.add(DAYS.get(d.getValue() - 1));
            }
        }
        return String.join(",", names);
    }

    /** The days after the given ones (a window across midnight continues on them). */
    static Set<DayOfWeek> nextDays(Set<DayOfWeek> days) {
        Set<DayOfWeek> out = EnumSet.noneOf(DayOfWeek.class);
        days.forEach(d -> out.add(d.plus(1)));
        return out;
    }
}
