package dev.caravan.runtime;

import dev.caravan.runtime.schedule.Schedule;
import dev.caravan.runtime.schedule.ScheduleComponent;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The fire times that passed while no {@code caravan serve} was up, for a Quartz that keeps its triggers in memory
 * (the embedded journal): such a Quartz starts every trigger afresh and would wait for the next regular time, so the
 * misfire rule {@code fire-once-now} would never apply to them. Read from the schedule state the last serve wrote
 * ({@link ScheduleStore}): a schedule whose recorded next fire time is past, with no fire recorded at or after it,
 * under the same trigger, missed it. Only cron schedules: an interval schedule fires when it starts anyway. A
 * clustered (PostgreSQL) Quartz keeps its triggers and applies the rule itself.
 */
final class MissedFires {
    private MissedFires() {
    }

    /**
     * The missed fire time of every schedule whose misfire rule is {@code fire-once-now}, by route id.
     *
     * @param schedules the schedules about to be served, by route id
     * @param states    the schedule state of the journal, as the last serve left it
     * @param now       the start of this serve
     */
    static Map<String, Instant> find(Map<String, Schedule> schedules, List<ScheduleStatus> states, Instant now) {
        Map<String, Instant> missed = new LinkedHashMap<>();
        for (ScheduleStatus state : states) {
            Schedule schedule = schedules.get(state.name());
            if (schedule == null || !ScheduleComponent.FIRE_ONCE_NOW.equals(schedule.misfire())
                    || !schedule.trigger().startsWith("cron ") || !schedule.describe().equals(state.trigger())) {
                continue; // not served now, skip, an interval, or another trigger since (its old time means nothing)
            }
            Instant next = state.nextFire();
            boolean firedSince = state.lastScheduled() != null && !state.lastScheduled().isBefore(next == null
                    ? Instant.MAX : next);
            if (next != null && next.isBefore(now) && !firedSince) {
                missed.put(state.name(), next);
            }
        }
        return missed;
    }
}
