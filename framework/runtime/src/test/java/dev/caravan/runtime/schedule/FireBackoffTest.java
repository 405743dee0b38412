package dev.caravan.runtime.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The backoff rule of refused fires: 1, 2, 4 ... 60 minutes, ended by any fire that is not refused. */
class FireBackoffTest {
    private static final Instant T = Instant.parse("2026-11-28T12:00:00Z");

    private static FireBackoff.Fire fire(String outcome, int minutesAgo) {
        return new FireBackoff.Fire(outcome, T.minus(Duration.ofMinutes(minutesAgo)));
    }

    @Test
    void thePauseDoublesFromOneMinuteUpToAnHour() {
        assertThat(FireBackoff.pause(0)).isZero();
        assertThat(FireBackoff.pause(1)).isEqualTo(Duration.ofMinutes(1));
        assertThat(FireBackoff.pause(2)).isEqualTo(Duration.ofMinutes(2));
        assertThat(FireBackoff.pause(3)).isEqualTo(Duration.ofMinutes(4));
        assertThat(FireBackoff.pause(6)).isEqualTo(Duration.ofMinutes(32));
        assertThat(FireBackoff.pause(7)).isEqualTo(Duration.ofHours(1));
        assertThat(FireBackoff.pause(100)).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void refusedFiresInARowSetTheResumeTimeFromTheLatestOne() {
        List<FireBackoff.Fire> latestFirst = List.of(fire("REFUSED", 0), fire("REFUSED", 3), fire("REFUSED", 5),
                fire("COMPLETE", 60), fire("REFUSED", 70));
        assertThat(FireBackoff.refusedInARow(latestFirst)).isEqualTo(3);
        assertThat(FireBackoff.resumeAt(latestFirst)).isEqualTo(T.plus(Duration.ofMinutes(4)));
    }

    @Test
    void aFireThatIsNotRefusedEndsTheBackoff() {
        assertThat(FireBackoff.resumeAt(List.of(fire("COMPLETE", 0), fire("REFUSED", 1), fire("REFUSED", 2))))
                .isNull();
        assertThat(FireBackoff.resumeAt(List.of(fire("ERROR", 0), fire("REFUSED", 1)))).as("failed otherwise")
                .isNull();
        assertThat(FireBackoff.resumeAt(List.of())).as("never fired").isNull();
    }

    @Test
    void theHistoryReadIsEnoughForTheLongestPause() {
        List<FireBackoff.Fire> many = new ArrayList<>();
        for (int i = 0; i < FireBackoff.HISTORY; i++) {
            many.add(fire("REFUSED", i));
        }
        assertThat(FireBackoff.pause(FireBackoff.refusedInARow(many))).isEqualTo(FireBackoff.MAX);
    }
}
