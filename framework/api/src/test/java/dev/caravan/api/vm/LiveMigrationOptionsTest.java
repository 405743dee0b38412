package dev.caravan.api.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.caravan.api.vm.LiveMigrationOptions.TimeoutAction;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The completion timeout of a live migration: set, none, or the default policy scaled by what the move carries. */
class LiveMigrationOptionsTest {
    private static final long MIB = 1L << 20;
    private static final long GIB = 1L << 30;

    @Test
    void unsetTheDefaultPolicyScalesWithMemoryAndCopiedDisksCountingAtLeastTwoGib() {
        LiveMigrationOptions o = LiveMigrationOptions.defaults();

        assertThat(o.completionTimeout()).isNull();
        assertThat(o.timeoutAction()).isEqualTo(TimeoutAction.ABORT);
        // a small guest: 128 MiB of memory and a 64 MiB disk count as 2 GiB
        assertThat(o.completionTimeoutFor(128 * MIB, 64 * MIB)).contains(Duration.ofSeconds(1600));
        // 16 GiB of memory and 100.5 GiB of disk copied: 117 GiB (rounded up)
        assertThat(o.completionTimeoutFor(16 * GIB, 100 * GIB + 512 * MIB)).contains(Duration.ofSeconds(800 * 117));
        // shared disk: the disks do not move and do not count
        assertThat(o.toBuilder().sharedDisk(true).build().completionTimeoutFor(16 * GIB, 100 * GIB))
                .contains(Duration.ofSeconds(800 * 16));
        assertThat(o.toBuilder().completionTimeoutPerGiB(Duration.ofSeconds(60)).build()
                .completionTimeoutFor(4 * GIB, 0)).contains(Duration.ofMinutes(4));
    }

    @Test
    void aSetTimeoutWinsAndZeroMeansNone() {
        LiveMigrationOptions set = LiveMigrationOptions.builder()
                .completionTimeout(Duration.ofMinutes(10), TimeoutAction.SUSPEND).build();
        LiveMigrationOptions none = LiveMigrationOptions.builder()
                .completionTimeout(Duration.ZERO, TimeoutAction.ABORT).build();

        assertThat(set.completionTimeoutFor(64 * GIB, 0)).contains(Duration.ofMinutes(10));
        assertThat(none.completionTimeoutFor(64 * GIB, 0)).isEmpty();
        assertThatThrownBy(() -> LiveMigrationOptions.builder().completionTimeout(Duration.ofSeconds(-1),
                TimeoutAction.ABORT).build()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LiveMigrationOptions.builder().completionTimeoutPerGiB(Duration.ZERO).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("completionTimeout=0");
    }
}
