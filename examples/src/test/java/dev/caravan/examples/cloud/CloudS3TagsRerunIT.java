package dev.caravan.examples.cloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.options.BlobParallelUploadOptions;
import dev.caravan.api.journal.RunOutcome;
import dev.caravan.core.engine.EngineSettings;
import dev.caravan.core.engine.MigrationEngine;
import dev.caravan.core.engine.ProgressListener;
import dev.caravan.core.engine.RunResult;
import dev.caravan.core.plan.Compare;
import dev.caravan.core.plan.MigrationSpec;
import dev.caravan.core.plan.PlanSummary;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.Tag;

/**
 * Reruns after a retag, on S3Mock (which has object tagging) and Azurite: a rerun with nothing changed copies nothing;
 * a source retagged since (PutObjectTagging, Set Blob Tags: bytes, ETag and time stay) is not seen by a default
 * ({@code size-mtime}) rerun, whose listings carry no tags; a rerun with {@code --compare checksum} sets the target's
 * tags in place (S3: PutObjectTagging; the target's ETag and LastModified stay, so the object was not rewritten) and
 * sends no byte; the run after it plans nothing.
 */
class CloudS3TagsRerunIT {
    private static final String KEY = CloudS3TagsIT.KEY;
    private static final byte[] BYTES = CloudS3TagsIT.BYTES;
    @RegisterExtension
    static final CloudScratch SCRATCH = new CloudScratch(CloudServers.s3Mock());
    private static final S3Client s3 = SCRATCH.s3();
    private static final BlobServiceClient azure = SCRATCH.azure();

    @TempDir
    Path home;

    @BeforeAll
    static void s3MockAnswers() {
        CloudS3TagsIT.requireS3Mock(s3);
    }

    private static String bucket() {
        String b = SCRATCH.bucketName("retag");
        s3.createBucket(r -> r.bucket(b));
        return b;
    }

    private static String container() {
        String c = SCRATCH.containerName("retag");
        azure.createBlobContainer(c);
        return c;
    }

    private static Map<String, String> azureOptions() {
        return Map.of("connectionString", CloudServers.AZURE_CONNECTION_STRING);
    }

    private static BlobClient blob(String container) {
        return azure.getBlobContainerClient(container).getBlobClient(KEY);
    }

    private static void putTagged(String bucket, Map<String, String> tags) {
        s3.putObject(r -> r.bucket(bucket).key(KEY), RequestBody.fromBytes(BYTES));
        retagS3(bucket, tags);
    }

