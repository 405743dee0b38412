package dev.caravan.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.runtime.ScheduleStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The schedule table of {@code caravan status}: a failed fire showed only {@code ERROR, 0 objects, 0 B} and
 * {@code RUN -}; the reason is printed under the table, and a schedule backing off after refused fires says until
 * when.
 */
class StatusSchedulesTest {
    private static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");

    private static ScheduleStatus fire(String outcome, String error, int refusedInARow, Instant backoffUntil) {
        Instant fired = NOW.minusSeconds(20);
        return new ScheduleStatus("partner", "every PT5S (UTC)", NOW.plusSeconds(5), NOW, 3, fired, fired, "w1", null,
                fired.plusSeconds(1), outcome, 0, 0, error, refusedInARow, backoffUntil, null);
    }

    @Test
    void aRefusedFireShowsItsReasonAndTheBackoff() {
        Instant until = NOW.plus(Duration.ofMinutes(3));
        String out = StatusCommand.schedules(List.of(fire("REFUSED", "source 'sftp:u@h:22/x': authentication failed"
                + "\nfor user u", 2, until)), NOW);

        assertThat(out).contains("REFUSED, 0 objects").contains(Formats.timestamp(until) + " (backoff)")
                .contains("partner: last fire REFUSED: source 'sftp:u@h:22/x': authentication failed for user u (2"
                        + " refused in a row: fires skipped until " + Formats.timestamp(until) + ", then tried again)");
    }

    @Test
    void aRefusedFireNamesTheRunItAbortedInItsRowAndItsReason() {
        ScheduleStatus f = fire("REFUSED", "max delete exceeded", 1, NOW.plusSeconds(60));
        ScheduleStatus refused = new ScheduleStatus(f.name(), f.trigger(), f.nextFire(), f.updatedAt(), f.fires(),
                f.lastScheduled(), f.lastFired(), f.lastWorker(), "20261128T115940-0a1b2c3d", f.lastFinished(),
                f.lastOutcome(), 0, 0, f.lastError(), 1, f.backoffUntil(), null);

        String out = StatusCommand.schedules(List.of(refused), NOW);

        assertThat(out.lines().skip(1).findFirst().orElseThrow()).contains("REFUSED, 0 objects")
                .contains("20261128T115940-0a1b2c3d");
        assertThat(out).contains("partner: last fire REFUSED (run 20261128T115940-0a1b2c3d): max delete exceeded");
    }

    @Test
    void aScheduleWhoseServeStoppedCleanlySaysAtOnceThatNoWorkerServesIt() {
        ScheduleStatus f = fire("COMPLETE", null, 0, null);
        Instant stopped = NOW.minusSeconds(3);
        ScheduleStatus served = new ScheduleStatus(f.name(), f.trigger(), f.nextFire(), stopped, f.fires(),
                f.lastScheduled(), f.lastFired(), f.lastWorker(), null, f.lastFinished(), f.lastOutcome(), 0, 0, null, 0,
                null, stopped);

        String out = StatusCommand.schedules(List.of(served), NOW);

        assertThat(out).contains(Formats.timestamp(f.nextFire()) + " (no worker serving it: the last serve stopped at "
                + Formats.timestamp(stopped) + ")");
    }

    @Test
    void aWorkerThatDiedWithoutAStopIsStaleOnlyAfterTwoMinutes() {
        ScheduleStatus f = fire("COMPLETE", null, 0, null);
        ScheduleStatus seen = new ScheduleStatus(f.name(), f.trigger(), f.nextFire(), NOW.minusSeconds(30), f.fires(),
                f.lastScheduled(), f.lastFired(), f.lastWorker(), null, f.lastFinished(), f.lastOutcome(), 0, 0, null, 0,
                null, null);
        ScheduleStatus gone = new ScheduleStatus(f.name(), f.trigger(), f.nextFire(), NOW.minusSeconds(150), f.fires(),
                f.lastScheduled(), f.lastFired(), f.lastWorker(), null, f.lastFinished(), f.lastOutcome(), 0, 0, null, 0,
                null, null);

        assertThat(StatusCommand.schedules(List.of(seen), NOW)).doesNotContain("no worker");
        assertThat(StatusCommand.schedules(List.of(gone), NOW)).contains("(no worker seen for 2m 30s)");
    }

    @Test
    void anotherFailureShowsItsReasonWithoutBackoff() {
        String out = StatusCommand.schedules(List.of(fire("ERROR", "disk full", 0, null)), NOW);

        assertThat(out).contains("partner: last fire ERROR: disk full").doesNotContain("backoff")
                .contains(Formats.timestamp(NOW.plusSeconds(5)));
    }

    @Test
    void aCompleteFireAddsNoLine() {
        String out = StatusCommand.schedules(List.of(fire("COMPLETE", null, 0, null)), NOW);

        assertThat(out.lines()).hasSize(2);
    }
}
