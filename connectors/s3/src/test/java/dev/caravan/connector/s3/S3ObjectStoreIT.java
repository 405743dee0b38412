package dev.caravan.connector.s3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.api.store.ObjectStore;
import dev.caravan.testkit.contract.ObjectStoreContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Runs the {@link ObjectStoreContract} against S3Proxy (scripts/servers/s3proxy.sh start): each test gets a fresh
 * bucket, and the store is rooted at the prefix {@code root/} in it so that writes outside the root would show.
 */
class S3ObjectStoreIT extends ObjectStoreContract {
    private static S3Client raw;
    private String bucket;

    @BeforeAll
    static void client() {
        raw = S3It.rawClient();
    }

    @AfterAll
    static void closeClient() {
        raw.close();
    }

    @Override
    protected ObjectStore newStore() {
        bucket = S3It.newBucket("contract");
        return S3It.open(bucket + "/root");
    }

    /**
     * S3 holds {@code a} beside {@code a/b}, but S3Proxy's file-system backend keeps keys as files and answers 500 to
     * the second put; Azurite shows an object store holding both (AzureBlobObjectStoreIT).
     */
    @Override
    protected boolean holdsAFileAndAFolderOfOneName() {
        return false;
    }

    @Override
    protected void assertNothingWrittenOutside() {
        assertThat(S3It.allKeys(raw, bucket)).as("keys written outside the store's prefix root/")
                .allMatch(k -> k.startsWith("root/"));
    }

    @AfterEach
    void dropBucket() {
        S3It.deleteBucket(raw, bucket);
    }
}
