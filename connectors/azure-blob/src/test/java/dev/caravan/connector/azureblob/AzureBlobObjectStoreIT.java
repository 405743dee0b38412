package dev.caravan.connector.azureblob;

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

    @AfterEach
    void deleteContainer() {
        Azurite.deleteQuietly(container);
    }
}
