package dev.caravan.core.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import dev.caravan.api.error.OutageException;
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
        RetryPolicy p = new RetryPolicy(10, Duration.ofMillis(100), Duration.ofSeconds(5), Duration.ofSeconds(25));
        MigrationException busy = MigrationException.transientError("busy", null);
        for (int attempt = 0; attempt < 8; attempt++) {
            long cap = Math.min(5000, 100L << attempt);
            assertThat(p.delay(attempt, busy).toMillis()).isBetween(cap / 2, cap);
        }
        MigrationException slowDown = new MigrationException(ErrorKind.TRANSIENT, "503", null, Duration.ofSeconds(7));
        assertThat(p.delay(0, slowDown)).isEqualTo(Duration.ofSeconds(7));
    }

    /** A refusal by a server that had answered, {@code refusingForMs} into its outage, retried after 10 ms. */
    private static OutageException outage(long refusingForMs) {
        return new OutageException("http://127.0.0.1:9", "put of 'a'", "12:00:00", Duration.ofMillis(refusingForMs),
                MigrationException.userConfig("cannot reach the endpoint"), Duration.ofMillis(10));
    }

    @Test
    void anOutageIsWaitedOutWithoutUsingTheRetries() {
        RetryPolicy noRetries = RetryPolicy.of(0, Duration.ofMillis(1), Duration.ofSeconds(5));
        AtomicInteger calls = new AtomicInteger();
        String result = noRetries.call("x", () -> {
            int n = calls.incrementAndGet();
            if (n == 1) {
                throw outage(0);
            }
            if (n < 5) { // as a connector's wrapper may throw it: its cause
                throw new MigrationException(ErrorKind.TRANSIENT, "copy failed", outage(n * 10L));
            }
            return "ok";
        });
        assertThat(result).isEqualTo("ok");
        assertThat(calls).hasValue(5);
    }

    @Test
    void anOutageThatLastsTheWaitStopsTheRun() {
        RetryPolicy p = RetryPolicy.of(5, Duration.ofMillis(1), Duration.ofMillis(50));
        AtomicInteger calls = new AtomicInteger();
        assertThatThrownBy(() -> p.call("x", () -> {
            throw outage(calls.incrementAndGet() * 20L);
        })).isInstanceOfSatisfying(MigrationException.class, e -> {
            assertThat(e.kind()).isEqualTo(ErrorKind.FATAL);
            assertThat(e.getMessage()).startsWith("http://127.0.0.1:9 has refused connections for 0 s (it last answered"
                    + " at 12:00:00; put of 'a'; the outage wait is 0 s): the run stops here, unfinished, and nothing"
                    + " is lost");
        });
        assertThat(calls).as("stopped at 60 ms of refusals, not after the 5 retries").hasValue(3);

        AtomicInteger outer = new AtomicInteger();
        assertThatThrownBy(() -> p.call("y", () -> {
            outer.incrementAndGet();
            throw outage(60).stop(Duration.ofMillis(50)); // an inner policy's stop, through an outer one
        })).isInstanceOf(MigrationException.class);
        assertThat(outer).as("a stop is not retried").hasValue(1);
    }

    @Test
    void theWaitIsNeverNegative() {
        assertThatThrownBy(() -> RetryPolicy.of(1, Duration.ofMillis(1), Duration.ofSeconds(-1)))
                .isInstanceOfSatisfying(MigrationException.class,
                        e -> assertThat(e.kind()).isEqualTo(ErrorKind.USER_CONFIG));
    }
}
