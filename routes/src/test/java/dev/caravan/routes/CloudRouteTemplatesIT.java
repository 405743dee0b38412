package dev.caravan.routes;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.models.BlobItem;
import dev.caravan.api.journal.RunOutcome;
import dev.caravan.core.engine.EngineSettings;
import dev.caravan.core.engine.ProgressListener;
import dev.caravan.runtime.CaravanRuntime;
import dev.caravan.runtime.RoutesRun;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.EncodingType;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Runs each cloud and internal route template ({@code routes/cloud/*.yaml}, {@code routes/internal/*.yaml}) through
 * {@link CaravanRuntime}, as {@code caravan run} does, against S3Proxy (scripts/servers/s3proxy.sh, 127.0.0.1:18080)
 * and Azurite (scripts/servers/azurite.sh, 127.0.0.1:18010), then reads every object back from the server with the
 * vendor SDK and compares bytes. Coordinates: {@code CARAVAN_IT_S3_ENDPOINT}, {@code CARAVAN_IT_S3_ACCESS_KEY},
 * {@code CARAVAN_IT_S3_SECRET_KEY}, {@code CARAVAN_IT_AZURE_CONNECTION_STRING} (or the system properties
 * {@code caravan.it.s3.endpoint}, ...), defaulting to the scripts' values.
 */
class CloudRouteTemplatesIT {
    static final String S3_ENDPOINT = setting("CARAVAN_IT_S3_ENDPOINT", "caravan.it.s3.endpoint",
            "http://127.0.0.1:18080");
    static final String S3_ACCESS = setting("CARAVAN_IT_S3_ACCESS_KEY", "caravan.it.s3.accessKey", "local-identity");
    static final String S3_SECRET = setting("CARAVAN_IT_S3_SECRET_KEY", "caravan.it.s3.secretKey",
            "local-credential");
    static final String AZURE = setting("CARAVAN_IT_AZURE_CONNECTION_STRING", "caravan.it.azure.connectionString",
            "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT"
                    + "50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;"
                    + "BlobEndpoint=http://127.0.0.1:18010/devstoreaccount1;");
    private static final AtomicInteger NAMES = new AtomicInteger();

    @TempDir
    static Path home;
    private static CaravanRuntime runtime;
    private static S3Client s3;
    private static BlobServiceClient azure;

    @TempDir
    Path tmp;

    @BeforeAll
    static void open() {
        runtime = CaravanRuntime.create(EngineSettings.defaults().withHome(home));
        s3 = S3Client.builder().endpointOverride(URI.create(S3_ENDPOINT)).forcePathStyle(true).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(S3_ACCESS, S3_SECRET)))
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .serviceConfiguration(S3Configuration.builder().chunkedEncodingEnabled(false).build()).build();
        azure = new BlobServiceClientBuilder().connectionString(AZURE).buildClient();
    }

    @AfterAll
    static void close() {
        runtime.close();
        s3.close();
    }

    @Test
    void s3ToAzureCopiesEveryObjectByteForByte() throws IOException {
        String bucket = newS3Bucket("s2a");
        Map<String, byte[]> data = sample();
        data.forEach((k, v) -> s3.putObject(r -> r.bucket(bucket).key("in/" + k), RequestBody.fromBytes(v)));
        String container = name("s2a");

        RoutesRun run = run("cloud-s3-to-azure", "s3:" + bucket + "/in", "azblob:" + container + "/out",
                "sourceEndpoint", S3_ENDPOINT, "sourcePathStyle", "true", "sourceAccessKeyId", S3_ACCESS,
                "sourceSecretAccessKey", S3_SECRET, "targetConnectionString", AZURE, "targetCreateContainer", "true");

        assertComplete(run, data.size());
        assertThat(azureObjects(container, "out/")).containsExactlyInAnyOrderEntriesOf(data);
        // a second run finds everything up to date
        assertThat(run("cloud-s3-to-azure", "s3:" + bucket + "/in", "azblob:" + container + "/out",
                "sourceEndpoint", S3_ENDPOINT, "sourcePathStyle", "true", "sourceAccessKeyId", S3_ACCESS,
                "sourceSecretAccessKey", S3_SECRET, "targetConnectionString", AZURE).results().get(0).copied())
                .isZero();
    }

    @Test
    void s3ToAzureWritesKeysWithABackslashOrADotEndingANameUnderTheNamesOfTheKeyMap() throws IOException {
        String bucket = newS3Bucket("s2a-map");
        s3.putObject(r -> r.bucket(bucket).key("in/scans\\2019.pdf"), RequestBody.fromString("scan"));
        s3.putObject(r -> r.bucket(bucket).key("in/plain.txt"), RequestBody.fromString("plain"));
        s3.putObject(r -> r.bucket(bucket).key("in/notes/draft."), RequestBody.fromString("draft")); // Azure: 'draft'
        s3.putObject(r -> r.bucket(bucket).key("in/v1./readme.txt"), RequestBody.fromString("readme"));
        String container = name("s2a-map");
        String[] params = {"sourceEndpoint", S3_ENDPOINT, "sourcePathStyle", "true", "sourceAccessKeyId", S3_ACCESS,
            "sourceSecretAccessKey", S3_SECRET, "targetConnectionString", AZURE, "targetCreateContainer", "true",
            "keyMap", "replace:\\\\=\uff3c;trailing:.=\uff0e"}; // the YAML escape of one backslash

        RoutesRun run = run("cloud-s3-to-azure", "s3:" + bucket + "/in", "azblob:" + container + "/out", params);

        assertComplete(run, 4);
        Map<String, byte[]> blobs = azureObjects(container, "out/");
        assertThat(blobs).containsOnlyKeys("scans\uff3c2019.pdf", "plain.txt", "notes/draft\uff0e",
                "v1\uff0e/readme.txt");
        assertThat(blobs.get("notes/draft\uff0e")).isEqualTo("draft".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(new String(blobs.get("scans\uff3c2019.pdf"), java.nio.charset.StandardCharsets.UTF_8))
                .isEqualTo("scan");
        assertThat(run("cloud-s3-to-azure", "s3:" + bucket + "/in", "azblob:" + container + "/out", params).results()
                .get(0).copied()).as("a rerun finds both in place").isZero();
    }

    @Test
    void azureToS3CopiesEveryBlobByteForByte() throws IOException {
        BlobContainerClient container = container(name("a2s"));
        Map<String, byte[]> data = sample();
        data.forEach((k, v) -> container.getBlobClient("src/" + k).upload(com.azure.core.util.BinaryData.fromBytes(v)));
        String bucket = name("a2s");

        RoutesRun run = run("cloud-azure-to-s3", "azblob:" + container.getBlobContainerName() + "/src",
                "s3:" + bucket + "/dst", "sourceConnectionString", AZURE, "targetEndpoint", S3_ENDPOINT,
                "targetPathStyle", "true", "targetAccessKeyId", S3_ACCESS, "targetSecretAccessKey", S3_SECRET,
                "targetCreateBucket", "true");

        assertComplete(run, data.size());
        assertThat(s3Objects(bucket, "dst/")).containsExactlyInAnyOrderEntriesOf(data);
    }

    @Test
    void bucketToBucketRewritesThePrefix() throws IOException {
        String from = newS3Bucket("b2b-src");
        Map<String, byte[]> data = sample();
        data.forEach((k, v) -> s3.putObject(r -> r.bucket(from).key("raw/" + k).contentType("application/x-test")
                .cacheControl("max-age=60").metadata(Map.of("owner", "ann", "team", "blue")), RequestBody.fromBytes(v)));
        s3.putObject(r -> r.bucket(from).key("other/ignored.txt"), RequestBody.fromString("not under raw/"));
        String to = name("b2b-dst");

        RoutesRun run = run("internal-bucket-to-bucket", "s3:" + from + "/raw", "s3:" + to + "/archive/v2",
                "endpoint", S3_ENDPOINT, "pathStyle", "true", "accessKeyId", S3_ACCESS, "secretAccessKey", S3_SECRET,
                "createBucket", "true", "metadataRules", "drop:metadata.team;rename:cacheControl=metadata.cc");

        assertComplete(run, data.size());
        assertThat(s3Objects(to, "")).containsExactlyInAnyOrderEntriesOf(prefixed("archive/v2/", data));
        for (String k : data.keySet()) {
            HeadObjectResponse head = s3.headObject(r -> r.bucket(to).key("archive/v2/" + k));
            assertThat(head.contentType()).as("content type kept").isEqualTo("application/x-test");
            assertThat(head.cacheControl()).as("renamed by the rule").isNull();
            assertThat(head.metadata()).as("the rules applied to the server-side copy")
                    .containsEntry("owner", "ann").containsEntry("cc", "max-age=60").doesNotContainKey("team");
        }
    }

    @Test
    void containerToContainerRewritesThePrefix() throws IOException {
        BlobContainerClient from = container(name("c2c-src"));
        Map<String, byte[]> data = sample();
        data.forEach((k, v) -> {
            from.getBlobClient("2024/" + k).upload(com.azure.core.util.BinaryData.fromBytes(v));
            from.getBlobClient("2024/" + k).setMetadata(Map.of("owner", "ann", "team", "blue"));
        });
        String to = name("c2c-dst");

        RoutesRun run = run("internal-container-to-container", "azblob:" + from.getBlobContainerName() + "/2024",
                "azblob:" + to + "/archive/2024", "connectionString", AZURE, "createContainer", "true",
                "metadataRules", "drop:metadata.team");

        assertComplete(run, data.size());
        assertThat(azureObjects(to, "")).containsExactlyInAnyOrderEntriesOf(prefixed("archive/2024/", data));
        for (String k : data.keySet()) {
            assertThat(azure.getBlobContainerClient(to).getBlobClient("archive/2024/" + k).getProperties().getMetadata())
                    .as("the rule applied to the server-side copy").containsEntry("owner", "ann")
                    .doesNotContainKey("team");
        }
    }

    /**
     * Each S3 side of a template takes a named profile of the shared AWS files and a session token (temporary
     * credentials), as the connector does: before, only static keys or the default chain could reach it.
     */
    @Test
    void everyS3SideOfATemplateTakesANamedProfileAndASessionToken() throws IOException {
        String profile = name("profile");
        Path credentials = Files.writeString(tmp.resolve("credentials"), "[" + profile + "]\naws_access_key_id = "
                + S3_ACCESS + "\naws_secret_access_key = " + S3_SECRET + "\n");
        String before = System.setProperty("aws.sharedCredentialsFile", credentials.toString());
        try {
            String bucket = newS3Bucket("profile");
            s3.putObject(r -> r.bucket(bucket).key("in/a.txt"), RequestBody.fromBytes(new byte[] {42}));
            String container = name("profile");
            assertComplete(run("cloud-s3-to-azure", "s3:" + bucket + "/in", "azblob:" + container + "/in",
                    "sourceEndpoint", S3_ENDPOINT, "sourcePathStyle", "true", "sourceProfile", profile,
                    "targetConnectionString", AZURE, "targetCreateContainer", "true"), 1);
            assertComplete(run("cloud-azure-to-s3", "azblob:" + container + "/in", "s3:" + bucket + "/back",
                    "sourceConnectionString", AZURE, "targetEndpoint", S3_ENDPOINT, "targetPathStyle", "true",
                    "targetProfile", profile), 1);
            assertComplete(run("internal-bucket-to-bucket", "s3:" + bucket + "/in", "s3:" + bucket + "/copy",
                    "endpoint", S3_ENDPOINT, "pathStyle", "true", "profile", profile), 1);
        } finally {
            if (before == null) {
                System.clearProperty("aws.sharedCredentialsFile");
            } else {
                System.setProperty("aws.sharedCredentialsFile", before);
            }
        }
        // a session token reaches the connector: alone, it is refused there, naming what goes with it in the
        // template's own parameter names
        String token = java.util.UUID.randomUUID().toString();
        Map<String, RoutesRun> refused = Map.of(
                "cloud-s3-to-azure", run("cloud-s3-to-azure", "s3:x-bucket", "azblob:x-box", "sourceSessionToken",
                        token, "targetConnectionString", AZURE),
                "cloud-azure-to-s3", run("cloud-azure-to-s3", "azblob:x-box", "s3:x-bucket", "targetSessionToken",
                        token, "sourceConnectionString", AZURE),
                "internal-bucket-to-bucket", run("internal-bucket-to-bucket", "s3:x-bucket", "s3:y-bucket",
                        "sessionToken", token));
        Map<String, String> said = Map.of("cloud-s3-to-azure", "sourceSessionToken needs sourceAccessKeyId",
                "cloud-azure-to-s3", "targetSessionToken needs targetAccessKeyId",
                "internal-bucket-to-bucket", "sessionToken needs accessKeyId");
        refused.forEach((template, r) -> assertThat(r.errors()).as(template).isNotEmpty()
                .allMatch(e -> !e.contains(token)).anyMatch(e -> e.contains(said.get(template))));
    }

    private RoutesRun run(String template, String source, String target, String... params) throws IOException {
        String yaml = TemplatedRouteYaml.of(template, "it-" + template + "-" + NAMES.incrementAndGet(), source, target,
                List.of(params));
        Path file = Files.writeString(tmp.resolve(template + "-" + NAMES.incrementAndGet() + ".yaml"), yaml);
        return runtime.runRoutes(List.of(file), ProgressListener.NONE);
    }

    private static void assertComplete(RoutesRun run, int objects) {
        assertThat(run.errors()).isEmpty();
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.results()).hasSize(1);
        assertThat(run.results().get(0).outcome()).isEqualTo(RunOutcome.COMPLETE);
        assertThat(run.results().get(0).copied()).isEqualTo(objects);
    }

    /** Awkward keys, an empty object, and one object of several MiB (multipart / staged blocks). */
    private static Map<String, byte[]> sample() {
        Map<String, byte[]> data = new TreeMap<>();
        data.put("a.txt", "hello\n".getBytes());
        data.put("dir/with space+plus%percent.csv", "id,value\n1,42\n".getBytes());
        data.put("dir/deeper/ünïcode-日本.bin", bytes(70_000, 3));
        data.put("empty", new byte[0]);
        data.put("large.bin", bytes(9 * 1024 * 1024 + 123, 7));
        return data;
    }

    private static byte[] bytes(int size, int seed) {
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) {
            b[i] = (byte) (i * 31 + seed + (i >>> 13));
        }
        return b;
    }

    private static Map<String, byte[]> prefixed(String prefix, Map<String, byte[]> data) {
        return data.entrySet().stream().collect(Collectors.toMap(e -> prefix + e.getKey(), Map.Entry::getValue));
    }

    private static Map<String, byte[]> s3Objects(String bucket, String prefix) {
        Map<String, byte[]> out = new TreeMap<>();
        List<S3Object> objects = s3.listObjectsV2Paginator(r -> r.bucket(bucket).prefix(prefix)
                .encodingType(EncodingType.URL)).contents().stream().toList();
        for (S3Object o : objects) {
            String key = o.key(); // the SDK decodes the URL-encoded listing
            if (key.endsWith("/")) {
                continue; // directory markers of S3Proxy's file backend
            }
            byte[] body = s3.getObjectAsBytes(r -> r.bucket(bucket).key(key)).asByteArray();
            if (body.length == 0 && "application/x-directory".equals(
                    s3.headObject(r -> r.bucket(bucket).key(key)).contentType())) {
                continue;
            }
            out.put(key.substring(prefix.length()), body);
        }
        return out;
    }

    private static Map<String, byte[]> azureObjects(String container, String prefix) {
        BlobContainerClient c = azure.getBlobContainerClient(container);
        Map<String, byte[]> out = new TreeMap<>();
        for (BlobItem item : c.listBlobs()) {
            if (item.getName().startsWith(prefix)) {
                out.put(item.getName().substring(prefix.length()),
                        c.getBlobClient(item.getName()).downloadContent().toBytes());
            }
        }
        return out;
    }

    private static String newS3Bucket(String hint) {
        String bucket = name(hint);
        s3.createBucket(r -> r.bucket(bucket));
        return bucket;
    }

    private static String name(String hint) {
        return ("rt-" + hint + "-" + Long.toString(ProcessHandle.current().pid(), 36) + "-"
                + Long.toString(System.nanoTime() % 1_000_000_000L, 36) + NAMES.incrementAndGet())
                .toLowerCase(Locale.ROOT);
    }

    private static String setting(String env, String property, String fallback) {
        String v = System.getenv(env);
        if (v == null || v.isBlank()) {
            v = System.getProperty(property);
        }
        return v == null || v.isBlank() ? fallback : v;
    }

    /** A new container; created if not exists, so a create retried after a slow answer does not fail with 409. */
    private static BlobContainerClient container(String name) {
        BlobContainerClient c = azure.getBlobContainerClient(name);
        c.createIfNotExists();
        return c;
    }
}
