package dev.caravan.connector.azureblob;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.core.util.BinaryData;
import com.azure.storage.blob.models.BlobItem;
import dev.caravan.api.store.ObjectStore;
import java.util.Map;

/**
 * The contract again, on a store rooted at a prefix of a container that also holds a blob outside it, and with
 * tiny blocks: every put above 100 KiB (and the unknown-size put of the suite) goes through staged blocks.
 */
class AzureBlobPrefixedStoreIT extends AzureBlobObjectStoreIT {
    private static final String PREFIX = "inside/the root";
    private static final String OUTSIDE = "outside/decoy";

    @Override
    protected Map<String, String> options() {
        return Azurite.options("blockSize", "64k", "singleUploadThreshold", "100k", "uploadConcurrency", "3");
    }

    @Override
    protected String location() {
        return container.getBlobContainerName() + "/" + PREFIX + "/";
    }

    @Override
    protected ObjectStore newStore() {
        ObjectStore store = super.newStore();
        container.getBlobClient(OUTSIDE).upload(BinaryData.fromString("decoy"));
        container.getBlobClient("inside/the roots-sibling").upload(BinaryData.fromString("sibling"));
        return store;
    }

    @Override
    protected void assertNothingWrittenOutside() {
        for (BlobItem item : container.listBlobs()) {
            String name = item.getName();
            assertThat(name.startsWith(PREFIX + "/") || name.equals(OUTSIDE) || name.equals("inside/the roots-sibling"))
                    .as("blob %s written outside the root %s", name, PREFIX).isTrue();
        }
        assertThat(container.getBlobClient(OUTSIDE).downloadContent().toString()).isEqualTo("decoy");
    }
}
