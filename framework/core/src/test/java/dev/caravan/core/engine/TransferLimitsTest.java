package dev.caravan.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.core.plan.CutoffMode;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TransferLimitsTest {
    private final AtomicLong now = new AtomicLong(1_000);

    @Test
    void noLimitAdmitsEverythingAndNeverSaysReached() {
        TransferLimits none = new TransferLimits(0, null, CutoffMode.HARD, now.get(), now::get);
        now.addAndGet(Duration.ofDays(365).toNanos());

        assertThat(none.admit(Long.MAX_VALUE / 2)).isTrue();
        assertThat(none.admit(-1)).isTrue();
        assertThat(none.timeUp()).isFalse();
        assertThat(none.mayHaveStopped()).isFalse();
    }

    @Test
    void anObjectThatWouldGoPastTheByteLimitIsNotStartedButASmallerOneStillIs() {
        TransferLimits limits = new TransferLimits(100, null, CutoffMode.HARD, now.get(), now::get);

        assertThat(limits.admit(60)).isTrue();
        assertThat(limits.admit(50)).as("60 + 50 > 100").isFalse();
        assertThat(limits.admit(40)).as("60 + 40 = 100 fits").isTrue();
        assertThat(limits.admit(1)).isFalse();
        assertThat(limits.stopsStarts()).as("100 of 100 counted").isTrue();
        assertThat(limits.reason(2, List.of())).contains("the max transfer of 100 B is reached (100 B copied)")
                .contains("2 objects are left for the next run").doesNotContain("larger than the whole limit");
    }

    @Test
    void whatAResumedObjectDidNotSendIsFreedAndAnUnknownSizeCountsOnceCopied() {
        TransferLimits limits = new TransferLimits(100, null, CutoffMode.HARD, now.get(), now::get);

        assertThat(limits.admit(80)).isTrue();
        limits.copied(80, 30); // 50 of its bytes had been sent by an interrupted run
        assertThat(limits.admit(70)).as("30 + 70").isTrue();
        limits.copied(70, 70);
        assertThat(limits.admit(-1)).as("100 counted: not even an object of unknown size").isFalse();

        TransferLimits unknown = new TransferLimits(100, null, CutoffMode.HARD, now.get(), now::get);
        assertThat(unknown.admit(-1)).isTrue();
        unknown.copied(-1, 150);
        assertThat(unknown.admit(0)).isFalse();
    }

    @Test
    void anObjectLargerThanTheWholeLimitIsSaidToNeedAHigherOne() {
        TransferLimits limits = new TransferLimits(1024, null, CutoffMode.HARD, now.get(), now::get);

        assertThat(limits.admit(4096)).isFalse();

        assertThat(limits.mayHaveStopped()).isTrue();
        assertThat(limits.stopsStarts()).as("a smaller object may still start").isFalse();
        assertThat(limits.reason(1, List.of())).contains("1 object is left for the next run")
                .contains("one of 4.0 KiB is larger than the whole limit");
    }

    @Test
    void onceTheTimeIsUpNoObjectStartsAndInSoftModeThoseInFlightFinish() {
        TransferLimits limits = new TransferLimits(0, Duration.ofSeconds(10), CutoffMode.SOFT, now.get(), now::get);
        assertThat(limits.admit(5)).isTrue();
        now.addAndGet(Duration.ofSeconds(9).toNanos());
        assertThat(limits.timeUp()).isFalse();
        assertThat(limits.mayHaveStopped()).isFalse();

        now.addAndGet(Duration.ofSeconds(1).toNanos());

        assertThat(limits.timeUp()).isTrue();
        assertThat(limits.admit(5)).isFalse();
        assertThat(limits.stopsStarts()).isTrue();
        assertThat(limits.reason(3, List.of())).isEqualTo("the max duration of 10s is up: no object started after it, those in"
                + " flight finished; 3 objects are left for the next run");
        assertThat(limits.hardDeadlinePassed()).as("soft: nothing in flight is stopped").isFalse();
    }

    @Test
    void inHardModeTheDeadlineStopsTheTransfersInFlightAndTheReasonNamesThem() {
        TransferLimits limits = new TransferLimits(0, Duration.ofSeconds(10), CutoffMode.HARD, now.get(), now::get);
        assertThat(limits.hardDeadlinePassed()).isFalse();

        now.addAndGet(Duration.ofSeconds(10).toNanos());

        assertThat(limits.hardDeadlinePassed()).isTrue();
        assertThat(limits.admit(1)).isFalse();
        assertThat(limits.reason(8, List.of("a.bin", "b.bin"))).isEqualTo("the max duration of 10s is up: no object"
                + " started after it, the 2 transfers in flight stopped there (cut off: a.bin, b.bin), to go on from"
                + " where they are; 8 objects are left for the next run");
        assertThat(limits.reason(7, List.of("1", "2", "3", "4", "5", "6", "7"))).contains("(cut off: 1, 2, 3, 4, 5 and"
                + " 2 more)");
        assertThat(limits.reason(1, List.of())).contains("none was in flight to stop");
    }

    @Test
    void inCautiousModeAnObjectThatWouldNotFinishBeforeTheDeadlineAtTheMeasuredRateDoesNotStart() {
        TransferLimits limits = new TransferLimits(0, Duration.ofSeconds(10), CutoffMode.CAUTIOUS, now.get(),
                now::get);
        assertThat(limits.admit(1_000_000_000)).as("nothing measured yet: it starts").isTrue();
        limits.copied(1_000_000_000, 0); // resumed entirely: nothing sent, still nothing measured
        assertThat(limits.admit(1_000_000_000)).isTrue();

        now.addAndGet(Duration.ofSeconds(2).toNanos());
        limits.copied(2000, 2000); // 2000 B in 2 s: 1000 B/s

        assertThat(limits.admit(8000)).as("8 s more: done at 10 s, the deadline").isTrue();
        assertThat(limits.admit(8001)).isFalse();
        assertThat(limits.admit(-1)).as("a size not known is not estimated").isTrue();
        assertThat(limits.admit(10)).as("a smaller one after it still starts").isTrue();
        assertThat(limits.timeUp()).isFalse();
        assertThat(limits.stopsStarts()).isFalse();
        assertThat(limits.mayHaveStopped()).isTrue();
        assertThat(limits.hardDeadlinePassed()).as("cautious: nothing in flight is stopped").isFalse();
        assertThat(limits.reason(1, List.of())).isEqualTo("1 object was not started as it would not have finished"
                + " within the max duration of 10s at the 1000 B/s measured (cut-off mode cautious); 1 object is left"
                + " for the next run");
    }
}
