package dev.caravan.connector.s3;

import static dev.caravan.testkit.contract.ContractSupport.assertFailsWith;
import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import dev.caravan.api.store.PutRequest;
import dev.caravan.testkit.contract.ContractSupport;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;

/**
 * The mistakes `caravan plan` must report before anything is written: credentials S3 rejects, a bucket that does
 * not exist, an endpoint nothing listens on. Each is USER_CONFIG with a message that names what to fix, found when
 * the store is opened, and never echoes a secret.
 */
class S3PreflightIT {
    private static S3Client raw;

    @BeforeAll
    static void client() {
        raw = S3It.rawClient();
    }

    @AfterAll
    static void closeClient() {
        raw.close();
    }

    @Test
    void rejectedCredentials() {
        String bucket = S3It.newBucket("creds");
        raw.createBucket(r -> r.bucket(bucket));
        try {
            MigrationException e = assertFailsWith(ErrorKind.USER_CONFIG, "open with a wrong secret",
                    () -> S3It.open(bucket, "secretAccessKey", "not-the-secret-XYZ"));
            assertThat(e).hasMessageContaining("S3 rejected the credentials for bucket " + bucket + " at "
                    + S3It.endpoint()).hasMessageNotContaining("not-the-secret-XYZ");
            MigrationException unknownKey = assertFailsWith(ErrorKind.USER_CONFIG, "open with an unknown key",
                    () -> S3It.open(bucket, "accessKeyId", "nobody", "createBucket", "false"));
            assertThat(unknownKey).hasMessageContaining("S3 rejected the credentials for bucket " + bucket);
            assertThat(S3It.allKeys(raw, bucket)).isEmpty();
        } finally {
            S3It.deleteBucket(raw, bucket);
        }
    }

    @Test
    void missingBucket() {
        String bucket = S3It.newBucket("missing");
        MigrationException e = assertFailsWith(ErrorKind.USER_CONFIG, "open of a missing bucket",
                () -> S3It.open(bucket + "/some/prefix", "createBucket", "false"));
        assertThat(e).hasMessageContaining("bucket " + bucket + " does not exist at " + S3It.endpoint())
                .hasMessageContaining("createBucket=true");
        assertFailsWith(ErrorKind.NOT_FOUND, "the bucket was not created", () -> {
            try {
                raw.headBucket(r -> r.bucket(bucket));
            } catch (NoSuchBucketException gone) {
                throw MigrationException.notFound(gone.getMessage());
            }
        });
        // with createBucket=true the same location opens, empty, and reading it creates nothing (a plan or a dry run)
        try (S3ObjectStore store = S3It.openLazily(bucket + "/some/prefix")) {
            assertThat(ContractSupport.keys(store, "")).isEmpty();
            assertThat(store.listQuick("").toList()).isEmpty();
            assertThat(store.stat("a.txt")).isEmpty();
            assertThat(store.unfinished()).isEmpty();
            assertThat(bucketExists(bucket)).as("bucket created before the first write").isFalse();

            // the first write creates it
            store.put("a.txt", new ByteArrayInputStream("hello".getBytes(StandardCharsets.UTF_8)),
                    PutRequest.ofSize(5));
            assertThat(bucketExists(bucket)).isTrue();
            assertThat(ContractSupport.keys(store, "")).containsExactly("a.txt");
            assertThat(S3It.allKeys(raw, bucket)).containsExactly("some/prefix/a.txt");
        } finally {
            S3It.deleteBucket(raw, bucket);
        }
    }

    @Test
    void aMissingBucketMadeByAnotherWriterMeanwhileIsSeen() {
        String bucket = S3It.newBucket("meanwhile");
        try (S3ObjectStore store = S3It.openLazily(bucket)) {
            raw.createBucket(r -> r.bucket(bucket));
            raw.putObject(r -> r.bucket(bucket).key("b.txt"), RequestBody.fromString("by another"));
            assertThat(ContractSupport.keys(store, "")).containsExactly("b.txt");
        } finally {
            S3It.deleteBucket(raw, bucket);
        }
    }

    private static boolean bucketExists(String bucket) {
        try {
            raw.headBucket(r -> r.bucket(bucket));
            return true;
        } catch (NoSuchBucketException gone) {
            return false;
        }
    }

    @Test
    void unreachableEndpointFailsFastWithItsName() throws IOException {
        int closedPort;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = probe.getLocalPort();
        }
        String endpoint = "http://127.0.0.1:" + closedPort;
        long start = System.nanoTime();
        MigrationException e = assertFailsWith(ErrorKind.USER_CONFIG, "open against a closed port",
                () -> S3It.open("any-bucket", "endpoint", endpoint, "connectTimeout", "3s"));
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(e).hasMessageContaining("cannot reach the S3 endpoint " + endpoint)
                .hasMessageContaining("connection refused");
        assertThat(took).as("time to report an unreachable endpoint").isLessThan(Duration.ofSeconds(5));
    }
}
