package dev.caravan.runtime.schedule;

import java.time.ZoneId;

/**
 * The schedule of one {@code quartz:} endpoint as Caravan reads it: its trigger, time zone, misfire rule, blackout
 * windows and bandwidth timetable.
 *
 * @param triggerKey  Quartz trigger key, {@code group.name}
 * @param trigger     what fires it, e.g. {@code cron 0 0 2 * * ?} or {@code every PT30S}
 * @param zone        time zone of the cron expression, blackout windows and timetable
 * @param misfire     {@code fire-once-now} or {@code skip}
 * @param blackout    blackout windows, or {@code null}
 * @param timetable   bandwidth timetable, or {@code null}
 */
public record Schedule(String triggerKey, String trigger, ZoneId zone, String misfire, Blackout blackout,
        BandwidthTimetable timetable) {

    /** One line for status output. */
    public String describe() {
        StringBuilder s = new StringBuilder(trigger).append(" (").append(zone.getId()).append(')');
        if (blackout != null) {
            s.append(", blackout ").append(blackout);
        }
        if (timetable != null) {
            s.append(", bandwidth ").append(timetable);
        }
        return s.toString();
    }
}
