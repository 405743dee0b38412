package dev.caravan.core.retry;

import dev.caravan.api.error.EndpointOutage;
import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import dev.caravan.api.error.OutageException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retries transient failures with exponential backoff and full jitter, honouring a server's retry-after hint.
 * User errors, fatal errors and everything not classified as transient fail at once. A server's outage (an
 * {@link OutageException}: it refuses connections after it has answered) is waited out apart from the retries, for
 * up to {@code outageWait}; then the failure becomes fatal and stops the run, unfinished.
 *
 * @param retries    attempts after the first
 * @param baseDelay  first backoff; doubles per attempt
 * @param maxDelay   cap of one backoff
 * @param outageWait how long a server's outage is waited out
 */
public record RetryPolicy(int retries, Duration baseDelay, Duration maxDelay, Duration outageWait) {
    private static final Logger LOG = LoggerFactory.getLogger(RetryPolicy.class);

    public RetryPolicy {
        if (outageWait.isNegative()) {
            throw MigrationException.userConfig("the outage wait must not be negative, got " + outageWait);
        }
    }

    public static RetryPolicy of(int retries, Duration baseDelay) {
        return of(retries, baseDelay, EndpointOutage.DEFAULT_WAIT);
    }

    public static RetryPolicy of(int retries, Duration baseDelay, Duration outageWait) {
        return new RetryPolicy(retries, baseDelay, Duration.ofSeconds(30), outageWait);
    }

    /**
     * Runs {@code work}; on a transient failure waits and tries again, up to {@link #retries()} times, and during a
     * server's outage for up to {@link #outageWait()}.
     */
    public <T> T call(String what, Supplier<T> work) {
        int attempt = 0;
        while (true) {
            try {
                return work.get();
            } catch (MigrationException e) {
                Optional<OutageException> outage = e.kind().retryable() ? OutageException.in(e) : Optional.empty();
                if (outage.isPresent()) {
                    waitOut(what, outage.get());
                    continue;
                }
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

    /** Waits before the next try while the outage is shorter than {@link #outageWait()}; else throws the stop. */
    private void waitOut(String what, OutageException outage) {
        if (outage.refusingFor().compareTo(outageWait) >= 0) {
            throw outage.stop(outageWait);
        }
        Duration left = outageWait.minus(outage.refusingFor());
        Duration hint = outage.retryAfter().orElse(EndpointOutage.RETRY_AFTER);
        Duration delay = hint.compareTo(left) > 0 ? left : hint; // the last try at the end of the wait
        LOG.warn("{}: {} (for {} s so far; waiting up to {} s in all, trying again in {} ms)", what,
                outage.getMessage(), outage.refusingFor().toSeconds(), outageWait.toSeconds(), delay.toMillis());
        sleep(delay);
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
