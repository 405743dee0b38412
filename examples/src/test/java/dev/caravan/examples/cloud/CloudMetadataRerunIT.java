package dev.caravan.examples.cloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.models.BlobHttpHeaders;
import com.azure.storage.blob.models.BlobProperties;
import com.azure.storage.blob.options.BlobParallelUploadOptions;
import dev.caravan.api.journal.RunOutcome;
import dev.caravan.core.engine.EngineSettings;
import dev.caravan.core.engine.MigrationEngine;
import dev.caravan.core.engine.ProgressListener;
import dev.caravan.core.engine.RunResult;
import dev.caravan.core.plan.MigrationSpec;
import dev.caravan.core.plan.PlanSummary;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.MetadataDirective;

/**
 * A content type and a user metadata value changed on the source after a copy (bytes unchanged) reach the target
 * with the next run, as a metadata update that sends no byte (S3: CopyObject onto itself; Azure: Set Blob Metadata
 * and HTTP Headers), on S3Proxy and Azurite: S3 -> Azure, Azure -> S3 and S3 -> S3; and so do retagged blobs
 * Azure -> Azure (Set Blob Tags). The run after it plans nothing. S3Proxy has no object tagging (its GetObjectTagging
 * answers 501), so S3 tags are not kept there; their update is tested on S3Mock by {@link CloudS3TagsRerunIT}.
 */
class CloudMetadataRerunIT {
    private static final String KEY = "docs/readme.txt";
    private static final byte[] BYTES = "the same bytes all along".getBytes(StandardCharsets.UTF_8);
    @RegisterExtension
    static final CloudScratch SCRATCH = new CloudScratch();
    private static final S3Client s3 = SCRATCH.s3();
    private static final BlobServiceClient azure = SCRATCH.azure();
    private final String owner = "owner-" + UUID.randomUUID();
    private final String newOwner = "owner-" + UUID.randomUUID();

    @TempDir
    Path home;

    private static String bucket() {
        String b = SCRATCH.bucketName("meta-rerun");
        s3.createBucket(r -> r.bucket(b));
        return b;
    }

    private static String container() {
        String c = SCRATCH.containerName("meta-rerun");
        azure.createBlobContainer(c);
        return c;
    }

    private static Map<String, String> s3Options() {
        return CloudServers.s3Options(CloudServers.S3_ENDPOINT);
    }

    private static Map<String, String> azureOptions() {
        return Map.of("connectionString", CloudServers.AZURE_CONNECTION_STRING);
    }

    private void putS3(String bucket, String type, String ownerValue) {
        s3.putObject(r -> r.bucket(bucket).key(KEY).contentType(type).metadata(Map.of("owner", ownerValue)),
                RequestBody.fromBytes(BYTES));
    }

    /**
     * What another tool does to change an S3 object's attributes: CopyObject onto itself with REPLACE, which keeps
     * the ETag of a single-part object; done in a later second than the object's last write, so its LastModified
     * (whole seconds in listings) tells the change, as it would between two runs.
     */
    private static void retypeS3(String bucket, String type, String ownerValue) {
        Instant written = s3.headObject(r -> r.bucket(bucket).key(KEY)).lastModified();
        await().atMost(Duration.ofSeconds(3)).until(() -> Instant.now().getEpochSecond() > written.getEpochSecond());
        s3.copyObject(r -> r.sourceBucket(bucket).sourceKey(KEY).destinationBucket(bucket).destinationKey(KEY)
                .metadataDirective(MetadataDirective.REPLACE).contentType(type).metadata(Map.of("owner", ownerValue)));
    }

    private BlobClient blob(String container) {
        return azure.getBlobContainerClient(container).getBlobClient(KEY);
    }

    /** A run that carries the changed attributes over and sends no byte; then a rerun that plans nothing. */
    private void rerunCarriesTheChange(MigrationSpec spec) {
        try (MigrationEngine engine = MigrationEngine.open(EngineSettings.defaults().withHome(home))) {
            RunResult r = engine.run(spec, ProgressListener.NONE);
            assertThat(r.outcome()).as("errors %s", r.errors()).isEqualTo(RunOutcome.COMPLETE);
            assertThat(r.plan().metadataCount()).isEqualTo(1);
            assertThat(r.plan().transferCount()).isZero();
            assertThat(r.copied()).isZero();
            assertThat(r.bytesCopied()).isZero();

            PlanSummary again = engine.plan(spec).summary();
            assertThat(again.metadataCount() + again.transferCount()).as("a second rerun").isZero();
            assertThat(again.sameCount()).isEqualTo(1);
        }
    }

