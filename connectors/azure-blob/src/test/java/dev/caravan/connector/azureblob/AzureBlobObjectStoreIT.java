package dev.caravan.connector.azureblob;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.storage.blob.BlobContainerClient;
import dev.caravan.api.store.ObjectStore;
import dev.caravan.testkit.contract.ObjectStoreContract;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;

/** Runs the {@link ObjectStoreContract} against Azurite: a fresh container per test, the default options. */
class AzureBlobObjectStoreIT extends ObjectStoreContract {

    /** The container of the running test. */
    protected BlobContainerClient container;

    /** The option values of the store under test; subclasses vary them. */
    protected Map<String, String> options() {
        return Azurite.options();
    }

    /** The location after {@code azblob:}; subclasses add a prefix. */
    protected String location() {
        return container.getBlobContainerName();
    }

    @Override
    protected ObjectStore newStore() {
        container = Azurite.newContainer("contract");
        return Azurite.open(location(), options());
    }

    @Override
    protected boolean holdsBackslashes() {
        return false; // the service stores a\b as a/b
    }

    @Override
    protected void assertNothingWrittenOutside() {
        assertThat(container.listBlobs().stream().map(b -> b.getName())).as("blobs written").isEmpty();
    }

    @AfterEach
    void deleteContainer() {
        Azurite.deleteQuietly(container);
    }
}
