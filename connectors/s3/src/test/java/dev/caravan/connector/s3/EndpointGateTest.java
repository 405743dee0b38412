package dev.caravan.connector.s3;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.InterceptorContext;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;

/** The endpoint gate's arithmetic, on a clock the test moves (no sleeping). */
class EndpointGateTest {
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    /** A clock that only moves when told to; sleeping moves it. */
    private static final class FakeClock implements EndpointGate.Clock {
        long now = 1_000_000_000L;

        @Override
        public long nanoTime() {
            return now;
        }

        @Override
        public void sleepNanos(long nanos) {
            now += nanos;
        }
    }

    private final FakeClock clock = new FakeClock();
    private final EndpointGate gate = new EndpointGate("http://test", clock);

    @Test
    void anOpenGateLetsRequestsThrough() {
        assertThat(gate.reserve()).isZero();
        assertThat(gate.reserve()).isZero();
    }

    @Test
    void aRateLimitSpacesRequestsEvenly() {
        gate.limitTo(10);
        assertThat(gate.reserve()).isZero();
        assertThat(gate.reserve()).isEqualTo(100 * MS);
        assertThat(gate.reserve()).isEqualTo(200 * MS);
        clock.now += 1000 * MS;
        assertThat(gate.reserve()).as("an idle gate does not save up a burst").isZero();
        gate.limitTo(20);
        assertThat(gate.reserve()).as("the stricter limit stays").isEqualTo(100 * MS);
        gate.limitTo(0);
        assertThat(gate.reserve()).isEqualTo(200 * MS);
    }

    @Test
    void retryAfterHoldsEveryRequest() {
        gate.throttled(Duration.ofSeconds(2));
        assertThat(gate.reserve()).isEqualTo(2000 * MS);
        assertThat(gate.reserve()).as("another task waits just as long").isEqualTo(2000 * MS);
        clock.now += 1500 * MS;
        assertThat(gate.reserve()).isEqualTo(500 * MS);
        clock.now += 600 * MS;
        assertThat(gate.reserve()).isZero();
        assertThat(gate.throttles()).isEqualTo(1);
    }

    @Test
    void withoutRetryAfterTheBackoffDoublesUntilASuccess() {
        gate.throttled(null);
        assertThat(gate.reserve()).isBetween(100 * MS, 200 * MS);
        gate.throttled(null);
        assertThat(gate.reserve()).isBetween(200 * MS, 400 * MS);
        gate.throttled(null);
        assertThat(gate.reserve()).isBetween(400 * MS, 800 * MS);
        for (int i = 0; i < 20; i++) {
            gate.throttled(null);
        }
        assertThat(gate.reserve()).as("capped").isBetween(10_000 * MS, 20_000 * MS);
        clock.now += 30_000 * MS;
        gate.succeeded();
        gate.throttled(null);
        assertThat(gate.reserve()).as("back to the first step").isBetween(100 * MS, 200 * MS);
    }

    @Test
    void acquireWaitsOnTheClock() {
        gate.throttled(Duration.ofSeconds(1));
        long before = clock.now;
        gate.acquire();
        assertThat(clock.now - before).isEqualTo(1000 * MS);
        assertThat(gate.longestWait()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void theInterceptorFeedsTheGate() {
        ExecutionInterceptor interceptor = gate.interceptor();
        interceptor.afterTransmission(context(503, "4"), new ExecutionAttributes());
        assertThat(gate.throttles()).isEqualTo(1);
        assertThat(gate.reserve()).isEqualTo(4000 * MS);
        interceptor.afterTransmission(context(429, null), new ExecutionAttributes());
        assertThat(gate.throttles()).isEqualTo(2);
        interceptor.afterTransmission(context(404, null), new ExecutionAttributes());
        interceptor.afterTransmission(context(500, null), new ExecutionAttributes());
        assertThat(gate.throttles()).as("404 and 500 are not throttling").isEqualTo(2);
        long before = clock.now;
        interceptor.beforeTransmission(context(200, null), new ExecutionAttributes());
        assertThat(clock.now - before).as("the next request waited for the Retry-After").isEqualTo(4000 * MS);
    }

    @Test
    void oneGatePerEndpoint() {
        assertThat(EndpointGate.of("http://one.test", 0)).isSameAs(EndpointGate.of("http://one.test", 0))
                .isNotSameAs(EndpointGate.of("http://two.test", 0));
    }

    private static InterceptorContext context(int status, String retryAfter) {
        SdkHttpResponse.Builder response = SdkHttpResponse.builder().statusCode(status);
        if (retryAfter != null) {
            response.putHeader("Retry-After", retryAfter);
        }
        return InterceptorContext.builder().request(HeadObjectRequest.builder().bucket("b").key("k").build())
                .httpResponse(response.build()).build();
    }
}
