package dev.caravan.connector.s3;

import static dev.caravan.testkit.contract.ContractSupport.assertSameBytes;
import static dev.caravan.testkit.contract.ContractSupport.randomBytes;
import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import dev.caravan.api.store.ByteRange;
import dev.caravan.api.store.ObjectInfo;
import dev.caravan.api.store.PutRequest;
import dev.caravan.testkit.http.FaultyProxy;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Faults between the store and S3Proxy, injected by {@link FaultyProxy}: about one request in twelve is answered
 * {@code 503 SlowDown} with {@code Retry-After: 1} (and the very first one), another one in twelve loses its
 * connection. With the SDK's own
 * retries off, every failure must reach the caller as TRANSIENT (with the server's retry-after for the 503s), the
 * endpoint's gate must hold the following requests for the retry-after, and retrying each operation as the engine
 * does must end with exactly the objects written, byte for byte.
 */
class S3FaultInjectionIT {
    private static final int MIB = 1 << 20;
    private static S3Client raw;

    @BeforeAll
    static void client() {
        raw = S3It.rawClient();
    }

    @AfterAll
    static void closeClient() {
        raw.close();
    }

    private int slowDownsSeen;
    private int connectionFailuresSeen;

    @Test
    @Timeout(180)
    void failuresAreTransientThrottlesAreHonouredAndNoDataIsDamaged() throws IOException {
        String bucket = S3It.newBucket("faults");
        raw.createBucket(r -> r.bucket(bucket));
        URI upstream = URI.create(S3It.endpoint());
        SplittableRandom random = new SplittableRandom(20261126);
        try (FaultyProxy proxy = new FaultyProxy(upstream.getHost(), upstream.getPort(), n -> {
            int dice;
            synchronized (random) {
                dice = random.nextInt(100);
            }
            return n <= 1 ? FaultyProxy.Fault.SLOW_DOWN // the very first request is throttled
                    : dice < 8 ? FaultyProxy.Fault.SLOW_DOWN : dice < 16 ? FaultyProxy.Fault.DROP
                    : FaultyProxy.Fault.FORWARD;
        })) {
            S3ObjectStore store = retrying("open", () -> S3It.open(bucket + "/faulty", "endpoint", proxy.endpoint(),
                    "sdkRetries", "0", "partSize", "5M", "createBucket", "false", "listMetadata", "false"));
            Map<String, byte[]> written = new LinkedHashMap<>();
            try {
                for (int i = 0; i < 10; i++) {
                    byte[] data = randomBytes(1000 + i * 37_000, 100 + i);
                    String key = "obj/" + i;
                    retrying("put " + key, () -> store.put(key, new ByteArrayInputStream(data),
                            PutRequest.ofSize(data.length)));
                    written.put(key, data);
                }
                byte[] large = randomBytes(7 * MIB, 200); // two parts
                retrying("multipart put", () -> store.put("obj/large", new ByteArrayInputStream(large),
                        PutRequest.ofSize(-1)));
                written.put("obj/large", large);

                List<String> listed = retrying("list", () -> {
                    try (Stream<ObjectInfo> s = store.list("")) {
                        return s.map(ObjectInfo::key).toList();
                    }
                });
                assertThat(listed).containsExactlyInAnyOrderElementsOf(written.keySet());
                for (Map.Entry<String, byte[]> e : written.entrySet()) {
                    ObjectInfo info = retrying("stat", () -> store.stat(e.getKey()).orElseThrow());
                    assertThat(info.size()).isEqualTo(e.getValue().length);
                    byte[] back = retrying("read " + e.getKey(), () -> readAll(store, e.getKey()));
                    assertSameBytes(back, e.getValue(), e.getKey() + " through the faulty proxy");
                }
                assertThat(store.gate().throttles()).as("throttling answers seen by the endpoint's gate")
                        .isGreaterThanOrEqualTo(slowDownsSeen);
                assertThat(store.gate().longestWait()).as("requests held after a 503 with Retry-After: 1")
                        .isBetween(Duration.ofMillis(900), EndpointGate.MAX_BACKOFF.plusSeconds(1));
            } finally {
                store.close();
            }
            assertThat(slowDownsSeen).as("503 SlowDown failures surfaced").isGreaterThan(0);
            assertThat(connectionFailuresSeen).as("dropped connections surfaced").isGreaterThan(0);
            assertThat(proxy.slowDowns()).isGreaterThanOrEqualTo(slowDownsSeen);
        }
        // seen directly on S3Proxy: exactly the objects written, nothing duplicated or left half-done
        assertThat(S3It.allKeys(raw, bucket)).containsExactlyInAnyOrderElementsOf(
                List.of("faulty/obj/0", "faulty/obj/1", "faulty/obj/2", "faulty/obj/3", "faulty/obj/4", "faulty/obj/5",
                        "faulty/obj/6", "faulty/obj/7", "faulty/obj/8", "faulty/obj/9", "faulty/obj/large"));
        S3It.deleteBucket(raw, bucket);
    }

    /** Retries an operation on TRANSIENT failures as the engine would, classifying each failure. */
    private <T> T retrying(String what, Supplier<T> op) {
        for (int attempt = 1; ; attempt++) {
            try {
                return op.get();
            } catch (MigrationException e) {
                assertThat(e.kind()).as("%s failed with '%s'", what, e.getMessage()).isEqualTo(ErrorKind.TRANSIENT);
                // a HEAD's 503 has no body to carry the code SlowDown: its status and Retry-After tell
                if (e.getMessage().contains("SlowDown") || e.getMessage().contains("HTTP 503")) {
                    assertThat(e.retryAfter()).as("retry-after of '%s'", e.getMessage())
                            .contains(Duration.ofSeconds(1));
                    slowDownsSeen++;
                } else {
                    assertThat(e.getMessage()).as("a non-throttling failure is a connection problem")
                            .contains("connection problem");
                    connectionFailuresSeen++;
                }
                assertThat(attempt).as("attempts for %s", what).isLessThan(25);
            }
        }
    }

    private static byte[] readAll(S3ObjectStore store, String key) {
        try (InputStream in = store.open(key, ByteRange.ALL)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw MigrationException.transientError("reading " + key + ": " + e.getMessage(), e);
        } catch (UncheckedIOException e) {
            throw MigrationException.transientError("reading " + key + ": " + e.getMessage(), e);
        }
    }
}
