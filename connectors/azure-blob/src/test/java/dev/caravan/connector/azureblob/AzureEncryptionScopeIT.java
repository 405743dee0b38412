package dev.caravan.connector.azureblob;

import static dev.caravan.testkit.contract.ContractSupport.assertFailsWith;
import static dev.caravan.testkit.contract.ContractSupport.assertSameBytes;
import static dev.caravan.testkit.contract.ContractSupport.randomBytes;
import static dev.caravan.testkit.contract.ContractSupport.read;
import static org.assertj.core.api.Assertions.assertThat;

import com.azure.storage.blob.BlobContainerClient;
import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.store.ByteRange;
import dev.caravan.api.store.ObjectInfo;
import dev.caravan.api.store.PutRequest;
import dev.caravan.testkit.http.FaultyProxy;
import java.io.ByteArrayInputStream;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The option {@code encryptionScope}, looked at on the wire (a forwarding {@link FaultyProxy} in front of Azurite
 * records every request's head): every request that writes a blob names the scope (a single Put Blob, each Put
 * Block and the Put Block List of a staged put, the server-side Copy Blob From URL, Set Blob Metadata), reads do
 * not, a large blob is not copied by Copy Blob (which takes no scope: UNSUPPORTED, so the engine streams it), and a
 * store without the option sends no scope, so the container's default applies. Azurite takes the header without
 * encrypting anything itself, so the blobs are also read back byte for byte.
 */
class AzureEncryptionScopeIT {
    private static final String SCOPE = "caravan-scope-1";
    private BlobContainerClient container;
    private FaultyProxy proxy;

    @BeforeEach
    void setUp() throws Exception {
        container = Azurite.newContainer("scope");
        proxy = Azurite.forwardingProxy();
    }

    @AfterEach
    void tearDown() throws Exception {
        proxy.close();
        Azurite.deleteQuietly(container);
    }

    private AzureBlobObjectStore open(String prefix, String... extra) {
        Map<String, String> options = new java.util.HashMap<>(Map.of("account", Azurite.ACCOUNT, "accountKey",
                Azurite.KEY, "endpoint", proxy.endpoint() + "/" + Azurite.ACCOUNT, "singleUploadThreshold", "1M",
                "blockSize", "1M"));
        for (int i = 0; i < extra.length; i += 2) {
            options.put(extra[i], extra[i + 1]);
        }
        return Azurite.open(container.getBlobContainerName() + "/" + prefix, options);
    }

    @Test
    void everyWriteOfABlobNamesTheScopeAndNoReadDoes() {
        byte[] small = randomBytes(10_000, 1);
        byte[] staged = randomBytes(2_500_000, 2);
        try (AzureBlobObjectStore store = open("p", "encryptionScope", SCOPE)) {
            store.put("small.txt", new ByteArrayInputStream(small), PutRequest.ofSize(small.length));
            store.put("staged.bin", new ByteArrayInputStream(staged), PutRequest.ofSize(staged.length));
            ObjectInfo original = store.stat("small.txt").orElseThrow();
            new AzureBlobCopy(store, AzureBlobCopy.SYNC_COPY_LIMIT).copy(store, original, "sync-copy.txt");
            store.putMetadata("small.txt", Map.of("owner", "me")); // Set Blob Metadata encrypts the metadata too
            assertFailsWith(ErrorKind.UNSUPPORTED, "the polled copy (Copy Blob takes no scope): the engine streams",
                    () -> new AzureBlobCopy(store, 0).copy(store, original, "polled-copy.txt"));

            // the blob name as the SDK sends it: its slashes encoded
            String path = "/" + Azurite.ACCOUNT + "/" + container.getBlobContainerName() + "/p%2F";
            for (String write : List.of("PUT " + path + "small.txt ", "PUT " + path + "staged.bin?comp=block&",
                    "PUT " + path + "staged.bin?comp=blocklist", "PUT " + path + "sync-copy.txt ",
                    "PUT " + path + "small.txt?comp=metadata")) {
                assertThat(proxy.headersOf(write)).as(write).isNotEmpty()
                        .allSatisfy(head -> assertThat(head).contains("x-ms-encryption-scope: " + SCOPE));
            }
            assertThat(proxy.headersOf("PUT " + path + "staged.bin?comp=block&")).as("the blocks of staged.bin")
                    .hasSize(3);
            assertSameBytes(read(store, "small.txt", ByteRange.ALL), small, "small.txt");
            assertSameBytes(read(store, "staged.bin", ByteRange.ALL), staged, "staged.bin");
            assertSameBytes(read(store, "sync-copy.txt", ByteRange.ALL), small, "sync-copy.txt");
            assertThat(store.stat("polled-copy.txt")).isEmpty();
            assertThat(proxy.headersOf("GET " + path)).as("reads").isNotEmpty()
                    .allSatisfy(head -> assertThat(head).noneMatch(h -> h.startsWith("x-ms-encryption-scope")));
        }
    }

    @Test
    void withoutTheOptionNoScopeIsSent() {
        byte[] data = randomBytes(3_000, 3);
        try (AzureBlobObjectStore store = open("none")) {
            store.put("plain.txt", new ByteArrayInputStream(data), PutRequest.ofSize(data.length));
            assertSameBytes(read(store, "plain.txt", ByteRange.ALL), data, "plain.txt");
        }
        assertThat(proxy.headersOf("")).isNotEmpty().allSatisfy(head -> assertThat(head)
                .noneMatch(h -> h.startsWith("x-ms-encryption-scope")));
    }
}
