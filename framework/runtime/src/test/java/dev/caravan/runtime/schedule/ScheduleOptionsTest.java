package dev.caravan.runtime.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import dev.caravan.core.throttle.BandwidthLimiter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.TimeZone;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.quartz.CronScheduleBuilder;
import org.quartz.CronTrigger;
import org.quartz.SimpleTrigger;
import org.quartz.TriggerBuilder;
import org.quartz.TriggerUtils;
import org.quartz.spi.OperableTrigger;

/** Blackout windows, bandwidth timetables and misfire rules of a schedule. */
class ScheduleOptionsTest {
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    private static Instant at(String localDateTime, ZoneId zone) {
        return LocalDateTime.parse(localDateTime).atZone(zone).toInstant();
    }

    @Test
    void blackoutKeepsAnHourlyScheduleOutOfBusinessHours() {
        Blackout blackout = Blackout.parse("Mon-Fri 08:00-18:00", TimeZone.getTimeZone(BERLIN));
        OperableTrigger hourly = (OperableTrigger) TriggerBuilder.newTrigger()
                .withSchedule(CronScheduleBuilder.cronSchedule("0 0 * * * ?").inTimeZone(TimeZone.getTimeZone(BERLIN)))
                .startAt(Date.from(at("2025-11-24T00:00", BERLIN))).build(); // a Monday
        List<Date> fires = TriggerUtils.computeFireTimesBetween(hourly, blackout.calendar(),
                Date.from(at("2025-11-24T00:00", BERLIN)), Date.from(at("2025-11-30T23:59", BERLIN)));
        List<Integer> mondayHours = fires.stream().map(d -> d.toInstant().atZone(BERLIN))
                .filter(t -> t.getDayOfMonth() == 24).map(t -> t.getHour()).toList();
        assertThat(mondayHours).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 18, 19, 20, 21, 22, 23);
        long saturday = fires.stream().filter(d -> d.toInstant().atZone(BERLIN).getDayOfMonth() == 29).count();
        assertThat(saturday).as("weekends are not blacked out").isEqualTo(24);
        assertThat(fires).hasSize(5 * 14 + 2 * 24);
    }

    @Test
    void blackoutWindowsWithMinutesAndAcrossMidnight() {
        Blackout b = Blackout.parse("Mon-Fri 08:30-17:45; Sat 22:00-02:00", TimeZone.getTimeZone(ZoneOffset.UTC));
        assertThat(b.covers(at("2025-11-24T08:29:59", ZoneOffset.UTC).toEpochMilli())).isFalse();
        assertThat(b.covers(at("2025-11-24T08:30", ZoneOffset.UTC).toEpochMilli())).isTrue();
        assertThat(b.covers(at("2025-11-24T12:00", ZoneOffset.UTC).toEpochMilli())).isTrue();
        assertThat(b.covers(at("2025-11-24T17:44:59", ZoneOffset.UTC).toEpochMilli())).isTrue();
        assertThat(b.covers(at("2025-11-24T17:45", ZoneOffset.UTC).toEpochMilli())).isFalse();
        assertThat(b.covers(at("2025-11-29T23:30", ZoneOffset.UTC).toEpochMilli())).as("Saturday night").isTrue();
        assertThat(b.covers(at("2025-11-30T01:59", ZoneOffset.UTC).toEpochMilli())).as("into Sunday").isTrue();
        assertThat(b.covers(at("2025-11-30T02:00", ZoneOffset.UTC).toEpochMilli())).isFalse();
        // windows that leave no minute of the week: the schedule could never fire, and Quartz looked for ever
        for (String always : new String[] {"00:00-24:00", "Mon-Sun 00:00-24:00", "22:00-06:00; 06:00-22:00",
                "Mon-Fri 00:00-24:00; Sat-Sun 00:00-24:00"}) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> Blackout.parse(always,
                    TimeZone.getTimeZone(ZoneOffset.UTC))).as(always).hasMessageContaining("covers the whole week");
        }
        assertThat(b.covers(at("2025-11-29T12:00", ZoneOffset.UTC).toEpochMilli())).isFalse();
    }

    @Test
    void timetableGivesTheRateByTimeOfDay() {
        BandwidthTimetable t = BandwidthTimetable.parse("Mon-Fri 08:00-18:00=10M; 18:00-08:00=unlimited; Sat-Sun"
                + " 00:00-24:00=512k", BERLIN);
        assertThat(t.rateAt(at("2025-11-24T09:00", BERLIN))).isEqualTo(10L << 20);
        assertThat(t.rateAt(at("2025-11-24T19:00", BERLIN))).isZero();
        assertThat(t.rateAt(at("2025-11-25T07:59", BERLIN))).isZero();
        assertThat(t.rateAt(at("2025-11-29T12:00", BERLIN))).isEqualTo(512L << 10);
    }

    @Test
    void theSchedulerSetsTheLowestActiveLimitAndRestoresTheOldOne() {
        BandwidthLimiter limiter = new BandwidthLimiter(7);
        AtomicReference<Instant> now = new AtomicReference<>(at("2025-11-24T09:00", BERLIN));
        Clock clock = new Clock() {
            @Override
            public ZoneId getZone() {
                return BERLIN;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now.get();
            }
        };
        try (BandwidthScheduler scheduler = new BandwidthScheduler(() -> limiter, clock, Duration.ofHours(1))) {
            scheduler.activate("a", BandwidthTimetable.parse("08:00-18:00=10M", BERLIN));
            assertThat(limiter.rate()).isEqualTo(10L << 20);
            scheduler.activate("b", BandwidthTimetable.parse("08:00-18:00=1M", BERLIN));
            assertThat(limiter.rate()).isEqualTo(1L << 20);
            now.set(at("2025-11-24T20:00", BERLIN));
            scheduler.apply();
            assertThat(limiter.rate()).as("night: unlimited").isZero();
            scheduler.deactivate("a");
            scheduler.deactivate("b");
            assertThat(limiter.rate()).as("the limit from before").isEqualTo(7);
        }
    }

    @Test
    void misfireRulesMapToTheQuartzInstructionOfTheTrigger() {
        assertThat(ScheduleComponent.misfireInstruction(true, ScheduleComponent.SKIP))
                .isEqualTo(CronTrigger.MISFIRE_INSTRUCTION_DO_NOTHING);
        assertThat(ScheduleComponent.misfireInstruction(true, ScheduleComponent.FIRE_ONCE_NOW))
                .isEqualTo(CronTrigger.MISFIRE_INSTRUCTION_FIRE_ONCE_NOW);
        assertThat(ScheduleComponent.misfireInstruction(false, ScheduleComponent.SKIP))
                .isEqualTo(SimpleTrigger.MISFIRE_INSTRUCTION_RESCHEDULE_NEXT_WITH_REMAINING_COUNT);
        assertThat(ScheduleComponent.misfireInstruction(false, ScheduleComponent.FIRE_ONCE_NOW))
                .isEqualTo(SimpleTrigger.MISFIRE_INSTRUCTION_FIRE_NOW);
    }

    @Test
    void malformedOptionsAreUserErrorsThatShowTheSyntax() {
        assertThatThrownBy(() -> Blackout.parse("weekdays 8-18", TimeZone.getDefault()))
                .isInstanceOf(MigrationException.class).hasMessageContaining("Mon-Fri 08:00-18:00")
                .extracting(e -> ((MigrationException) e).kind()).isEqualTo(ErrorKind.USER_CONFIG);
        assertThatThrownBy(() -> BandwidthTimetable.parse("08:00-18:00=fast", BERLIN))
                .isInstanceOf(MigrationException.class).hasMessageContaining("not a rate");
        assertThatThrownBy(() -> BandwidthTimetable.parse("08:00-18:00", BERLIN))
                .isInstanceOf(MigrationException.class).hasMessageContaining("no rate");
        assertThatThrownBy(() -> ScheduleComponent.OPTIONS.resolve(java.util.Map.of("misfire", "later")))
                .isInstanceOf(MigrationException.class).hasMessageContaining("fire-once-now");
    }

    /** The template's time zone showed as (UTC), a raw quartz: route's on a UTC machine as (Etc/UTC). */
    @Test
    void utcIsShownUnderOneNameHoweverItWasSpelled() throws Exception {
        try (org.apache.camel.impl.DefaultCamelContext camel = new org.apache.camel.impl.DefaultCamelContext()) {
            ScheduleComponent quartz = new ScheduleComponent(false);
            camel.addComponent("quartz", quartz);
            for (String zone : List.of("UTC", "Etc/UTC", "GMT")) {
                var endpoint = camel.getEndpoint("quartz:g/t-" + zone.replace('/', '-') + "?cron=0+0+2+*+*+?"
                        + "&trigger.timeZone=" + zone + "&blackout=RAW(Sat 10:00-12:00)");
                assertThat(quartz.schedule(endpoint).orElseThrow().describe()).as(zone)
                        .isEqualTo("cron 0 0 2 * * ? (UTC), blackout Sat 10:00-12:00 (UTC)");
            }
            var berlin = camel.getEndpoint("quartz:g/berlin?cron=0+0+2+*+*+?&trigger.timeZone=Europe/Berlin");
            assertThat(quartz.schedule(berlin).orElseThrow().describe()).isEqualTo("cron 0 0 2 * * ? (Europe/Berlin)");
        }
    }
}