    private static void retagS3(String bucket, Map<String, String> tags) {
        s3.putObjectTagging(r -> r.bucket(bucket).key(KEY).tagging(t -> t.tagSet(tags.entrySet().stream()
                .map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build()).toList())));
    }

    /** Waits into the next second after {@code t}, so that a rewrite would show in a LastModified of whole seconds. */
    private static void nextSecondAfter(Instant t) {
        await().atMost(Duration.ofSeconds(3)).until(() -> Instant.now().getEpochSecond() > t.getEpochSecond());
    }

    /** The migration with the default comparison ({@code size-mtime}). */
    private static MigrationSpec spec(String source, Map<String, String> sourceOptions, String target,
            Map<String, String> targetOptions) {
        return MigrationSpec.builder(source, target).sourceOptions(sourceOptions).targetOptions(targetOptions).build();
    }

    /**
     * The first copy of {@code spec}, a rerun that copies nothing, then after {@code retag} a default rerun that does
     * not see it, and a {@code --compare checksum} rerun that carries it as a tag update; the run after that plans
     * nothing.
     */
    private void retagIsCarriedByACompareChecksumRerun(MigrationSpec spec, Runnable retag) {
        MigrationSpec checksum = MigrationSpec.builder(spec.source(), spec.target())
                .sourceOptions(spec.sourceOptions()).targetOptions(spec.targetOptions()).compare(Compare.CHECKSUM)
                .build();
        try (MigrationEngine engine = MigrationEngine.open(EngineSettings.defaults().withHome(home))) {
            RunResult first = engine.run(spec, ProgressListener.NONE);
            assertThat(first.outcome()).as("errors %s", first.errors()).isEqualTo(RunOutcome.COMPLETE);
            assertThat(first.copied()).isEqualTo(1);
            RunResult unchanged = engine.run(spec, ProgressListener.NONE);
            assertThat(unchanged.copied()).as("a rerun with nothing changed").isZero();
            assertThat(unchanged.plan().metadataCount() + unchanged.plan().transferCount()).isZero();

            retag.run();
            PlanSummary byDefault = engine.plan(spec).summary();
            assertThat(byDefault.metadataCount() + byDefault.transferCount())
                    .as("a size-mtime rerun lists both sides and sees no retag").isZero();

            RunResult r = engine.run(checksum, ProgressListener.NONE);
            assertThat(r.outcome()).as("errors %s", r.errors()).isEqualTo(RunOutcome.COMPLETE);
            assertThat(r.plan().metadataCount()).isEqualTo(1);
            assertThat(r.plan().transferCount()).isZero();
            assertThat(r.copied()).isZero();
            assertThat(r.bytesCopied()).isZero();
            PlanSummary again = engine.plan(checksum).summary();
            assertThat(again.metadataCount() + again.transferCount()).as("the run after the update").isZero();
        }
    }

    @Test
    void s3ToS3() {
        String source = bucket();
        String target = bucket();
        putTagged(source, Map.of("team", "red", "stage", "raw"));
        MigrationSpec spec = spec("s3:" + source, CloudServers.s3MockOptions(), "s3:" + target,
                CloudServers.s3MockOptions());
        HeadObjectResponse[] before = new HeadObjectResponse[1];

        retagIsCarriedByACompareChecksumRerun(spec, () -> {
            assertThat(CloudS3TagsIT.s3Tags(s3, target, KEY)).isEqualTo(Map.of("team", "red", "stage", "raw"));
            before[0] = s3.headObject(r -> r.bucket(target).key(KEY));
            nextSecondAfter(before[0].lastModified());
            retagS3(source, Map.of("team", "blue"));
        });

        assertThat(CloudS3TagsIT.s3Tags(s3, target, KEY)).isEqualTo(Map.of("team", "blue"));
        HeadObjectResponse after = s3.headObject(r -> r.bucket(target).key(KEY));
        assertThat(after.eTag()).isEqualTo(before[0].eTag());
        assertThat(after.lastModified()).as("not rewritten").isEqualTo(before[0].lastModified());
        assertThat(s3.getObjectAsBytes(r -> r.bucket(target).key(KEY)).asByteArray()).isEqualTo(BYTES);
    }

    @Test
    void s3ToAzure() {
        String source = bucket();
        String target = container();
        putTagged(source, Map.of("team", "red"));
        MigrationSpec spec = spec("s3:" + source, CloudServers.s3MockOptions(), "azblob:" + target, azureOptions());
        String[] etag = new String[1];

        retagIsCarriedByACompareChecksumRerun(spec, () -> {
            assertThat(blob(target).getTags()).isEqualTo(Map.of("team", "red"));
            etag[0] = blob(target).getProperties().getETag();
            retagS3(source, Map.of("team", "blue", "stage", "final"));
        });

        assertThat(blob(target).getTags()).isEqualTo(Map.of("team", "blue", "stage", "final"));
        assertThat(blob(target).getProperties().getETag()).as("Set Blob Tags keeps the ETag").isEqualTo(etag[0]);
        assertThat(blob(target).downloadContent().toBytes()).isEqualTo(BYTES);
    }

    @Test
    void azureToS3() {
        String source = container();
        String target = bucket();
        blob(source).uploadWithResponse(new BlobParallelUploadOptions(BinaryData.fromBytes(BYTES))
                .setTags(Map.of("team", "red")), null, null);
        MigrationSpec spec = spec("azblob:" + source, azureOptions(), "s3:" + target, CloudServers.s3MockOptions());
        HeadObjectResponse[] before = new HeadObjectResponse[1];

        retagIsCarriedByACompareChecksumRerun(spec, () -> {
            assertThat(CloudS3TagsIT.s3Tags(s3, target, KEY)).isEqualTo(Map.of("team", "red"));
            before[0] = s3.headObject(r -> r.bucket(target).key(KEY));
            nextSecondAfter(before[0].lastModified());
            blob(source).setTags(new HashMap<>(Map.of("team", "blue")));
        });

        assertThat(CloudS3TagsIT.s3Tags(s3, target, KEY)).isEqualTo(Map.of("team", "blue"));
        HeadObjectResponse after = s3.headObject(r -> r.bucket(target).key(KEY));
        assertThat(after.eTag()).isEqualTo(before[0].eTag());
        assertThat(after.lastModified()).as("not rewritten").isEqualTo(before[0].lastModified());
        assertThat(s3.getObjectAsBytes(r -> r.bucket(target).key(KEY)).asByteArray()).isEqualTo(BYTES);
    }
}
