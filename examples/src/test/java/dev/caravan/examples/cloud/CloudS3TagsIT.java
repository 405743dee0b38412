package dev.caravan.examples.cloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.azure.storage.blob.BlobServiceClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.caravan.api.journal.RunOutcome;
import dev.caravan.core.engine.EngineSettings;
import dev.caravan.core.engine.MigrationEngine;
import dev.caravan.core.engine.ProgressListener;
import dev.caravan.core.engine.RunResult;
import dev.caravan.core.plan.MigrationSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Tag;
import software.amazon.awssdk.services.s3.model.Tagging;

/**
 * S3 object tags through real migrations on S3Mock (scripts/servers/s3mock.sh, which has object tagging; S3Proxy has
 * none), Azurite and the local file system: tags kept in a file's extended attributes ({@code caravan.tag.KEY}) reach
 * S3, S3 -> S3 (a server-side copy) keeps them, S3 -> Azure turns them into blob index tags and Azure -> S3 back;
 * the store's tagging probe finds tagging there, so nothing is reported as not kept; and what S3 or Azure cannot hold
 * of a source's tags is reported tag by tag while the rest is written. Every test reads the bytes back.
 *
 * <p>S3Mock quirks these tests keep clear of: its HEAD sends no {@code x-amz-tagging-count} (the stores are opened with
 * {@code tagCountHeader=false}), and it stores the {@code x-amz-tagging} header of a PUT or CopyObject without
 * URL-decoding it (a value {@code a b} is kept as {@code a%20b}; S3 decodes it), so the tag values here are made of
 * characters that need no encoding. S3Mock also ignores {@code x-amz-tagging-directive: REPLACE} on CopyObject (the
 * copy keeps the source's tags), so a server-side copy whose tags declared rules change is not tested here.
 */
class CloudS3TagsIT {
    static final String KEY = "docs/a.pdf";
    static final byte[] BYTES = "%PDF-1.7 tagged".getBytes(StandardCharsets.UTF_8);
    @RegisterExtension
    static final CloudScratch SCRATCH = new CloudScratch(CloudServers.s3Mock());
    private static final S3Client s3 = SCRATCH.s3();
    private static final BlobServiceClient azure = SCRATCH.azure();

    @TempDir
    Path home;

    @BeforeAll
    static void s3MockAnswers() {
        requireS3Mock(s3);
    }

    /** Fails (never skips) with how to start S3Mock when it does not answer. */
    static void requireS3Mock(S3Client client) {
        try {
            client.listBuckets();
        } catch (SdkClientException e) {
            fail("S3Mock does not answer at " + CloudServers.S3MOCK_ENDPOINT + " (" + e.getMessage() + "): start it "
                    + "with scripts/servers/s3mock.sh start, or point CARAVAN_IT_S3MOCK_ENDPOINT at one");
        }
    }

    /** The tags of an S3Mock object, read with GetObjectTagging. */
    static Map<String, String> s3Tags(S3Client client, String bucket, String key) {
        Map<String, String> out = new TreeMap<>();
        for (Tag t : client.getObjectTagging(r -> r.bucket(bucket).key(key)).tagSet()) {
            out.put(t.key(), t.value());
        }
        return out;
    }

    /** The {@code metadata} section of a run's JSON report: what was not carried over as it was. */
    static JsonNode metadataReport(RunResult r) throws IOException {
        return new ObjectMapper().readTree(r.reportJson().toFile()).get("metadata");
    }

    /** The report's items as "key attribute action" lines. */
    static List<String> reportLines(RunResult r) throws IOException {
        List<String> lines = new ArrayList<>();
        metadataReport(r).get("items").forEach(i -> lines.add(i.get("key").asText() + " "
                + i.get("attribute").asText() + " " + i.get("action").asText()));
        return lines;
    }

    private static Map<String, String> azureOptions() {
        return Map.of("connectionString", CloudServers.AZURE_CONNECTION_STRING, "createContainer", "true");
    }

    private String bucket(String hint) {
        String b = SCRATCH.bucketName(hint);
        s3.createBucket(r -> r.bucket(b));
        return b;
    }

    private String taggedObject(String hint, Map<String, String> tags) {
        String bucket = bucket(hint);
        Tagging tagging = Tagging.builder().tagSet(tags.entrySet().stream()
                .map(t -> Tag.builder().key(t.getKey()).value(t.getValue()).build()).toList()).build();
        s3.putObject(r -> r.bucket(bucket).key(KEY).contentType("application/pdf").tagging(tagging),
                RequestBody.fromBytes(BYTES));
        return bucket;
    }

