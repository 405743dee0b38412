package dev.caravan.connector.s3;

import static dev.caravan.testkit.contract.ContractSupport.keys;
import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.api.store.ArchivedObjects;
import dev.caravan.api.store.KeyNotes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.StorageClass;

/**
 * Objects of an archive storage class, against S3Proxy: listed like the others and noted by the store, so that a
 * plan names them before their copies fail (S3Proxy keeps GLACIER as DEEP_ARCHIVE and still serves the bytes; the
 * refusal of a real S3, InvalidObjectState, is classified in {@code S3ErrorsTest}).
 */
class S3ArchivedObjectsIT {
    private final String bucket = S3It.newBucket("archived");
    private S3Client raw;

    @BeforeEach
    void setUp() {
        raw = S3It.rawClient();
        raw.createBucket(r -> r.bucket(bucket));
        raw.putObject(r -> r.bucket(bucket).key("data/warm.bin"), RequestBody.fromString("warm"));
        raw.putObject(r -> r.bucket(bucket).key("data/ia.bin").storageClass(StorageClass.STANDARD_IA),
                RequestBody.fromString("infrequent"));
        raw.putObject(r -> r.bucket(bucket).key("data/old/cold.bin").storageClass(StorageClass.GLACIER),
                RequestBody.fromString("cold"));
    }

    @AfterEach
    void tearDown() {
        S3It.deleteBucket(raw, bucket);
        raw.close();
    }

    @Test
    void objectsOfAnArchiveClassAreListedAndNoted() {
        try (S3ObjectStore store = S3It.open(bucket + "/data")) {
            assertThat(keys(store, "")).containsExactly("ia.bin", "old/cold.bin", "warm.bin");
            KeyNotes archived = store.capability(ArchivedObjects.class).orElseThrow().archived();
            assertThat(archived.count()).isEqualTo(1);
            assertThat(archived.shown()).singleElement().asString()
                    .matches("'old/cold\\.bin' \\(storage class (GLACIER|DEEP_ARCHIVE)\\)");
            assertThat(archived.hints()).singleElement().asString().startsWith("restore them first");
        }
    }
}
