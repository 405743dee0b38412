package dev.caravan.connector.libvirt;

import static dev.caravan.connector.libvirt.CompletionWatch.Step.ABORT;
import static dev.caravan.connector.libvirt.CompletionWatch.Step.GIVE_UP;
import static dev.caravan.connector.libvirt.CompletionWatch.Step.TIMEOUT_ACTION;
import static dev.caravan.connector.libvirt.CompletionWatch.Step.WAIT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.api.vm.LiveMigrationOptions.TimeoutAction;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The poll loop's decisions about the completion timeout and aborts, on a clock of our own (seconds). */
class CompletionWatchTest {
    private static final long S = 1_000_000_000L;
    private static final long DEADLINE = 100 * S;
    private static final Duration GRACE = Duration.ofSeconds(60);

    @Test
    void withoutDeadlineOrAbortTheJobRunsAsLongAsItTakes() {
        CompletionWatch w = new CompletionWatch(null, TimeoutAction.ABORT, GRACE);
        for (long t = 0; t < 10_000; t += 100) {
            assertThat(w.next(t * S, false, false)).isEqualTo(WAIT);
        }
        assertThat(w.timedOut()).isFalse();
    }

    @Test
    void anAbortAtTheTimeoutIsAskedOnEveryPollUntilItsGraceEnds() {
        CompletionWatch w = new CompletionWatch(DEADLINE, TimeoutAction.ABORT, GRACE);
        assertThat(w.next(99 * S, false, false)).isEqualTo(WAIT);
        assertThat(w.next(101 * S, false, false)).isEqualTo(ABORT);
        assertThat(w.next(160 * S, false, false)).isEqualTo(ABORT);
        assertThat(w.next(162 * S, false, false)).isEqualTo(GIVE_UP);
        assertThat(w.timedOut()).isTrue();
        assertThat(w.actionGaveUp()).isFalse();
    }

    @Test
    void aSuspendLibvirtAcceptedRunsToItsEnd() {
        CompletionWatch w = new CompletionWatch(DEADLINE, TimeoutAction.SUSPEND, GRACE);
        assertThat(w.next(101 * S, false, false)).isEqualTo(TIMEOUT_ACTION);
        assertThat(w.next(102 * S, false, false)).isEqualTo(TIMEOUT_ACTION);
        for (long t = 103; t < 2_000; t += 50) { // sending the rest while paused may take long: it is progress
            assertThat(w.next(t * S, true, false)).isEqualTo(WAIT);
        }
        assertThat(w.actionGaveUp()).isFalse();
    }

    @Test
    void aSuspendLibvirtNeverAcceptsGivesWayToAnAbortAfterTheGrace() {
        CompletionWatch w = new CompletionWatch(DEADLINE, TimeoutAction.POSTCOPY, GRACE);
        assertThat(w.next(101 * S, false, false)).isEqualTo(TIMEOUT_ACTION);
        assertThat(w.next(159 * S, false, false)).isEqualTo(TIMEOUT_ACTION);
        assertThat(w.next(161 * S, false, false)).isEqualTo(ABORT);
        assertThat(w.actionGaveUp()).isTrue();
        assertThat(w.next(200 * S, true, false)).as("accepted too late: the abort goes on").isEqualTo(ABORT);
        assertThat(w.next(222 * S, true, false)).isEqualTo(GIVE_UP);
    }

    @Test
    void anAbortOnRequestBeforeTheDeadlineHasItsGraceToo() {
        CompletionWatch w = new CompletionWatch(DEADLINE, TimeoutAction.SUSPEND, GRACE);
        assertThat(w.next(10 * S, false, true)).isEqualTo(ABORT);
        assertThat(w.next(69 * S, false, true)).isEqualTo(ABORT);
        assertThat(w.next(71 * S, false, true)).isEqualTo(GIVE_UP);
        assertThat(w.timedOut()).isFalse();
    }
}
