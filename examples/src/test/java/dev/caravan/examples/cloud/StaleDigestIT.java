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
import java.util.function.Consumer;
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
        var container = CloudServers.azure().getBlobContainerClient(CloudServers.freshName("stale"));
        try {
            assertVerifyFindsTheRewrite("azblob:" + container.getBlobContainerName(), Map.of("connectionString",
                    CloudServers.AZURE_CONNECTION_STRING, "createContainer", "true"), rewritten -> {
                        var blob = container.getBlobClient("a.txt");
                        Map<String, String> kept = blob.getProperties().getMetadata();
                        assertThat(kept).containsKey("caravansha256");
                        blob.uploadWithResponse(new BlobParallelUploadOptions(BinaryData.fromString(rewritten))
                                .setMetadata(kept), null, null); // Put Blob: a new Content-MD5
                    }, "a rewritten blob with a stale digest");
        } finally {
            container.deleteIfExists();
        }
    }

    @Test
    void verifyFindsAnS3ObjectRewrittenWithItsOldMetadata() throws IOException {
        assertVerifyFindsTheRewrite("s3:" + bucket + "/s3", CloudServers.s3Options(CloudServers.S3_ENDPOINT,
                "createBucket", "true"), rewritten -> {
                    HeadObjectResponse kept = s3.headObject(r -> r.bucket(bucket).key("s3/a.txt"));
                    assertThat(kept.metadata()).containsKey("caravan-sha256");
                    s3.putObject(r -> r.bucket(bucket).key("s3/a.txt").metadata(kept.metadata())
                            .contentType(kept.contentType()), RequestBody.fromBytes(rewritten
                                    .getBytes(StandardCharsets.UTF_8)));
                }, "a rewritten object with a stale digest");
    }

    /**
     * Copies one file {@code a.txt} to {@code target}, has {@code rewrite} put other bytes of the same size in its
     * place (keeping the metadata Caravan stored), and checks that {@code verify} reports that object.
     */
    private void assertVerifyFindsTheRewrite(String target, Map<String, String> targetOptions,
            Consumer<String> rewrite, String rewriteDescription) throws IOException {
        Path source = Files.createDirectories(tmp.resolve("source"));
        String bytes = UUID.randomUUID().toString();
        Files.writeString(source.resolve("a.txt"), bytes);
        MigrationSpec spec = MigrationSpec.builder("local:" + source, target).targetOptions(targetOptions).build();
        try (MigrationEngine engine = MigrationEngine.open(EngineSettings.defaults().withHome(tmp.resolve("home")))) {
            assertThat(engine.run(spec, ProgressListener.NONE).outcome()).isEqualTo(RunOutcome.COMPLETE);
            rewrite.accept(new StringBuilder(bytes).reverse().toString());

            VerificationReport report = engine.verify(spec);

            assertThat(report.clean()).as(rewriteDescription).isFalse();
            assertThat(report.problems()).singleElement().asString().contains("a.txt");
        }
    }
}
