package dev.caravan.connector.azureblob;

import static dev.caravan.testkit.contract.ContractSupport.assertSameBytes;
import static dev.caravan.testkit.contract.ContractSupport.randomBytes;
import static dev.caravan.testkit.contract.ContractSupport.read;
import static org.assertj.core.api.Assertions.assertThat;

import com.azure.storage.blob.BlobContainerClient;
import dev.caravan.api.error.EndpointOutage;
import dev.caravan.api.error.OutageException;
import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import dev.caravan.api.store.ByteRange;
import dev.caravan.api.store.PutRequest;
import dev.caravan.testkit.http.FaultyProxy;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Azurite goes away for a few seconds between two writes (a {@link FaultyProxy} in front of it stops listening, as a
 * restarting service refuses connections): the refused write is a transient failure with a retry-after, not "check
 * the endpoint option", and retried as the engine retries it, it succeeds once the service is back; every blob reads
 * back byte for byte. (How long a run waits out an outage before it stops is the engine's retry policy's, tested on
 * its own.)
 */
class AzureOutageIT {
    private BlobContainerClient container;
    private FaultyProxy proxy;

    @BeforeEach
    void setUp() throws Exception {
        container = Azurite.newContainer("outage");
        proxy = Azurite.forwardingProxy();
    }

    @AfterEach
    void tearDown() throws Exception {
        proxy.close();
        Azurite.deleteQuietly(container);
    }

    @Test
    @Timeout(120)
    void aWriteRefusedWhileTheServiceRestartsIsRetriedAfterAPauseAndSucceedsOnceItIsBack() throws Exception {
        Map<String, byte[]> written = new LinkedHashMap<>();
        try (AzureBlobObjectStore store = Azurite.open(container.getBlobContainerName() + "/p", Map.of("account",
                Azurite.ACCOUNT, "accountKey", Azurite.KEY, "endpoint", proxy.endpoint() + "/" + Azurite.ACCOUNT))) {
            for (int i = 0; i < 3; i++) {
                byte[] data = randomBytes(10_000 + i, i);
                store.put("before-" + i, new ByteArrayInputStream(data), PutRequest.ofSize(data.length));
                written.put("before-" + i, data);
            }
            proxy.refuseConnectionsFor(Duration.ofSeconds(6));
            byte[] data = randomBytes(30_000, 9);
            int refusals = 0;
            for (int attempt = 0; ; attempt++) {
                try {
                    store.put("during", new ByteArrayInputStream(data), PutRequest.ofSize(data.length));
                    break;
                } catch (MigrationException e) {
                    assertThat(e.kind()).as(e.getMessage()).isEqualTo(ErrorKind.TRANSIENT);
                    assertThat(e.getMessage()).contains("refused the connection (it last answered at ",
                            "restarting?");
                    assertThat(e.retryAfter()).contains(EndpointOutage.RETRY_AFTER);
                    assertThat(OutageException.in(e)).as("an outage, waited out apart from the retries").isPresent();
                    assertThat(attempt).as("attempts").isLessThan(5);
                    refusals++;
                    Thread.sleep(e.retryAfter().orElseThrow().toMillis());
                }
            }
            written.put("during", data);
            assertThat(refusals).as("the write met the outage").isPositive();
            for (Map.Entry<String, byte[]> e : written.entrySet()) {
                assertSameBytes(read(store, e.getKey(), ByteRange.ALL), e.getValue(), e.getKey());
            }
        }
    }
}
