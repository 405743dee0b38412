package dev.caravan.examples.cloud;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.models.BlobProperties;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.caravan.api.journal.RunOutcome;
import dev.caravan.api.vm.PreflightCheck;
import dev.caravan.core.engine.EngineSettings;
import dev.caravan.core.engine.MigrationEngine;
import dev.caravan.core.engine.ProgressListener;
import dev.caravan.core.engine.RunResult;
import dev.caravan.core.plan.MigrationSpec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/**
 * Metadata fidelity through real migrations on S3Proxy, Azurite and the local file system: content type, cache
 * control, content disposition and language, user metadata and the modification time survive S3 -> Azure -> S3 and
 * S3 -> local (extended attributes) -> S3; tags survive local -> Azure; and what a target cannot hold (tags on
 * S3Proxy, everything on a local target without extended attributes) is listed in the run's report, object by
 * object and attribute by attribute, while the run completes.
 */
class CloudMetadataIT {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00.123Z");
    private static final String KEY = "docs/a.pdf";
    private static final byte[] BYTES = "%PDF-1.7 not really".getBytes(StandardCharsets.UTF_8);
    @RegisterExtension
    static final CloudScratch SCRATCH = new CloudScratch();
    private static final S3Client s3 = SCRATCH.s3();
    private static final BlobServiceClient azure = SCRATCH.azure();

    @TempDir
    Path home;

    private static String bucket(String hint) {
        return SCRATCH.bucketName(hint);
    }

    private static String container(String hint) {
        return SCRATCH.containerName(hint);
    }

    private static Map<String, String> azureOptions(String... extra) {
        Map<String, String> o = new TreeMap<>(Map.of("connectionString", CloudServers.AZURE_CONNECTION_STRING,
                "createContainer", "true"));
        for (int i = 0; i + 1 < extra.length; i += 2) {
            o.put(extra[i], extra[i + 1]);
        }
        return o;
    }

    private static Map<String, String> s3Options() {
        return CloudServers.s3Options(CloudServers.S3_ENDPOINT, "createBucket", "true");
    }

    private RunResult run(MigrationSpec spec) {
        return runAll(spec, 1);
    }

    /** The source: one object with every attribute S3 has (S3Proxy has no tags), and a kept time. */
    private static String seededBucket() {
        String bucket = bucket("meta-src");
        s3.createBucket(r -> r.bucket(bucket));
        s3.putObject(r -> r.bucket(bucket).key(KEY).contentType("application/pdf").cacheControl("max-age=3600")
                .contentDisposition("attachment; filename=\"a.pdf\"").contentLanguage("de-CH")
                .metadata(Map.of("owner", "ann", "caravan-mtime", Long.toString(T0.toEpochMilli()))),
                RequestBody.fromBytes(BYTES));
        return bucket;
    }

    private static void assertSameAsSeed(String bucket) {
        HeadObjectResponse h = s3.headObject(r -> r.bucket(bucket).key(KEY));
        assertThat(h.contentType()).isEqualTo("application/pdf");
        assertThat(h.cacheControl()).isEqualTo("max-age=3600");
        assertThat(h.contentDisposition()).isEqualTo("attachment; filename=\"a.pdf\"");
        assertThat(h.contentLanguage()).isEqualTo("de-CH");
        assertThat(h.metadata()).containsEntry("owner", "ann")
                .containsEntry("caravan-mtime", Long.toString(T0.toEpochMilli()));
        assertThat(s3.getObjectAsBytes(r -> r.bucket(bucket).key(KEY)).asByteArray()).isEqualTo(BYTES);
    }

    private static JsonNode metadataReport(RunResult r) throws IOException {
        return new ObjectMapper().readTree(r.reportJson().toFile()).get("metadata");
    }

    private static String xattr(Path file, String name) throws IOException {
        UserDefinedFileAttributeView view = Files.getFileAttributeView(file, UserDefinedFileAttributeView.class);
        ByteBuffer b = ByteBuffer.allocate(view.size(name));
        view.read(name, b);
        return new String(b.array(), 0, b.position(), StandardCharsets.UTF_8);
    }

