package dev.caravan.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.core.throttle.BandwidthLimiter;
import org.junit.jupiter.api.Test;

class BandwidthLimiterTest {
    @Test
    void limitsTheRateSharedByAllCallers() throws Exception {
        BandwidthLimiter limiter = new BandwidthLimiter(4L << 20); // 4 MiB/s
        Runnable pull = () -> {
            for (int i = 0; i < 32; i++) {
                limiter.acquire(64 * 1024); // 2 MiB per thread
            }
        };
        long start = System.nanoTime();
        Thread a = new Thread(pull);
        Thread b = new Thread(pull);
        a.start();
        b.start();
        a.join();
        b.join();
        double seconds = (System.nanoTime() - start) / 1e9;
        // 4 MiB at 4 MiB/s with a 0.25 s burst: at least 0.7 s whatever the machine's speed
        assertThat(seconds).isGreaterThan(0.7);
    }

    @Test
    void noLimitDoesNotWait() {
        BandwidthLimiter limiter = new BandwidthLimiter(0);
        limiter.acquire(Long.MAX_VALUE / 2);
        assertThat(limiter.rate()).isZero();
    }
}
