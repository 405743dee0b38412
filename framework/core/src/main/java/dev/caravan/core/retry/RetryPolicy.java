package dev.caravan.core.retry;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retries transient failures with exponential backoff and full jitter, honouring a server's retry-after hint.
 * User errors, fatal errors and everything not classified as transient fail at once.
 *
 * @param retries   attempts after the first
 * @param baseDelay first backoff; doubles per attempt
 * @param maxDelay  cap of one backoff
 */
public record RetryPolicy(int retries, Duration baseDelay, Duration maxDelay) {
    private static final Logger LOG = LoggerFactory.getLogger(RetryPolicy.class);

    public static RetryPolicy of(int retries, Duration baseDelay) {
        return new RetryPolicy(retries, baseDelay, Duration.ofSeconds(30));
    }

    /** Runs {@code work}; on a transient failure waits and tries again, up to {@link #retries()} times. */
    public <T> T call(String what, Supplier<T> work) {
        int attempt = 0;
        while (true) {
            try {
                return work.get();
            } catch (MigrationException e) {
                if (!e.kind().retryable() || attempt >= retries) {
                    throw e;
                }
                Duration delay = delay(attempt, e);
                attempt++;
                LOG.warn("{}: {} (attempt {} of {}, retrying in {} ms)", what, e.getMessage(), attempt, retries + 1,
                        delay.toMillis());
                sleep(delay);
            }
        }
    }

    /** The wait before retry number {@code attempt + 1}: the retry-after hint, or a jittered exponential delay. */
    public Duration delay(int attempt, MigrationException e) {
        if (e.retryAfter().isPresent()) {
            return e.retryAfter().get();
        }
        long cap = Math.min(maxDelay.toMillis(), baseDelay.toMillis() << Math.min(attempt, 20));
        return Duration.ofMillis(ThreadLocalRandom.current().nextLong(cap / 2, cap + 1));
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            throw new MigrationException(ErrorKind.FATAL, "interrupted while waiting to retry", ie);
        }
    }
}
