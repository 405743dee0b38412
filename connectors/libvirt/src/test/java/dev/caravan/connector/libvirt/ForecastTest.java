package dev.caravan.connector.libvirt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.caravan.api.vm.LiveMigrationOptions;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The pre-copy model: passes, time, convergence. */
class ForecastTest {
    private static final long MIB = 1 << 20;

    @Test
    void anIdleGuestNeedsOnePass() {
        Forecast.Estimate e = Forecast.estimate(1024 * MIB, 0, 0, 100 * MIB, Duration.ofMillis(300));
        assertThat(e.converges()).isTrue();
        assertThat(e.iterations()).isEqualTo(1);
        assertThat(e.seconds()).isCloseTo(10.24, within(0.01));
    }

    @Test
    void passesShrinkByTheDirtyToBandwidthRatio() {
        // 1 GiB, 50 MiB/s dirty, 100 MiB/s: 1024, 512, 256, 128, 64, 32 MiB left -> 30 MiB fit in 300 ms? no: 32 > 30
        Forecast.Estimate e = Forecast.estimate(1024 * MIB, 64 * MIB, 50 * MIB, 100 * MIB, Duration.ofMillis(300));
        assertThat(e.converges()).isTrue();
        assertThat(e.iterations()).isEqualTo(6);
        assertThat(e.seconds()).isCloseTo(0.64 + (1024 + 512 + 256 + 128 + 64 + 32 + 16) / 100.0, within(0.01));
    }

    @Test
    void aDirtyRateAtOrAboveTheBandwidthNeverConverges() {
        assertThat(Forecast.estimate(128 * MIB, 0, 100 * MIB, 100 * MIB, Duration.ofMillis(300)).converges())
                .isFalse();
        assertThat(Forecast.estimate(128 * MIB, 0, 99 * MIB, 100 * MIB, Duration.ofMillis(1)).converges())
                .isFalse();
    }

    @Test
    void usesTheSmallerOfLinkAndLimit() {
        assertThat(Forecast.bandwidth(LiveMigrationOptions.builder().linkBandwidth(100).bandwidth(40).build()))
                .isEqualTo(40);
        assertThat(Forecast.bandwidth(LiveMigrationOptions.builder().linkBandwidth(100).build())).isEqualTo(100);
        assertThat(Forecast.bandwidth(LiveMigrationOptions.defaults())).isZero();
    }
}
