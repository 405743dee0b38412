package dev.caravan.runtime.schedule;

import dev.caravan.api.config.Config;
import dev.caravan.api.config.OptionDef;
import dev.caravan.api.config.OptionType;
import dev.caravan.api.config.Options;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TimeZone;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.Endpoint;
import org.apache.camel.component.quartz.QuartzComponent;
import org.apache.camel.component.quartz.QuartzEndpoint;
import org.quartz.CronTrigger;
import org.quartz.SimpleTrigger;

/**
 * camel-quartz with the schedule options of Caravan, bound as {@code quartz} by the runtime. Every option of
 * camel-quartz keeps working ({@code cron}, {@code trigger.timeZone}, {@code stateful}, ...); these are added and
 * taken off the URI before camel-quartz sees it:
 * <ul>
 * <li>{@code interval}: fire every interval (a simple trigger) instead of on {@code cron};</li>
 * <li>{@code misfire}: what a trigger that missed its time does when the scheduler sees it again
 * ({@code fire-once-now} or {@code skip}), mapped to the Quartz instruction of the trigger's type;</li>
 * <li>{@code blackout}: windows in which the trigger never fires, as a Quartz calendar named after the trigger;</li>
 * <li>{@code bandwidthTimetable}: the bandwidth limit by time of day while a run of this schedule is going on
 * (applied by {@link BandwidthScheduler}).</li>
 * </ul>
 * In one-shot mode ({@code caravan run}) every {@code quartz:} endpoint fires exactly once, at once, whatever its
 * schedule, calendar or misfire rule; its bandwidth timetable still applies.
 */
public class ScheduleComponent extends QuartzComponent {
    /** {@code misfire} value: run once as soon as possible. */
    public static final String FIRE_ONCE_NOW = "fire-once-now";
    /** {@code misfire} value: wait for the next regular fire time. */
    public static final String SKIP = "skip";

    /** The options Caravan adds to {@code quartz:} endpoints. */
    public static final Options OPTIONS = Options.of("quartz: (Caravan schedule)", List.of(
            OptionDef.of("interval", OptionType.DURATION, "Fire every interval (e.g. 30s, 15m, 6h) instead of on the"
                    + " cron expression; empty to use cron."),
            OptionDef.of("misfire", OptionType.ENUM, "What a fire time missed while no worker was up (or while the"
                    + " previous run was still going on, beyond Quartz's misfire threshold of a minute) does: fire-once-now"
                    + " runs once as soon as possible, skip waits for the next regular time.")
                    .withAllowed(FIRE_ONCE_NOW, SKIP).withDefault(FIRE_ONCE_NOW),
            OptionDef.of("blackout", OptionType.STRING, "Windows in which the schedule never fires, e.g."
                    + " 'Mon-Fri 08:00-18:00' (several separated by ';'), in the trigger's time zone; a run that"
                    + " started earlier goes on."),
            OptionDef.of("uniqueBy", OptionType.STRING, "Makes the Quartz trigger name unique for what it runs: the"
                    + " name in the URI gets a hash of this value appended (route templates pass the migration's"
                    + " source, target and mode, so that every instance of a template has its own trigger, the same"
                    + " on every worker)."),
            OptionDef.of("bandwidthTimetable", OptionType.STRING, "Bandwidth limit by time of day while a run of this"
                    + " schedule is going on, e.g. 'Mon-Fri 08:00-18:00=10M; 18:00-08:00=unlimited' (bytes per second,"
                    + " k/M/G suffixes); the first matching entry wins, uncovered times are unlimited.")));

    private final boolean oneShot;
    private final Map<Endpoint, Schedule> schedules = new ConcurrentHashMap<>();

    /**
     * @param oneShot every {@code quartz:} endpoint fires once, at once ({@code caravan run}); {@code false} to
     *                run the schedules ({@code caravan serve})
     */
    public ScheduleComponent(boolean oneShot) {
        this.oneShot = oneShot;
    }

    public boolean isOneShot() {
        return oneShot;
    }

