package dev.caravan.examples.cloud;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.core.util.BinaryData;
import com.azure.storage.blob.options.BlobParallelUploadOptions;
import dev.caravan.api.journal.RunOutcome;
import dev.caravan.api.verify.VerificationReport;
import dev.caravan.core.engine.EngineSettings;
import dev.caravan.core.engine.MigrationEngine;
import dev.caravan.core.engine.ProgressListener;
import dev.caravan.core.plan.MigrationSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/**
 * An object another tool rewrote with other bytes of the same size, keeping the metadata Caravan stored with it (as
 * a script that downloads, edits and uploads an object with its metadata does): its stored SHA-256 no longer
 * describes its bytes. {@code caravan verify} used to compare that stale digest with the source's and report a
 * match (exit 0); now the store tells the digest is stale from the object's own MD5 (S3's ETag, Azure's
 * Content-MD5) and the verification reads the bytes.
 */
class StaleDigestIT {
    @TempDir
    Path tmp;
    private static S3Client s3;
    private static String bucket;

    @BeforeAll
    static void setUp() {
        s3 = CloudServers.s3();
        bucket = CloudServers.freshName("stale");
    }

    @AfterAll
    static void tearDown() {
        CloudServers.deleteBucket(s3, bucket);
        s3.close();
    }

    @Test
    void verifyFindsABlobRewrittenWithItsOldMetadata() throws IOException {
        Path source = Files.createDirectories(tmp.resolve("source"));
        String bytes = UUID.randomUUID().toString();
        Files.writeString(source.resolve("a.txt"), bytes);
        var container = CloudServers.azure().getBlobContainerClient(CloudServers.freshName("stale"));
        MigrationSpec spec = MigrationSpec.builder("local:" + source, "azblob:" + container.getBlobContainerName())
                .targetOptions(Map.of("connectionString", CloudServers.AZURE_CONNECTION_STRING, "createContainer",
                        "true")).build();
        try (MigrationEngine engine = MigrationEngine.open(EngineSettings.defaults().withHome(tmp.resolve("home")))) {
            assertThat(engine.run(spec, ProgressListener.NONE).outcome()).isEqualTo(RunOutcome.COMPLETE);
            var blob = container.getBlobClient("a.txt");
            Map<String, String> kept = blob.getProperties().getMetadata();
            assertThat(kept).containsKey("caravansha256");
            blob.uploadWithResponse(new BlobParallelUploadOptions(BinaryData.fromString(new StringBuilder(bytes)
                    .reverse().toString())).setMetadata(kept), null, null); // Put Blob: a new Content-MD5

            VerificationReport report = engine.verify(spec);

            assertThat(report.clean()).as("a rewritten blob with a stale digest").isFalse();
            assertThat(report.problems()).singleElement().asString().contains("a.txt");
        } finally {
            container.deleteIfExists();
        }
    }

    @Test
    void verifyFindsAnS3ObjectRewrittenWithItsOldMetadata() throws IOException {
        Path source = Files.createDirectories(tmp.resolve("source"));
        String bytes = UUID.randomUUID().toString();
        Files.writeString(source.resolve("a.txt"), bytes);
        MigrationSpec spec = MigrationSpec.builder("local:" + source, "s3:" + bucket + "/s3")
                .targetOptions(CloudServers.s3Options(CloudServers.S3_ENDPOINT, "createBucket", "true")).build();
        try (MigrationEngine engine = MigrationEngine.open(EngineSettings.defaults().withHome(tmp.resolve("home")))) {
            assertThat(engine.run(spec, ProgressListener.NONE).outcome()).isEqualTo(RunOutcome.COMPLETE);
            HeadObjectResponse kept = s3.headObject(r -> r.bucket(bucket).key("s3/a.txt"));
            assertThat(kept.metadata()).containsKey("caravan-sha256");
            s3.putObject(r -> r.bucket(bucket).key("s3/a.txt").metadata(kept.metadata())
                    .contentType(kept.contentType()), RequestBody.fromBytes(new StringBuilder(bytes).reverse()
                            .toString().getBytes(StandardCharsets.UTF_8)));

            VerificationReport report = engine.verify(spec);

            assertThat(report.clean()).as("a rewritten object with a stale digest").isFalse();
            assertThat(report.problems()).singleElement().asString().contains("a.txt");
        }
    }
}
