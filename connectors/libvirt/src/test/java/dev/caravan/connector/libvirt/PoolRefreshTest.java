package dev.caravan.connector.libvirt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A pool refresh that libvirt refuses because volume jobs still run is tried again until they end (for a while);
 * any other refusal fails at once, and one that lasts fails with libvirt's error.
 */
class PoolRefreshTest {
    private static final class Refused extends Exception {
        Refused(String message) {
            super(message);
        }
    }

    @Test
    void aRefreshWaitsWhileVolumeJobsRun() throws Refused {
        AtomicInteger calls = new AtomicInteger();
        PoolRefresh.untilIdle(() -> {
            if (calls.incrementAndGet() < 3) {
                throw new Refused("internal error: pool 'images' has asynchronous jobs running.");
            }
        }, PoolRefresh::busy, Duration.ofSeconds(10));
        assertThat(calls.get()).isEqualTo(3);
    }

    @Test
    void anyOtherRefusalFailsAtOnce() {
        AtomicInteger calls = new AtomicInteger();
        assertThatThrownBy(() -> PoolRefresh.untilIdle(() -> {
            calls.incrementAndGet();
            throw new Refused("Storage pool not found");
        }, PoolRefresh::busy, Duration.ofSeconds(10))).isInstanceOf(Refused.class).hasMessage("Storage pool not found");
        assertThat(calls.get()).isOne();
    }

    @Test
    void jobsThatDoNotEndFailTheRefreshWithLibvirtsError() {
        AtomicInteger calls = new AtomicInteger();
        long start = System.nanoTime();
        assertThatThrownBy(() -> PoolRefresh.untilIdle(() -> {
            calls.incrementAndGet();
            throw new Refused("pool 'images' has asynchronous jobs running.");
        }, PoolRefresh::busy, Duration.ofMillis(300))).isInstanceOf(Refused.class).hasMessageContaining("jobs running");
        assertThat(calls.get()).isGreaterThan(2);
        assertThat(System.nanoTime() - start).isLessThan(Duration.ofSeconds(2).toNanos());
    }
}