    private Path localFile(Map<String, String> tags) throws IOException {
        Files.createDirectories(Path.of("target"));
        Path dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "s3tags");
        Path file = dir.resolve(KEY);
        Files.createDirectories(file.getParent());
        Files.write(file, BYTES);
        UserDefinedFileAttributeView view = Files.getFileAttributeView(file, UserDefinedFileAttributeView.class);
        for (Map.Entry<String, String> t : tags.entrySet()) {
            view.write("caravan.tag." + t.getKey(), StandardCharsets.UTF_8.encode(t.getValue()));
        }
        return dir;
    }

    private RunResult run(MigrationSpec spec) {
        try (MigrationEngine engine = MigrationEngine.open(EngineSettings.defaults().withHome(home))) {
            RunResult r = engine.run(spec, ProgressListener.NONE);
            assertThat(r.outcome()).as("errors %s", r.errors()).isEqualTo(RunOutcome.COMPLETE);
            assertThat(r.copied()).isEqualTo(1);
            return r;
        }
    }

    @Test
    void localTagsReachS3WithTheObject() throws IOException {
        Path dir = localFile(Map.of("team", "red", "project", "caravan-s3"));
        String bucket = SCRATCH.bucketName("from-local");

        RunResult r = run(MigrationSpec.builder("local:" + dir, "s3:" + bucket)
                .targetOptions(CloudServers.s3MockOptions("createBucket", "true")).build());

        assertThat(s3Tags(s3, bucket, KEY)).isEqualTo(Map.of("team", "red", "project", "caravan-s3"));
        assertThat(s3.getObjectAsBytes(q -> q.bucket(bucket).key(KEY)).asByteArray()).isEqualTo(BYTES);
        // the probe found tagging: no tag is reported as not kept
        assertThat(metadataReport(r).get("attributes").asLong()).isZero();
    }

    @Test
    void s3ToS3KeepsTheTagsInAServerSideCopy() throws IOException {
        String source = taggedObject("s2s-src", Map.of("team", "red", "stage", "raw"));
        String target = SCRATCH.bucketName("s2s-dst");

        RunResult r = run(MigrationSpec.builder("s3:" + source, "s3:" + target)
                .sourceOptions(CloudServers.s3MockOptions())
                .targetOptions(CloudServers.s3MockOptions("createBucket", "true")).build());

        assertThat(s3Tags(s3, target, KEY)).isEqualTo(Map.of("team", "red", "stage", "raw"));
        assertThat(s3.getObjectAsBytes(q -> q.bucket(target).key(KEY)).asByteArray()).isEqualTo(BYTES);
        assertThat(s3.headObject(q -> q.bucket(target).key(KEY)).contentType()).isEqualTo("application/pdf");
        assertThat(metadataReport(r).get("attributes").asLong()).isZero();
    }

    @Test
    void s3ToAzureAndBackKeepsTheTags() throws IOException {
        String source = taggedObject("az-src", Map.of("team", "red", "path", "2026.q1_b"));
        String container = SCRATCH.containerName("s3tags");
        String back = SCRATCH.bucketName("az-back");

        RunResult there = run(MigrationSpec.builder("s3:" + source, "azblob:" + container)
                .sourceOptions(CloudServers.s3MockOptions()).targetOptions(azureOptions()).build());
        var blob = azure.getBlobContainerClient(container).getBlobClient(KEY);
        assertThat(blob.getTags()).isEqualTo(Map.of("team", "red", "path", "2026.q1_b"));
        assertThat(blob.downloadContent().toBytes()).isEqualTo(BYTES);
        RunResult andBack = run(MigrationSpec.builder("azblob:" + container, "s3:" + back)
                .sourceOptions(azureOptions()).targetOptions(CloudServers.s3MockOptions("createBucket", "true"))
                .build());

        assertThat(s3Tags(s3, back, KEY)).isEqualTo(Map.of("team", "red", "path", "2026.q1_b"));
        assertThat(s3.getObjectAsBytes(q -> q.bucket(back).key(KEY)).asByteArray()).isEqualTo(BYTES);
        assertThat(metadataReport(there).get("attributes").asLong()).isZero();
        assertThat(metadataReport(andBack).get("attributes").asLong()).isZero();
    }

    @Test
    void tagsS3CannotHoldAreReportedOneByOneAndTheOthersAreWritten() throws IOException {
        Map<String, String> tags = new TreeMap<>();
        for (int i = 0; i < 11; i++) {
            tags.put("t" + i, "v" + i); // t0, t1, t10, t2 ... t9 in key order: t9 is the eleventh
        }
        tags.put("bang", "no!"); // '!' is not a character of S3 tags
        tags.put("long", "v".repeat(257));
        Path dir = localFile(tags);
        String bucket = SCRATCH.bucketName("too-many");

        RunResult r = run(MigrationSpec.builder("local:" + dir, "s3:" + bucket)
                .targetOptions(CloudServers.s3MockOptions("createBucket", "true")).build());

        assertThat(reportLines(r)).containsExactlyInAnyOrder(KEY + " tag.bang NOT_KEPT", KEY + " tag.long NOT_KEPT",
                KEY + " tag.t9 NOT_KEPT");
        Map<String, String> kept = new TreeMap<>(tags);
        kept.keySet().removeAll(List.of("bang", "long", "t9"));
        assertThat(s3Tags(s3, bucket, KEY)).isEqualTo(kept);
        assertThat(s3.getObjectAsBytes(q -> q.bucket(bucket).key(KEY)).asByteArray()).isEqualTo(BYTES);
    }

    @Test
    void s3TagsAzureCannotHoldAreReportedOneByOne() throws IOException {
        String source = taggedObject("az-limits", Map.of("team", "red", "owner", "ann@example.org",
                "city", "Z\u00fcrich"));
        String container = SCRATCH.containerName("s3tags-limits");

        RunResult r = run(MigrationSpec.builder("s3:" + source, "azblob:" + container)
                .sourceOptions(CloudServers.s3MockOptions()).targetOptions(azureOptions()).build());

        assertThat(reportLines(r)).containsExactlyInAnyOrder(KEY + " tag.city NOT_KEPT", KEY + " tag.owner NOT_KEPT");
        var blob = azure.getBlobContainerClient(container).getBlobClient(KEY);
        assertThat(blob.getTags()).isEqualTo(Map.of("team", "red"));
        assertThat(blob.downloadContent().toBytes()).isEqualTo(BYTES);
    }
}
