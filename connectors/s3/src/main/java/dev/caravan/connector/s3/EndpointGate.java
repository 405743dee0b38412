package dev.caravan.connector.s3;

import dev.caravan.api.error.EndpointOutage;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/**
 * One per endpoint and process: every request to the endpoint passes this gate before it is sent (each attempt,
 * SDK retries included). After a throttling answer (503 SlowDown, 429, or any answer with Retry-After) the gate
 * holds <em>all</em> requests to the endpoint, from every store and transfer, until the server's Retry-After or an
 * exponential backoff (200 ms doubling to 20 s, with jitter) has passed; a success resets the backoff. With a
 * request-rate limit, the gate also spaces requests evenly. Thread-safe.
 */
final class EndpointGate {
    static final Duration FIRST_BACKOFF = Duration.ofMillis(200);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(20);
    static final Duration MAX_RETRY_AFTER = Duration.ofMinutes(5);

    private static final ConcurrentMap<String, EndpointGate> GATES = new ConcurrentHashMap<>();

    /** Time source and sleep, replaceable in unit tests. */
    interface Clock {
        long nanoTime();

        void sleepNanos(long nanos) throws InterruptedException;
    }

    private static final Clock SYSTEM = new Clock() {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public void sleepNanos(long nanos) throws InterruptedException {
            TimeUnit.NANOSECONDS.sleep(nanos);
        }
    };

    private final String endpoint;
    private final Clock clock;
    private final EndpointOutage outage;
    private final AtomicLong throttles = new AtomicLong();
    private final AtomicLong longestWait = new AtomicLong();
    private boolean paused;
    private long pausedUntil;
    private int consecutive;
    private long intervalNanos;
    private long nextSlot;

    EndpointGate(String endpoint, Clock clock) {
        this.endpoint = endpoint;
        this.clock = clock;
        this.outage = EndpointOutage.of(endpoint);
    }

    /** Whether a refused connection is an outage of this endpoint (it answered a moment ago) or a wrong endpoint. */
    EndpointOutage outage() {
        return outage;
    }

    /** The process-wide gate of an endpoint, with the strictest request-rate limit any store asked for. */
    static EndpointGate of(String endpoint, int requestsPerSecond) {
        EndpointGate gate = GATES.computeIfAbsent(endpoint, e -> new EndpointGate(e, SYSTEM));
        gate.limitTo(requestsPerSecond);
        return gate;
    }

    String endpoint() {
        return endpoint;
    }

    /** Number of throttling answers seen so far (for tests and progress reports). */
    long throttles() {
        return throttles.get();
    }

    /** The longest time a request was held so far (for tests and progress reports). */
    Duration longestWait() {
        return Duration.ofNanos(longestWait.get());
    }

    /** Applies a request-rate limit; the strictest one given wins. 0 changes nothing. */
    synchronized void limitTo(int requestsPerSecond) {
        if (requestsPerSecond > 0) {
            long interval = TimeUnit.SECONDS.toNanos(1) / requestsPerSecond;
            intervalNanos = Math.max(intervalNanos, interval);
        }
    }

    /** Waits until a request may be sent. */
    void acquire() {
        long wait = reserve();
        if (wait > 0) {
            longestWait.accumulateAndGet(wait, Math::max);
            try {
                clock.sleepNanos(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw AbortedException.create("interrupted while waiting to send a request to " + endpoint);
            }
        }
    }

    /** Books the next send slot and returns how long to wait for it, in nanoseconds. */
    synchronized long reserve() {
        long now = clock.nanoTime();
        long start = now;
        if (paused && pausedUntil - start > 0) {
            start = pausedUntil;
        }
        if (intervalNanos > 0) {
            if (nextSlot - start > 0) {
                start = nextSlot;
            }
            nextSlot = start + intervalNanos;
        }
        return start - now;
    }

    /** Records a throttling answer: holds every request until the pause is over. */
    synchronized void throttled(Duration retryAfter) {
        throttles.incrementAndGet();
        consecutive = Math.min(consecutive + 1, 20);
        long backoff = Math.min(FIRST_BACKOFF.toNanos() << (consecutive - 1), MAX_BACKOFF.toNanos());
        backoff = backoff / 2 + ThreadLocalRandom.current().nextLong(backoff / 2 + 1);
        long pause = backoff;
        if (retryAfter != null && !retryAfter.isNegative()) {
            pause = Math.max(pause, Math.min(retryAfter.toNanos(), MAX_RETRY_AFTER.toNanos()));
        }
        long until = clock.nanoTime() + pause;
        if (!paused || until - pausedUntil > 0) {
            pausedUntil = until;
            paused = true;
        }
    }

    /** Records a successful answer: the next throttle starts with the shortest backoff again. */
    synchronized void succeeded() {
        consecutive = 0;
    }

    /**
     * Records an answer of the endpoint: a throttling one (503, 429, or an error with Retry-After) pauses every
     * request, any other below 500 resets the backoff.
     */
    void answered(int status, Duration retryAfter) {
        outage.answered();
        if (status == 503 || status == 429 || retryAfter != null && status >= 400) {
            throttled(retryAfter);
        } else if (status < 500) {
            succeeded();
        }
    }

    /** Puts the gate in front of every request of one SDK client. */
    ExecutionInterceptor interceptor() {
        return new ExecutionInterceptor() {
            @Override
            public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
                acquire();
            }

            @Override
            public void afterTransmission(Context.AfterTransmission context, ExecutionAttributes attributes) {
                answered(context.httpResponse().statusCode(),
                        S3Errors.retryAfter(context.httpResponse()).orElse(null));
            }
        };
    }
}
