package dev.caravan.connector.azureblob;

import static dev.caravan.testkit.contract.ContractSupport.assertFailsWith;
import static dev.caravan.testkit.contract.ContractSupport.assertSameBytes;
import static dev.caravan.testkit.contract.ContractSupport.keys;
import static dev.caravan.testkit.contract.ContractSupport.read;
import static org.assertj.core.api.Assertions.assertThat;

import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.models.AccessTier;
import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import dev.caravan.api.store.ArchivedObjects;
import dev.caravan.api.store.ByteRange;
import dev.caravan.api.store.KeyNotes;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Blobs in the Archive access tier, against Azurite (which refuses to read them, as Azure does): they are listed, the
 * store notes them for the plan, and reading one fails that object alone (USER_DATA) saying to rehydrate it.
 */
class AzureArchiveTierIT {
    private BlobContainerClient container;
    private AzureBlobObjectStore store;

    @BeforeEach
    void open() {
        container = Azurite.newContainer("tiers");
        store = Azurite.open(container.getBlobContainerName() + "/data/", Azurite.options());
    }

    @AfterEach
    void close() {
        store.close();
        Azurite.deleteQuietly(container);
    }

    @Test
    void archivedBlobsAreListedNotedAndRefuseToBeReadSayingToRehydrateThem() {
        container.getBlobClient("data/hot.txt").upload(BinaryData.fromString("hot"), true);
        container.getBlobClient("data/old/cold.txt").upload(BinaryData.fromString("cold"), true);
        container.getBlobClient("data/old/cold.txt").setAccessTier(AccessTier.ARCHIVE);

        assertThat(keys(store, "")).containsExactly("hot.txt", "old/cold.txt");
        KeyNotes archived = store.capability(ArchivedObjects.class).orElseThrow().archived();
        assertThat(archived.count()).isEqualTo(1);
        assertThat(archived.shown()).containsExactly("'old/cold.txt' (access tier Archive)");
        assertThat(archived.hints()).singleElement().asString().startsWith("rehydrate them to the Hot or Cool tier");

        assertSameBytes(read(store, "hot.txt", ByteRange.ALL), "hot".getBytes(StandardCharsets.UTF_8), "hot.txt");
        MigrationException refused = assertFailsWith(ErrorKind.USER_DATA, "reading an archived blob",
                () -> read(store, "old/cold.txt", ByteRange.ALL));
        assertThat(refused).hasMessageContaining("'old/cold.txt'")
                .hasMessageContaining("the blob is in the Archive access tier: rehydrate it to Hot or Cool first")
                .hasMessageNotContaining("<?xml");
    }
}