    @Test
    void s3ToAzureToS3KeepsTypeHeadersMetadataAndTime() throws IOException {
        String source = seededBucket();
        String container = container("meta-az");
        String back = bucket("meta-back");

        RunResult there = run(MigrationSpec.builder("s3:" + source, "azblob:" + container).sourceOptions(s3Options())
                .targetOptions(azureOptions()).build());
        BlobProperties p = azure.getBlobContainerClient(container).getBlobClient(KEY).getProperties();
        assertThat(p.getContentType()).isEqualTo("application/pdf");
        assertThat(p.getCacheControl()).isEqualTo("max-age=3600");
        assertThat(p.getContentDisposition()).isEqualTo("attachment; filename=\"a.pdf\"");
        assertThat(p.getContentLanguage()).isEqualTo("de-CH");
        assertThat(p.getMetadata()).containsEntry("owner", "ann");
        assertThat(Instant.parse(p.getMetadata().get("caravanmtime"))).isEqualTo(T0);
        RunResult andBack = run(MigrationSpec.builder("azblob:" + container, "s3:" + back)
                .sourceOptions(azureOptions()).targetOptions(s3Options()).build());

        assertSameAsSeed(back);
        assertThat(metadataReport(there).get("attributes").asLong()).isZero();
        assertThat(metadataReport(andBack).get("attributes").asLong()).isZero();
    }

    @Test
    void s3ToLocalKeepsThemInExtendedAttributesAndLocalToS3RestoresThem() throws IOException {
        String source = seededBucket();
        Files.createDirectories(Path.of("target"));
        Path dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "xattrs");
        String back = bucket("meta-local");

        run(MigrationSpec.builder("s3:" + source, "local:" + dir).sourceOptions(s3Options()).build());
        Path file = dir.resolve(KEY);
        assertThat(Files.readAllBytes(file)).isEqualTo(BYTES);
        assertThat(Files.getLastModifiedTime(file).toInstant()).isEqualTo(T0);
        // the name implies application/pdf: the local store reports it without keeping it
        assertThat(Files.getFileAttributeView(file, UserDefinedFileAttributeView.class).list())
                .doesNotContain("mime_type");
        assertThat(xattr(file, "owner")).isEqualTo("ann");
        assertThat(xattr(file, "caravan.cache-control")).isEqualTo("max-age=3600");
        assertThat(xattr(file, "caravan.content-disposition")).isEqualTo("attachment; filename=\"a.pdf\"");
        run(MigrationSpec.builder("local:" + dir, "s3:" + back).targetOptions(s3Options()).build());