    private void firstCopy(MigrationSpec spec) {
        try (MigrationEngine engine = MigrationEngine.open(EngineSettings.defaults().withHome(home))) {
            RunResult r = engine.run(spec, ProgressListener.NONE);
            assertThat(r.outcome()).as("errors %s", r.errors()).isEqualTo(RunOutcome.COMPLETE);
            assertThat(r.copied()).isEqualTo(1);
            PlanSummary again = engine.plan(spec).summary();
            assertThat(again.metadataCount() + again.transferCount()).as("a rerun with nothing changed").isZero();
        }
    }

    /** The object put in the S3 bucket {@code source} with its first attributes, and copied once to {@code target}. */
    private MigrationSpec firstCopyFromS3(String source, String target, Map<String, String> targetOptions) {
        putS3(source, "application/unknown", owner);
        MigrationSpec spec = MigrationSpec.builder("s3:" + source, target).sourceOptions(s3Options())
                .targetOptions(targetOptions).build();
        firstCopy(spec);
        return spec;
    }

    @Test
    void s3ToAzure() {
        String source = bucket();
        String target = container();
        MigrationSpec spec = firstCopyFromS3(source, "azblob:" + target, azureOptions());
        String etag = blob(target).getProperties().getETag();

        retypeS3(source, "text/plain", newOwner);
        rerunCarriesTheChange(spec);

        BlobProperties p = blob(target).getProperties();
        assertThat(p.getContentType()).isEqualTo("text/plain");
        assertThat(p.getMetadata()).containsEntry("owner", newOwner);
        assertThat(p.getETag()).isNotEqualTo(etag);
        assertThat(blob(target).downloadContent().toBytes()).isEqualTo(BYTES);
    }

    @Test
    void azureToS3() throws Exception {
        String source = container();
        String target = bucket();
        // with its Content-MD5, as Put Blob gives it, so the digests tell that the bytes are the same
        byte[] md5 = MessageDigest.getInstance("MD5").digest(BYTES);
        blob(source).uploadWithResponse(new BlobParallelUploadOptions(BinaryData.fromBytes(BYTES))
                .setHeaders(new BlobHttpHeaders().setContentType("application/unknown").setContentMd5(md5))
                .setMetadata(Map.of("owner", owner)), null, null);
        MigrationSpec spec = MigrationSpec.builder("azblob:" + source, "s3:" + target).sourceOptions(azureOptions())
                .targetOptions(s3Options()).build();
        firstCopy(spec);

        blob(source).setHttpHeaders(new BlobHttpHeaders().setContentType("text/plain").setContentMd5(md5));
        blob(source).setMetadata(new HashMap<>(Map.of("owner", newOwner)));
        rerunCarriesTheChange(spec);

        HeadObjectResponse h = s3.headObject(r -> r.bucket(target).key(KEY));
        assertThat(h.contentType()).isEqualTo("text/plain");
        assertThat(h.metadata()).containsEntry("owner", newOwner).containsKey("caravan-sha256");
        assertThat(s3.getObjectAsBytes(r -> r.bucket(target).key(KEY)).asByteArray()).isEqualTo(BYTES);
    }

    /**
     * Blob index tags changed on the source (Set Blob Tags leaves the blob's time and ETag) reach the target with
     * the next run: both listings carry the tags, so no request per blob finds the change.
     */
    @Test
    void azureToAzureRetagged() {
        String source = container();
        String target = container();
        blob(source).uploadWithResponse(new BlobParallelUploadOptions(BinaryData.fromBytes(BYTES))
                .setTags(Map.of("owner", owner)), null, null);
        MigrationSpec spec = MigrationSpec.builder("azblob:" + source, "azblob:" + target)
                .sourceOptions(azureOptions()).targetOptions(azureOptions()).build();
        firstCopy(spec);
        assertThat(blob(target).getTags()).isEqualTo(Map.of("owner", owner));

        blob(source).setTags(Map.of("owner", newOwner));
        rerunCarriesTheChange(spec);

        assertThat(blob(target).getTags()).isEqualTo(Map.of("owner", newOwner));
        assertThat(blob(target).downloadContent().toBytes()).isEqualTo(BYTES);
    }

    @Test
    void s3ToS3() {
        String source = bucket();
        String target = bucket();
        MigrationSpec spec = firstCopyFromS3(source, "s3:" + target, s3Options());

        retypeS3(source, "text/plain", newOwner);
        rerunCarriesTheChange(spec);

        HeadObjectResponse h = s3.headObject(r -> r.bucket(target).key(KEY));
        assertThat(h.contentType()).isEqualTo("text/plain");
        assertThat(h.metadata()).containsEntry("owner", newOwner);
        assertThat(s3.getObjectAsBytes(r -> r.bucket(target).key(KEY)).asByteArray()).isEqualTo(BYTES);
    }
}
