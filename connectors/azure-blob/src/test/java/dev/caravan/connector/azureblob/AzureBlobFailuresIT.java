package dev.caravan.connector.azureblob;

import static dev.caravan.testkit.contract.ContractSupport.assertFailsWith;
import static dev.caravan.testkit.contract.ContractSupport.assertSameBytes;
import static dev.caravan.testkit.contract.ContractSupport.keys;
import static dev.caravan.testkit.contract.ContractSupport.read;
import static org.assertj.core.api.Assertions.assertThat;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.sas.BlobContainerSasPermission;
import com.azure.storage.blob.sas.BlobServiceSasSignatureValues;
import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import dev.caravan.api.store.ByteRange;
import dev.caravan.api.store.ObjectStore;
import dev.caravan.api.store.PutRequest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a user sees when the configuration is wrong, against Azurite: a wrong key or SAS, a missing container (and
 * {@code createContainer}), an endpoint where nothing listens. Also the two credential styles besides the
 * connection string, working.
 */
class AzureBlobFailuresIT {
    private static final String WRONG_KEY = "AAAA" + Azurite.KEY.substring(4);
    private BlobContainerClient container;

    @BeforeEach
    void open() {
        container = Azurite.newContainer("fail");
    }

    @AfterEach
    void close() {
        Azurite.deleteQuietly(container);
    }

    private static void put(ObjectStore store, String key, byte[] data) {
        store.put(key, new ByteArrayInputStream(data), PutRequest.ofSize(data.length));
    }

    @Test
    void aWrongAccountKeyIsUserConfigNamingAccountAndEndpoint() {
        try (ObjectStore store = Azurite.open(container.getBlobContainerName(), Map.of("account", Azurite.ACCOUNT,
                "accountKey", WRONG_KEY, "endpoint", Azurite.ENDPOINT))) {
            for (MigrationException e : new MigrationException[] {
                assertFailsWith(ErrorKind.USER_CONFIG, "list with a wrong key", () -> store.list("").close()),
                assertFailsWith(ErrorKind.USER_CONFIG, "put with a wrong key", () -> put(store, "k", new byte[3])),
                assertFailsWith(ErrorKind.USER_CONFIG, "stat with a wrong key", () -> store.stat("k")),
                assertFailsWith(ErrorKind.USER_CONFIG, "probe with a wrong key", () -> store.probeWrite("probe"))}) {
                assertThat(e.getMessage()).contains("Azure rejected the credentials for account devstoreaccount1 at "
                        + Azurite.ENDPOINT).doesNotContain(WRONG_KEY).doesNotContain(Azurite.KEY);
            }
        }
        assertThat(container.listBlobs().iterator().hasNext()).as("nothing written").isFalse();
    }

    /** The refusal of an expired SAS says when it expired; that of a SAS without a permission, which it has. */
    @Test
    void anExpiredOrTooWeakSasIsNamedInTheMessage() {
        String expired = container.generateSas(new BlobServiceSasSignatureValues(OffsetDateTime.now().minusHours(1),
                new BlobContainerSasPermission().setReadPermission(true).setListPermission(true))
                .setStartTime(OffsetDateTime.now().minusHours(2)));
        try (ObjectStore store = Azurite.open(container.getBlobContainerName(),
                Map.of("endpoint", Azurite.ENDPOINT, "sasToken", expired))) {
            MigrationException e = assertFailsWith(ErrorKind.USER_CONFIG, "list with an expired SAS",
                    () -> store.list("").close());
            assertThat(e.getMessage()).contains("the SAS expired at").doesNotContain(sig(expired));
        }
        String readOnly = container.generateSas(new BlobServiceSasSignatureValues(OffsetDateTime.now().plusHours(1),
                new BlobContainerSasPermission().setReadPermission(true).setListPermission(true)));
        try (ObjectStore store = Azurite.open(container.getBlobContainerName(),
                Map.of("endpoint", Azurite.ENDPOINT, "sasToken", readOnly))) {
            MigrationException e = assertFailsWith(ErrorKind.USER_CONFIG, "put with a read-only SAS",
                    () -> put(store, "k", new byte[1]));
            assertThat(e.getMessage()).contains("the SAS grants 'rl'", "a target also").doesNotContain(sig(readOnly));
        }
    }

    private static String sig(String sas) {
        return sas.replaceAll(".*sig=([^&]*).*", "$1");
    }

    @Test
    void aWrongOrTooWeakSasIsUserConfig() {
        String readOnly = container.generateSas(new BlobServiceSasSignatureValues(OffsetDateTime.now().plusHours(1),
                new BlobContainerSasPermission().setReadPermission(true).setListPermission(true)));
        try (ObjectStore store = Azurite.open(container.getBlobContainerName(),
                Map.of("endpoint", Azurite.ENDPOINT, "sasToken", readOnly))) {
            assertThat(keys(store, "")).isEmpty();
            assertFailsWith(ErrorKind.USER_CONFIG, "put with a read-only SAS", () -> put(store, "k", new byte[1]));
        }
        String forged = readOnly.replaceAll("sig=[^&]*", "sig=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA%3D");
        try (ObjectStore store = Azurite.open(container.getBlobContainerName(),
                Map.of("endpoint", Azurite.ENDPOINT, "sasToken", forged))) {
            assertFailsWith(ErrorKind.USER_CONFIG, "list with a forged SAS", () -> store.list("").close());
        }
    }

