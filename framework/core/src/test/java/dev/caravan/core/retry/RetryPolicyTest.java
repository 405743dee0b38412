package dev.caravan.core.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
    private final RetryPolicy policy = RetryPolicy.of(3, Duration.ofMillis(1));

    @Test
    void transientErrorsAreRetried() {
        AtomicInteger calls = new AtomicInteger();
        String result = policy.call("x", () -> {
            if (calls.incrementAndGet() < 3) {
                throw MigrationException.transientError("busy", null);
            }
            return "ok";
        });
        assertThat(result).isEqualTo("ok");
        assertThat(calls).hasValue(3);
    }

    @Test
    void userErrorsAreNeverRetried() {
        AtomicInteger calls = new AtomicInteger();
        assertThatThrownBy(() -> policy.call("x", () -> {
            calls.incrementAndGet();
            throw MigrationException.userData("bad key");
        })).isInstanceOf(MigrationException.class);
        assertThat(calls).hasValue(1);
    }

    @Test
    void givesUpAfterTheLastRetry() {
        AtomicInteger calls = new AtomicInteger();
        assertThatThrownBy(() -> policy.call("x", () -> {
            calls.incrementAndGet();
            throw MigrationException.transientError("down", null);
        })).hasMessage("down");
        assertThat(calls).hasValue(4);
    }

    @Test
    void backoffGrowsWithJitterAndHonoursRetryAfter() {
        RetryPolicy p = new RetryPolicy(10, Duration.ofMillis(100), Duration.ofSeconds(5));
        MigrationException busy = MigrationException.transientError("busy", null);
        for (int attempt = 0; attempt < 8; attempt++) {
            long cap = Math.min(5000, 100L << attempt);
            assertThat(p.delay(attempt, busy).toMillis()).isBetween(cap / 2, cap);
        }
        MigrationException slowDown = new MigrationException(ErrorKind.TRANSIENT, "503", null, Duration.ofSeconds(7));
        assertThat(p.delay(0, slowDown)).isEqualTo(Duration.ofSeconds(7));
    }
}
