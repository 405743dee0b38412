package dev.caravan.runtime.schedule;

import dev.caravan.api.error.MigrationException;
import java.text.ParseException;
import java.time.DayOfWeek;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TimeZone;
import org.quartz.Calendar;
import org.quartz.impl.calendar.CronCalendar;

/**
 * Blackout windows of a schedule ({@code "Mon-Fri 08:00-18:00"}): times at which the schedule never fires, as a
 * Quartz {@link Calendar} the trigger refers to by name. The calendar is a chain of Quartz's own
 * {@link CronCalendar}s (one per whole-hour block and per partial hour of each window), so a clustered JDBC job store
 * keeps it without any Caravan class. A run that started before a window is not stopped by it: combine it with a
 * bandwidth timetable to slow such a run down.
 */
public final class Blackout {
    private final String text;
    private final TimeZone zone;
    private final List<String> expressions;

    private Blackout(String text, TimeZone zone, List<String> expressions) {
        this.text = text;
        this.zone = zone;
        this.expressions = List.copyOf(expressions);
    }

    /**
     * Parses the windows; USER_CONFIG when malformed, or when they cover the whole week: the schedule could never
     * fire (and Quartz, looking for a time its calendar lets through, would look for ever).
     */
    public static Blackout parse(String text, TimeZone zone) {
        List<String> crons = new ArrayList<>();
        List<Windows.Window> windows = Windows.parse("blackout", text);
        if (coversTheWholeWeek(windows)) {
            throw dev.caravan.api.error.MigrationException.userConfig("blackout '" + text + "' covers the whole week:"
                    + " the schedule would never fire");
        }
        for (Windows.Window w : windows) {
            if (w.crossesMidnight()) {
                crons.addAll(expressions(w.days(), w.start(), 1440));
                crons.addAll(expressions(Windows.nextDays(w.days()), 0, w.end()));
            } else {
                crons.addAll(expressions(w.days(), w.start(), w.end()));
            }
        }
        return new Blackout(text, zone, crons);
    }

    private static boolean coversTheWholeWeek(List<Windows.Window> windows) {
        for (DayOfWeek day : DayOfWeek.values()) {
            for (int minute = 0; minute < 1440; minute++) {
                final int m = minute;
                if (windows.stream().noneMatch(w -> w.covers(day, m))) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Cron expressions (second granularity) that match exactly the minutes [start, end) of the given days. */
    static List<String> expressions(Set<DayOfWeek> days, int start, int end) {
        List<String> out = new ArrayList<>();
        if (start >= end) {
            return out;
        }
        String dow = Windows.cronDays(days);
        int h1 = start / 60;
        int m1 = start % 60;
        int h2 = end / 60;
        int m2 = end % 60;
        if (h1 == h2) {
            out.add("* " + m1 + "-" + (m2 - 1) + " " + h1 + " ? * " + dow);
            return out;
        }
        int firstFull = h1;
        if (m1 > 0) {
            out.add("* " + m1 + "-59 " + h1 + " ? * " + dow);
            firstFull = h1 + 1;
        }
        if (firstFull <= h2 - 1) {
            out.add("* * " + (firstFull == h2 - 1 ? firstFull : firstFull + "-" + (h2 - 1)) + " ? * " + dow);
        }
        if (m2 > 0) {
            out.add("* 0-" + (m2 - 1) + " " + h2 + " ? * " + dow);
        }
        return out;
    }

    /** The Quartz calendar that excludes every blackout window (a new instance on every call). */
    public Calendar calendar() {
        Calendar chain = null;
        for (String expression : expressions) {
            try {
                CronCalendar c = new CronCalendar(chain, expression, zone);
                c.setDescription("caravan blackout " + text);
                chain = c;
            } catch (ParseException e) {
                throw new MigrationException(dev.caravan.api.error.ErrorKind.FATAL,
                        "blackout '" + text + "' gave a bad cron expression " + expression + ": " + e.getMessage(), e);
            }
        }
        return chain;
    }

    /** Whether the instant falls into a blackout window. */
    public boolean covers(long epochMillis) {
        Calendar c = calendar();
        return c != null && !c.isTimeIncluded(epochMillis);
    }

    /** The cron expressions of the calendar chain (for tests and diagnostics). */
    List<String> expressions() {
        return expressions;
    }

    @Override
    public String toString() {
        return text + " (" + zone.getID() + ")";
    }
}