    /** The schedule of a {@code quartz:} endpoint created by this component. */
    public Optional<Schedule> schedule(Endpoint endpoint) {
        return Optional.ofNullable(schedules.get(endpoint));
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        Map<String, String> ours = new HashMap<>();
        for (OptionDef def : OPTIONS.list()) {
            Object v = parameters.remove(def.name());
            if (v != null && !v.toString().isBlank()) {
                ours.put(def.name(), v.toString().trim());
            }
        }
        Config config = OPTIONS.resolve(ours);
        Object tz = parameters.get("trigger.timeZone");
        ZoneId zone = zone(tz == null || tz.toString().isBlank() ? ZoneId.systemDefault()
                : ZoneId.of(tz.toString().trim()));
        Optional<Duration> interval = config.get("interval").map(Config::parseDuration);
        String trigger;
        if (oneShot) {
            parameters.remove("cron");
            parameters.keySet().removeIf(k -> k.startsWith("trigger."));
            parameters.put("trigger.repeatCount", "0");
            parameters.put("trigger.repeatInterval", "1000");
            trigger = "once";
        } else if (interval.isPresent()) {
            if (interval.get().toMillis() < 1) {
                throw dev.caravan.api.error.MigrationException.userConfig("quartz: interval must be positive");
            }
            parameters.remove("cron");
            parameters.remove("trigger.timeZone"); // a simple trigger has no time zone
            parameters.put("trigger.repeatInterval", Long.toString(interval.get().toMillis()));
            trigger = "every " + interval.get();
        } else {
            Object cron = parameters.get("cron");
            trigger = cron == null ? "every 1s" : "cron " + cron.toString().replace('+', ' ');
        }
        QuartzEndpoint endpoint = (QuartzEndpoint) super.createEndpoint(uri, remaining, parameters);
        endpoint.setUsingFixedCamelContextName(true); // several workers share jobs in a clustered job store
        config.get("uniqueBy").ifPresent(u -> endpoint.setTriggerKey(new org.quartz.TriggerKey(
                endpoint.getTriggerKey().getName() + "-" + hash(u), endpoint.getTriggerKey().getGroup())));
        String key = endpoint.getTriggerKey().getGroup() + "." + endpoint.getTriggerKey().getName();
        String misfire = config.get("misfire").orElse(FIRE_ONCE_NOW);
        Blackout blackout = config.get("blackout").map(b -> Blackout.parse(b, TimeZone.getTimeZone(zone))).orElse(null);
        BandwidthTimetable timetable = config.get("bandwidthTimetable").map(t -> BandwidthTimetable.parse(t, zone))
                .orElse(null);
        if (!oneShot) {
            Map<String, Object> triggerParameters = endpoint.getTriggerParameters() == null ? new HashMap<>()
                    : endpoint.getTriggerParameters();
            triggerParameters.put("misfireInstruction", misfireInstruction(endpoint.getCron() != null, misfire));
            if (blackout != null) {
                String calendarName = "caravan-blackout-" + key;
                org.quartz.Calendar calendar = blackout.calendar();
                addScheduleInitTask(s -> s.addCalendar(calendarName, calendar, true, true));
                triggerParameters.put("calendarName", calendarName);
            }
            endpoint.setTriggerParameters(triggerParameters);
        }
        schedules.put(endpoint, new Schedule(key, trigger, zone, misfire, blackout, timetable));
        return endpoint;
    }

    /**
     * The zone as schedules show it: UTC under one name however it was spelled ({@code UTC}, {@code Etc/UTC},
     * {@code GMT}, or the default of a machine set to UTC), any other zone as given.
     */
    static ZoneId zone(ZoneId zone) {
        return zone.normalized().equals(ZoneOffset.UTC) ? ZoneId.of("UTC") : zone;
    }

    private static String hash(String value) {
        try {
            byte[] d = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(value.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(d, 0, 6);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The Quartz misfire instruction for a cron or a simple trigger. */
    static int misfireInstruction(boolean cron, String misfire) {
        if (SKIP.equals(misfire)) {
            return cron ? CronTrigger.MISFIRE_INSTRUCTION_DO_NOTHING
                    : SimpleTrigger.MISFIRE_INSTRUCTION_RESCHEDULE_NEXT_WITH_REMAINING_COUNT;
        }
        return cron ? CronTrigger.MISFIRE_INSTRUCTION_FIRE_ONCE_NOW : SimpleTrigger.MISFIRE_INSTRUCTION_FIRE_NOW;
    }
}
