package dev.caravan.connector.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.caravan.api.store.ObjectStore;
import dev.caravan.testkit.contract.ObjectStoreContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Runs the {@link ObjectStoreContract} against S3Mock (scripts/servers/s3mock.sh start), the second S3 server of the
 * tests (the one with object tagging), as {@link S3ObjectStoreIT} does against S3Proxy: a fresh bucket per test, the
 * store rooted at {@code root/} in it. S3Mock's HEAD sends no tag count, so the store reads every object's tags
 * ({@code tagCountHeader=false}).
 */
class S3MockObjectStoreIT extends ObjectStoreContract {
    private static S3Client raw;
    private String bucket;

    @BeforeAll
    static void client() {
        raw = S3It.rawClient(S3It.s3MockEndpoint());
        try {
            raw.listBuckets();
        } catch (SdkClientException e) {
            fail("S3Mock does not answer at " + S3It.s3MockEndpoint() + " (" + e.getMessage() + "): start it with "
                    + "scripts/servers/s3mock.sh start, or point CARAVAN_IT_S3MOCK_ENDPOINT at one");
        }
    }

    @AfterAll
    static void closeClient() {
        raw.close();
    }

    @Override
    protected ObjectStore newStore() {
        bucket = S3It.newBucket("contract-s3mock");
        raw.createBucket(r -> r.bucket(bucket));
        return S3It.openLazily(bucket + "/root", "endpoint", S3It.s3MockEndpoint(), "tagCountHeader", "false");
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
