package dev.caravan.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.models.BlobProperties;
import dev.caravan.cli.Main;
import dev.caravan.core.engine.EngineSettings;
import dev.caravan.runtime.CaravanRuntime;
import dev.caravan.runtime.CaravanServer;
import dev.caravan.runtime.ScheduleStatus;
import dev.caravan.runtime.ServeOptions;
import dev.caravan.examples.cloud.CloudServers;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.MetadataDirective;

/**
 * Runs the cloud examples exactly as their READMEs say, from the repository root (Failsafe's working directory),
 * in-process through the CLI's main class: seed S3Proxy with the quickstart's sample data ({@code caravan copy}),
 * then {@code caravan run examples/cloud/s3-to-azure.yaml} and {@code caravan run
 * examples/internal/bucket-to-bucket.yaml}, reading every object back from Azurite and S3Proxy and comparing bytes.
 * The examples use fixed bucket and container names; the test empties their targets first. Besides the bytes, it
 * reads back what the READMEs say travels with each copy: content type, user metadata, kept time and SHA-256.
 */
class CloudExamplesIT {
    static final Path SAMPLE = Path.of("examples/quickstart/sample-data");
    static final String SOURCE_BUCKET = "caravan-example-cloud";
    static final String ARCHIVE_BUCKET = "caravan-example-archive";
    static final String CONTAINER = "caravan-example";

    @TempDir
    Path home;
    private static S3Client s3;
    private static BlobServiceClient azure;

