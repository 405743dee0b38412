package dev.caravan.connector.azureblob;

import static dev.caravan.testkit.contract.ContractSupport.assertSameBytes;
import static dev.caravan.testkit.contract.ContractSupport.randomBytes;
import static dev.caravan.testkit.contract.ContractSupport.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.storage.blob.BlobContainerClient;
import dev.caravan.api.error.EndpointOutage;
import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import dev.caravan.api.error.OutageException;
import dev.caravan.api.store.ByteRange;
import dev.caravan.api.store.PutRequest;
import dev.caravan.testkit.http.FaultyProxy;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Azurite behind a {@link FaultyProxy} that takes requests and never answers, as a hung or overloaded service does.
 * A store whose service never answered says so after one request timeout, as a configuration problem (before: the
 * SDK's second try doubled the wait, then "network failure", worth a retry); a service that answered and then stops
 * answering anything for the request timeout is an outage, retried apart from the object's retries, and the write
 * succeeds once it answers again.
 */
class AzureStallIT {
    private BlobContainerClient container;

    @BeforeEach
    void setUp() {
        container = Azurite.newContainer("stall");
    }

    @AfterEach
    void tearDown() {
        Azurite.deleteQuietly(container);
    }

    @Test
    @Timeout(60)
    void aServiceThatNeverAnswersIsSaidAfterOneRequestTimeout() throws Exception {
        URI upstream = URI.create(Azurite.ENDPOINT);
        try (FaultyProxy proxy = new FaultyProxy(upstream.getHost(), upstream.getPort(),
                n -> FaultyProxy.Fault.STALL);
                AzureBlobObjectStore store = open(proxy, "6s")) {
            long t0 = System.nanoTime();

            assertThatThrownBy(() -> store.list("").count())
                    .isInstanceOf(MigrationException.class)
                    .hasMessageContaining("the Azure endpoint " + proxy.endpoint() + "/" + Azurite.ACCOUNT
                            + " did not answer in time while")
                    .hasMessageContaining("(requestTimeout 6 s): is the service hung or overloaded")
                    .extracting(e -> ((MigrationException) e).kind()).isEqualTo(ErrorKind.USER_CONFIG);

            Duration took = Duration.ofNanos(System.nanoTime() - t0);
            // two tries would take 12 s and more; the margin is for the SDK's first use in a loaded JVM
            assertThat(took).as("one wait: the SDK's retry policy does not try again").isLessThan(Duration.ofMillis(
                    10_500)).isGreaterThan(Duration.ofMillis(5_900));
            assertThat(proxy.stalls()).isEqualTo(1);
        }
    }

    @Test
    @Timeout(120)
    void aServiceThatStopsAnsweringAfterItAnsweredIsAnOutageAndTheWriteSucceedsOnceItIsBack() throws Exception {
        URI upstream = URI.create(Azurite.ENDPOINT);
        AtomicBoolean hung = new AtomicBoolean();
        try (FaultyProxy proxy = new FaultyProxy(upstream.getHost(), upstream.getPort(),
                n -> hung.get() ? FaultyProxy.Fault.STALL : FaultyProxy.Fault.FORWARD);
                AzureBlobObjectStore store = open(proxy, "2s")) {
            byte[] before = randomBytes(10_000, 1);
            store.put("before", new ByteArrayInputStream(before), PutRequest.ofSize(before.length));

            hung.set(true);
            byte[] data = randomBytes(20_000, 2);
            MigrationException stalled = null;
            try {
                store.put("during", new ByteArrayInputStream(data), PutRequest.ofSize(data.length));
            } catch (MigrationException e) {
                stalled = e;
            }
            assertThat(stalled).as("the write met the hung service").isNotNull();
            assertThat(stalled.kind()).as(stalled.getMessage()).isEqualTo(ErrorKind.TRANSIENT);
            assertThat(OutageException.in(stalled)).as("an outage, waited out apart from the retries")
                    .hasValueSatisfying(o -> assertThat(o.silent()).isTrue());
            assertThat(stalled.getMessage()).contains("did not answer, nor any other request, within the read"
                    + " timeout (it last answered at ");
            assertThat(stalled.retryAfter()).contains(EndpointOutage.RETRY_AFTER);

            hung.set(false);
            store.put("during", new ByteArrayInputStream(data), PutRequest.ofSize(data.length));
            assertSameBytes(read(store, "before", ByteRange.ALL), before, "before");
            assertSameBytes(read(store, "during", ByteRange.ALL), data, "during");
        }
    }

    private AzureBlobObjectStore open(FaultyProxy proxy, String requestTimeout) {
        return Azurite.open(container.getBlobContainerName(), Map.of("account", Azurite.ACCOUNT, "accountKey",
                Azurite.KEY, "endpoint", proxy.endpoint() + "/" + Azurite.ACCOUNT, "requestTimeout", requestTimeout,
                "connectTimeout", "1s"));
    }
}