        assertSameAsSeed(back);
    }

    @Test
    void localFilesReachS3AndAzureWithTheContentTypeTheirNamesImplyAndComeBackWithoutExtendedAttributes()
            throws IOException {
        Files.createDirectories(Path.of("target"));
        Path dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "guess");
        Map<String, String> expected = Map.of("site/index.html", "text/html", "site/data.JSON", "application/json",
                "site/img/logo.png", "image/png", "site/fonts/a.woff2", "font/woff2", "site/notes.html", "text/plain");
        for (String key : expected.keySet()) {
            Files.createDirectories(dir.resolve(key).getParent());
            Files.writeString(dir.resolve(key), "bytes of " + key);
        }
        Files.writeString(dir.resolve("site/LICENSE"), "no extension");
        Files.getFileAttributeView(dir.resolve("site/notes.html"), UserDefinedFileAttributeView.class)
                .write("mime_type", StandardCharsets.UTF_8.encode("text/plain")); // a kept type wins over the name
        String bucket = bucket("guess");
        String container = container("guess");
        Path back = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "guess-back");

        RunResult toS3 = runAll(MigrationSpec.builder("local:" + dir, "s3:" + bucket).targetOptions(s3Options())
                .build(), 6);
        runAll(MigrationSpec.builder("s3:" + bucket, "azblob:" + container).sourceOptions(s3Options())
                .targetOptions(azureOptions()).build(), 6);
        RunResult toLocal = runAll(MigrationSpec.builder("azblob:" + container, "local:" + back)
                .sourceOptions(azureOptions()).build(), 6);

        expected.forEach((key, type) -> {
            assertThat(s3.headObject(r -> r.bucket(bucket).key(key)).contentType()).as(key).isEqualTo(type);
            assertThat(azure.getBlobContainerClient(container).getBlobClient(key).getProperties().getContentType())
                    .as(key).isEqualTo(type);
        });
        assertThat(s3.headObject(r -> r.bucket(bucket).key("site/LICENSE")).contentType()).isNotIn(
                expected.values());
        for (String key : List.of("site/index.html", "site/data.JSON", "site/img/logo.png")) {
            assertThat(Files.getFileAttributeView(back.resolve(key), UserDefinedFileAttributeView.class).list())
                    .as(key).doesNotContain("mime_type");
        }
        assertThat(xattr(back.resolve("site/notes.html"), "mime_type")).isEqualTo("text/plain");
        assertThat(metadataReport(toS3).get("attributes").asLong()).isZero();
        assertThat(metadataReport(toLocal).get("attributes").asLong()).isZero();
    }

    @Test
    void aBlobWhoseNameNoKeyCanHoldFailsVisiblyAndEverythingElseIsCopied() throws IOException {
        String container = container("foreign");
        var blobs = azure.getBlobContainerClient(container);
        blobs.create();
        for (String name : List.of("ok/a.txt", "dbl//slash.txt", "dot/./x.txt", "full/")) {
            blobs.getBlobClient(name).upload(com.azure.core.util.BinaryData.fromString("x"));
        }
        blobs.getBlobClient("folder/").upload(com.azure.core.util.BinaryData.fromBytes(new byte[0]));
        String bucket = bucket("foreign");

        try (MigrationEngine engine = MigrationEngine.open(EngineSettings.defaults().withHome(home))) {
            RunResult r = engine.run(MigrationSpec.builder("azblob:" + container, "s3:" + bucket)
                    .sourceOptions(azureOptions()).targetOptions(s3Options()).build(), ProgressListener.NONE);

            assertThat(r.outcome()).isEqualTo(RunOutcome.FAILED);
            assertThat(r.exitCode()).isEqualTo(1);
            assertThat(r.copied()).isEqualTo(1);
            assertThat(r.failed()).isEqualTo(3); // the empty folder marker is not an object; one holding data is
            assertThat(r.errors()).anyMatch(e -> e.contains("dbl//slash.txt") && e.contains("empty segment"))
                    .anyMatch(e -> e.contains("dot/./x.txt") && e.contains("'.' segment"))
                    .anyMatch(e -> e.contains("full/") && e.contains("a folder marker that holds data"));
            assertThat(Files.readString(r.reportHtml())).contains("dbl//slash.txt", "dot/./x.txt", "full/");
        }
        assertThat(s3.listObjectsV2(q -> q.bucket(bucket)).contents()).extracting(o -> o.key())
                .containsExactly("ok/a.txt");
    }

    @Test
    void aKeyWithABackslashIsCopiedToS3AndNamedByThePlanOfACopyToAzure() {
        String source = bucket("backslash");
        s3.createBucket(r -> r.bucket(source));
        for (String key : List.of("scans\\2019.pdf", "ok.txt")) {
            s3.putObject(r -> r.bucket(source).key(key), RequestBody.fromString("bytes of " + key));
        }
        String copy = bucket("backslash-copy");
        runAll(MigrationSpec.builder("s3:" + source, "s3:" + copy).sourceOptions(s3Options())
                .targetOptions(s3Options()).build(), 2);
        assertThat(s3.getObjectAsBytes(r -> r.bucket(copy).key("scans\\2019.pdf")).asUtf8String())
                .isEqualTo("bytes of scans\\2019.pdf");

        String container = container("backslash");
        MigrationSpec toAzure = MigrationSpec.builder("s3:" + source, "azblob:" + container)
                .sourceOptions(s3Options()).targetOptions(azureOptions()).build();
        try (MigrationEngine engine = MigrationEngine.open(EngineSettings.defaults().withHome(home))) {
            PreflightCheck keys = engine.plan(toAzure).preflight().stream()
                    .filter(c -> c.name().equals("target-keys")).findFirst().orElseThrow();
            assertThat(keys.status()).isEqualTo(PreflightCheck.Status.WARN);
            assertThat(keys.detail()).startsWith("1 object cannot be stored under its key")
                    .contains("'scans\\2019.pdf' (Azure Blob Storage turns a backslash in a blob name into '/'");

            RunResult r = engine.run(toAzure, ProgressListener.NONE);
            assertThat(r.exitCode()).isEqualTo(1);
            assertThat(r.copied()).isEqualTo(1);
            assertThat(r.errors()).singleElement().asString().contains("scans\\2019.pdf", "backslash");
        }
        // nothing landed under the name Azure would have made of it (scans/2019.pdf)
        assertThat(azure.getBlobContainerClient(container).listBlobs().stream().map(b -> b.getName()))
                .containsExactly("ok.txt");
    }

    /**
     * Metadata that fits S3's 2 KB only without our SHA-256: the engine adds the digest after a streamed copy, so
     * the room for it must be kept when S3 decides what it cannot hold. Once the copy failed after the object was
     * written (its metadata one entry short, reported nowhere), and the rerun found it "unchanged".
     */
    @Test
    void metadataThatLeavesNoRoomForTheDigestOnS3IsReportedAndTheCopyCompletes() throws IOException {
        String container = container("meta-full");
        var blobs = azure.getBlobContainerClient(container);
        blobs.create();
        String first = "a".repeat(1000);
        String second = "b".repeat(1000);
        blobs.getBlobClient(KEY).uploadWithResponse(new com.azure.storage.blob.options.BlobParallelUploadOptions(
                com.azure.core.util.BinaryData.fromBytes(BYTES)).setMetadata(Map.of("first", first, "second",
                        second)), null, null);
        String bucket = bucket("meta-full");

        RunResult r = run(MigrationSpec.builder("azblob:" + container, "s3:" + bucket)
                .sourceOptions(azureOptions()).targetOptions(s3Options()).build());

        JsonNode report = metadataReport(r);
        assertThat(report.get("attributes").asLong()).isEqualTo(1);
        assertThat(report.get("items").get(0).get("attribute").asText()).isEqualTo("metadata.second");
        assertThat(report.get("items").get(0).get("action").asText()).isEqualTo("NOT_KEPT");
        HeadObjectResponse h = s3.headObject(q -> q.bucket(bucket).key(KEY));
        assertThat(h.metadata()).containsEntry("first", first).doesNotContainKey("second")
                .containsKey("caravan-sha256");
    }

    private RunResult runAll(MigrationSpec spec, long objects) {
        try (MigrationEngine engine = MigrationEngine.open(EngineSettings.defaults().withHome(home))) {
            RunResult r = engine.run(spec, ProgressListener.NONE);
            assertThat(r.outcome()).as("errors %s", r.errors()).isEqualTo(RunOutcome.COMPLETE);
            assertThat(r.copied()).isEqualTo(objects);
            return r;
        }
    }

    @Test
    void tagsReachAzureAndWhatATargetCannotHoldIsReportedItemByItem() throws IOException {
        Files.createDirectories(Path.of("target"));
        Path dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "tags");
        Path file = dir.resolve(KEY);
        Files.createDirectories(file.getParent());
        Files.write(file, BYTES);
        UserDefinedFileAttributeView view = Files.getFileAttributeView(file, UserDefinedFileAttributeView.class);
        view.write("mime_type", StandardCharsets.UTF_8.encode("application/pdf; version=1.7")); // not implied
        view.write("caravan.tag.team", StandardCharsets.UTF_8.encode("red"));
        String container = container("meta-tags");
        String bucket = bucket("meta-notags");

        run(MigrationSpec.builder("local:" + dir, "azblob:" + container).targetOptions(azureOptions()).build());
        assertThat(azure.getBlobContainerClient(container).getBlobClient(KEY).getTags()).isEqualTo(
                Map.of("team", "red"));
        RunResult toS3 = run(MigrationSpec.builder("azblob:" + container, "s3:" + bucket)
                .sourceOptions(azureOptions()).targetOptions(s3Options()).build());
        Path plain = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "plain");
        RunResult toPlain = run(MigrationSpec.builder("azblob:" + container, "local:" + plain)
                .sourceOptions(azureOptions()).targetOptions(Map.of("xattrs", "false")).build());

        // S3Proxy has no tagging: the tag is reported, the object is copied
        JsonNode s3Report = metadataReport(toS3);
        assertThat(s3Report.get("attributes").asLong()).isEqualTo(1);
        assertThat(s3Report.get("items").get(0).get("key").asText()).isEqualTo(KEY);
        assertThat(s3Report.get("items").get(0).get("attribute").asText()).isEqualTo("tag.team");
        assertThat(s3Report.get("items").get(0).get("action").asText()).isEqualTo("NOT_KEPT");
        assertThat(s3Report.get("items").get(0).get("detail").asText()).endsWith("keeps no tags");
        assertThat(s3.getObjectAsBytes(r -> r.bucket(bucket).key(KEY)).asByteArray()).isEqualTo(BYTES);
        // a local target without extended attributes keeps none of them: each one is a line of the report
        List<String> lines = new ArrayList<>();
        metadataReport(toPlain).get("items").forEach(i -> lines.add(i.get("key").asText() + " "
                + i.get("attribute").asText() + " " + i.get("action").asText()));
        assertThat(lines).containsExactlyInAnyOrder(KEY + " contentType NOT_KEPT", KEY + " tag.team NOT_KEPT");
        assertThat(Files.readString(toPlain.reportHtml())).contains("Attributes not carried over as they were")
                .contains("keeps no content type");
        assertThat(Files.readAllBytes(plain.resolve(KEY))).isEqualTo(BYTES);
    }
}