    record Result(int code, String out, String err) {
        @Override
        public String toString() {
            return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    @BeforeAll
    static void clients() {
        s3 = CloudServers.s3();
        azure = CloudServers.azure();
    }

    @AfterAll
    static void closeClients() {
        s3.close();
    }

    Result caravan(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] all = Stream.concat(Stream.of("--home", home.toString(), "--no-progress"), Stream.of(args))
                .toArray(String[]::new);
        int code = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), all);
        return new Result(code, out.toString(), err.toString());
    }

    /** Step 2 of the READMEs: the quickstart's sample data into s3:caravan-example-cloud/sample. */
    Map<String, byte[]> seed() throws IOException {
        List<String> args = new ArrayList<>(List.of("copy", "local:" + SAMPLE, "s3:" + SOURCE_BUCKET + "/sample"));
        args.addAll(CloudServers.cliOptions("--target-option",
                CloudServers.s3Options(CloudServers.S3_ENDPOINT, "createBucket", "true")));
        Result seeded = caravan(args.toArray(String[]::new));
        assertThat(seeded.code()).as(seeded.toString()).isZero();
        Map<String, byte[]> expected = new TreeMap<>();
        try (Stream<Path> s = Files.walk(SAMPLE)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                expected.put(SAMPLE.relativize(p).toString().replace('\\', '/'), Files.readAllBytes(p));
            }
        }
        assertThat(CloudServers.s3Objects(s3, SOURCE_BUCKET, "sample/")).containsExactlyInAnyOrderEntriesOf(expected);
        return expected;
    }

    @Test
    void cloudExampleCopiesS3ToAzureAndVerifies() throws IOException {
        assertThat(Path.of("examples/cloud/s3-to-azure.yaml")).as("working directory must be the repository root")
                .exists();
        Map<String, byte[]> expected = seed();
        azure.getBlobContainerClient(CONTAINER).deleteIfExists();

        giveUserMetadata("sample/customers.csv", "owner", "sales");

        Result run = caravan("run", "examples/cloud/s3-to-azure.yaml");
        assertThat(run.code()).as(run.toString()).isZero();
        assertThat(run.out()).as(run.toString()).contains("cloud-example", "complete and verified",
                "copied    6 objects", "verified  6 match");
        assertCopiedToAzure(expected, "sample/");
        assertThat(azure.getBlobContainerClient(CONTAINER).getBlobClient("sample/customers.csv").getProperties()
                .getMetadata()).containsEntry("owner", "sales");

        Result again = caravan("run", "examples/cloud/s3-to-azure.yaml");
        assertThat(again.code()).as(again.toString()).isZero();
        assertThat(again.out()).as(again.toString()).contains("copied    0 objects");

        Result verify = caravan("verify", "examples/cloud/s3-to-azure.yaml");
        assertThat(verify.code()).as(verify.toString()).isZero();
    }

    /**
     * The scheduled example as its README says: {@code caravan run} fires it once (a copy, read back), then {@code
     * caravan serve} (here the runtime's serve, in-process) fires it at start and every 20 s: a fire with nothing
     * changed copies nothing, a fire after a blob was deleted on the target copies that one again.
     */
    @Test
    void scheduledCloudExampleRunsOnceWithRunAndIncrementallyOnEveryFireOfServe() throws IOException {
        Path example = Path.of("examples/cloud/scheduled-s3-to-azure.yaml");
        Map<String, byte[]> expected = seed();
        azure.getBlobContainerClient(CONTAINER).deleteIfExists();

        Result run = caravan("run", example.toString());
        assertThat(run.code()).as(run.toString()).isZero();
        assertThat(run.out()).as(run.toString()).contains("cloud-scheduled-example", "complete and verified",
                "copied    6 objects");
        assertThat(CloudServers.azureObjects(azure, CONTAINER, "scheduled/")).containsExactlyInAnyOrderEntriesOf(
                expected);
        assertCopiedToAzure(expected, "scheduled/");

        try (CaravanRuntime runtime = CaravanRuntime.create(EngineSettings.defaults().withHome(home))) {
            CaravanServer server = runtime.serve(List.of(example), ServeOptions.of("w1").withMetrics(null, -1));
            try {
                ScheduleStatus first = awaitFire(server, 1);
                assertThat(first.lastOutcome()).isEqualTo("COMPLETE");
                assertThat(first.lastObjects()).as("nothing changed since the run").isZero();

                azure.getBlobContainerClient(CONTAINER).getBlobClient("scheduled/orders.json").delete();
                ScheduleStatus second = awaitFire(server, 2);
                assertThat(second.lastOutcome()).isEqualTo("COMPLETE");
                assertThat(second.lastObjects()).as("only the deleted blob").isEqualTo(1);
                assertThat(CloudServers.azureObjects(azure, CONTAINER, "scheduled/"))
                        .containsExactlyInAnyOrderEntriesOf(expected);
            } finally {
                server.stop();
            }
        }
    }

    private static ScheduleStatus awaitFire(CaravanServer server, int fires) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            ScheduleStatus s = server.status().stream().filter(x -> x.name().equals("cloud-scheduled-example"))
                    .findFirst().orElseThrow();
            if (s.fires() >= fires && s.lastFinished() != null) {
                return s;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        throw new AssertionError("no finished fire number " + fires + " within 60 s");
    }

    /** What the README says is stored with each blob: SHA-256, modification time and content type of the source. */
    private static void assertCopiedToAzure(Map<String, byte[]> expected, String prefix) {
        expected.forEach((key, bytes) -> {
            HeadObjectResponse source = s3.headObject(r -> r.bucket(SOURCE_BUCKET).key("sample/" + key));
            BlobProperties blob = azure.getBlobContainerClient(CONTAINER).getBlobClient(prefix + key)
                    .getProperties();
            assertThat(blob.getContentType()).as(key).isEqualTo(source.contentType()).isNotBlank();
            assertThat(blob.getMetadata()).as(key).containsEntry("caravansha256", sha256(bytes));
            assertThat(Instant.parse(blob.getMetadata().get("caravanmtime"))).as(key)
                    .isEqualTo(Instant.ofEpochMilli(Long.parseLong(source.metadata().get("caravan-mtime"))));
        });
    }

    @Test
    void internalExampleCopiesBucketToBucketWithANewPrefix() throws IOException {
        Map<String, byte[]> expected = seed();
        CloudServers.deleteBucket(s3, ARCHIVE_BUCKET);

        giveUserMetadata("sample/orders.json", "owner", "sales");

        Result run = caravan("run", "examples/internal/bucket-to-bucket.yaml");
        assertThat(run.code()).as(run.toString()).isZero();
        assertThat(run.out()).as(run.toString()).contains("internal-example", "complete and verified",
                "copied    6 objects");
        assertThat(CloudServers.s3Objects(s3, ARCHIVE_BUCKET, "")).containsExactlyInAnyOrderEntriesOf(
                prefixed("2024/sample/", expected));
        // what the README says travels with each copy: content type, user metadata, kept time and SHA-256
        expected.forEach((key, bytes) -> {
            HeadObjectResponse source = s3.headObject(r -> r.bucket(SOURCE_BUCKET).key("sample/" + key));
            HeadObjectResponse copy = s3.headObject(r -> r.bucket(ARCHIVE_BUCKET).key("2024/sample/" + key));
            assertThat(copy.contentType()).as(key).isEqualTo(source.contentType()).isNotBlank();
            assertThat(copy.metadata()).as(key).containsEntry("caravan-sha256", sha256(bytes))
                    .containsEntry("caravan-mtime", source.metadata().get("caravan-mtime"));
        });
        assertThat(s3.headObject(r -> r.bucket(ARCHIVE_BUCKET).key("2024/sample/orders.json")).metadata())
                .containsEntry("owner", "sales");

        Result verify = caravan("verify", "examples/internal/bucket-to-bucket.yaml");
        assertThat(verify.code()).as(verify.toString()).isZero();
    }

    /** Adds a user metadata entry to a seeded source object, keeping the metadata Caravan stored with it. */
    private static void giveUserMetadata(String key, String name, String value) {
        Map<String, String> metadata = new TreeMap<>(s3.headObject(r -> r.bucket(SOURCE_BUCKET).key(key)).metadata());
        metadata.put(name, value);
        String type = s3.headObject(r -> r.bucket(SOURCE_BUCKET).key(key)).contentType();
        s3.copyObject(r -> r.sourceBucket(SOURCE_BUCKET).sourceKey(key).destinationBucket(SOURCE_BUCKET)
                .destinationKey(key).metadata(metadata).contentType(type).metadataDirective(MetadataDirective.REPLACE));
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, byte[]> prefixed(String prefix, Map<String, byte[]> data) {
        Map<String, byte[]> out = new TreeMap<>();
        data.forEach((k, v) -> out.put(prefix + k, v));
        return out;
    }
}