    @Test
    void accountKeyAndSasStylesWork() {
        String sas = container.generateSas(new BlobServiceSasSignatureValues(OffsetDateTime.now().plusHours(1),
                BlobContainerSasPermission.parse("racwdl")));
        for (Map<String, String> options : new Map[] {
            Map.of("account", Azurite.ACCOUNT, "accountKey", Azurite.KEY, "endpoint", Azurite.ENDPOINT),
            Map.of("endpoint", Azurite.ENDPOINT, "sasToken", "?" + sas)}) {
            try (ObjectStore store = Azurite.open(container.getBlobContainerName() + "/styles", options)) {
                put(store, "a/b", new byte[] {4, 5, 6});
                assertThat(keys(store, "")).containsExactly("a/b");
                assertSameBytes(read(store, "a/b", ByteRange.ALL), new byte[] {4, 5, 6}, "a/b");
                store.delete("a/b");
                assertThat(keys(store, "")).isEmpty();
            }
        }
    }

    @Test
    void aMissingContainerIsAConfigurationErrorUnlessItWillBeCreated() {
        String name = Azurite.freshName("missing");
        try (ObjectStore store = Azurite.open(name + "/p", Azurite.options())) {
            // without createContainer a plan must fail before anything is written, not see an empty target
            MigrationException list = assertFailsWith(ErrorKind.USER_CONFIG, "list of a missing container",
                    () -> store.list("").close());
            assertThat(list.getMessage()).contains("container '" + name + "' does not exist");
            MigrationException put = assertFailsWith(ErrorKind.USER_CONFIG, "put into a missing container",
                    () -> put(store, "k", new byte[1]));
            assertThat(put.getMessage()).contains("container '" + name + "' does not exist")
                    .contains("createContainer=true");
            assertFailsWith(ErrorKind.USER_CONFIG, "stat in a missing container", () -> store.stat("k"));
            assertFailsWith(ErrorKind.USER_CONFIG, "open in a missing container",
                    () -> store.open("k", ByteRange.ALL));
        }
        assertThat(Azurite.admin().getBlobContainerClient(name).exists()).isFalse();
    }

    @Test
    void createContainerCreatesItOnTheFirstWriteOnly() {
        BlobContainerClient created = Azurite.admin().getBlobContainerClient(Azurite.freshName("created"));
        try (ObjectStore store = Azurite.open(created.getBlobContainerName(),
                Azurite.options("createContainer", "true"))) {
            assertFailsWith(ErrorKind.NOT_FOUND, "list before any write", () -> store.list("").close());
            assertThat(store.stat("k")).isEmpty();
            assertThat(created.exists()).as("reading creates nothing").isFalse();
            put(store, "k", new byte[] {9});
            assertThat(created.exists()).isTrue();
            assertSameBytes(read(store, "k", ByteRange.ALL), new byte[] {9}, "k");
        } finally {
            Azurite.deleteQuietly(created);
        }
    }

    @Test
    void aClosedPortIsAClearUserConfigErrorFast() throws IOException {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        String endpoint = "http://127.0.0.1:" + port + "/" + Azurite.ACCOUNT;
        try (ObjectStore store = Azurite.open("box", Map.of("account", Azurite.ACCOUNT, "accountKey", Azurite.KEY,
                "endpoint", endpoint))) {
            long start = System.nanoTime();
            MigrationException e = assertFailsWith(ErrorKind.USER_CONFIG, "list on a closed port",
                    () -> store.list("").close());
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertThat(e.getMessage()).contains("cannot connect to " + endpoint).contains("connection refused");
            assertThat(took).as("fails fast").isLessThan(Duration.ofSeconds(5));
            assertFailsWith(ErrorKind.USER_CONFIG, "put on a closed port", () -> put(store, "k", new byte[1]));
            assertFailsWith(ErrorKind.USER_CONFIG, "probe on a closed port", () -> store.probeWrite("probe"));
        }
    }

    @Test
    void aServerThatNeverAnsweredIsAConfigurationProblemAfterOneTimeout() throws IOException {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            String endpoint = "http://127.0.0.1:" + silent.getLocalPort() + "/" + Azurite.ACCOUNT;
            try (ObjectStore store = Azurite.open("box", Map.of("account", Azurite.ACCOUNT, "accountKey",
                    Azurite.KEY, "endpoint", endpoint, "requestTimeout", "1s"))) {
                long start = System.nanoTime();
                // a hung service or a wrong address, said before anything is written (AzureStallIT: mid-run it is
                // an outage)
                assertFailsWith(ErrorKind.USER_CONFIG, "list on a server that accepts and never answers",
                        () -> store.list("").close());
                assertThat(Duration.ofNanos(System.nanoTime() - start)).as("gives up after one timeout")
                        .isLessThan(Duration.ofSeconds(5));
            }
        }
    }
}
