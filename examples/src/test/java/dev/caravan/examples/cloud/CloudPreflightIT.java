package dev.caravan.examples.cloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import dev.caravan.core.engine.EngineSettings;
import dev.caravan.core.engine.MigrationEngine;
import dev.caravan.core.engine.PlanResult;
import dev.caravan.core.plan.MigrationSpec;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code caravan plan} (here {@link MigrationEngine#plan}) of local -> S3, S3 -> Azure and local -> Azure migrations
 * with bad credentials, a missing bucket or container, and an unreachable endpoint: each fails with a
 * {@link MigrationException} of kind USER_CONFIG whose message names the problem, and nothing is written (no
 * bucket or container created, no object).
 */
class CloudPreflightIT {
    @TempDir
    static Path tmp;
    private static MigrationEngine engine;
    private static S3Client s3;
    private static Path source;
    private static String bucket;

    @BeforeAll
    static void setUp() throws IOException {
        engine = MigrationEngine.open(EngineSettings.defaults().withHome(tmp.resolve("home")));
        s3 = CloudServers.s3();
        source = Files.createDirectories(tmp.resolve("source"));
        Files.writeString(source.resolve("a.txt"), "hello");
        bucket = CloudServers.freshName("preflight");
        s3.createBucket(r -> r.bucket(bucket));
    }

    @AfterAll
    static void tearDown() {
        CloudServers.deleteBucket(s3, bucket);
        s3.close();
        engine.close();
    }

    private static MigrationException planFails(String from, Map<String, String> sourceOptions, String to,
            Map<String, String> targetOptions) {
        MigrationSpec spec = MigrationSpec.builder(from, to).sourceOptions(sourceOptions).targetOptions(targetOptions)
                .build();
        MigrationException e = catchThrowableOfType(MigrationException.class, () -> engine.plan(spec));
        assertThat(e).as("plan of %s -> %s must fail", from, to).isNotNull();
        assertThat(e.kind()).as(e.getMessage()).isEqualTo(ErrorKind.USER_CONFIG);
        return e;
    }

    @Test
    void badS3CredentialsFailThePlan() {
        MigrationException e = planFails("local:" + source, Map.of(), "s3:" + bucket,
                Map.of("endpoint", CloudServers.S3_ENDPOINT, "pathStyle", "true", "accessKeyId", "wrong-identity",
                        "secretAccessKey", "wrong-credential"));
        assertThat(e.getMessage()).contains("credentials").doesNotContain("wrong-credential");
        assertThat(CloudServers.s3Keys(s3, bucket)).as("nothing written").isEmpty();
    }

    @Test
    void missingBucketFailsThePlanAndIsNotCreated() {
        String missing = CloudServers.freshName("missing");
        MigrationException e = planFails("local:" + source, Map.of(), "s3:" + missing,
                CloudServers.s3Options(CloudServers.S3_ENDPOINT));
        assertThat(e.getMessage()).contains(missing).contains("does not exist");
        assertThat(s3.listBuckets().buckets()).noneMatch(b -> b.name().equals(missing));
    }

    @Test
    void aPlanOntoAMissingBucketThatCreateBucketWouldMakeCreatesNothing() {
        String missing = CloudServers.freshName("later");
        MigrationSpec spec = MigrationSpec.builder("local:" + source, "s3:" + missing)
                .targetOptions(CloudServers.s3Options(CloudServers.S3_ENDPOINT, "createBucket", "true")).build();
        PlanResult plan = engine.plan(spec);
        assertThat(plan.summary().transferCount()).as("a.txt to copy into the bucket to be made").isEqualTo(1);
        assertThat(s3.listBuckets().buckets()).as("a plan creates no bucket")
                .noneMatch(b -> b.name().equals(missing));
    }

    @Test
    void unreachableS3EndpointFailsThePlan() throws IOException {
        MigrationException e = planFails("local:" + source, Map.of(), "s3:" + bucket,
                CloudServers.s3Options("http://127.0.0.1:" + freePort(), "connectTimeout", "2s", "sdkRetries", "0"));
        assertThat(e.getMessage()).containsIgnoringCase("127.0.0.1");
    }

    @Test
    void missingAzureContainerFailsThePlanAndIsNotCreated() {
        String missing = CloudServers.freshName("missing");
        MigrationException e = planFails("local:" + source, Map.of(), "azblob:" + missing, Map.of("connectionString", CloudServers.AZURE_CONNECTION_STRING));
        assertThat(e.getMessage()).contains(missing);
        assertThat(CloudServers.azure().getBlobContainerClient(missing).exists()).isFalse();
    }

    @Test
    void badAzureCredentialsFailThePlan() {
        String wrongKey = "d3JvbmctYnV0LXZhbGlkLWJhc2U2NC1rZXktZm9yLXRoZS10ZXN0LW9mLXRoZS1wbGFu";
        String connection = CloudServers.AZURE_CONNECTION_STRING.replaceFirst("AccountKey=[^;]+", "AccountKey="
                + wrongKey);
        MigrationException e = planFails("local:" + source, Map.of(), "azblob:" + CloudServers.freshName("bad"),
                Map.of("connectionString", connection));
        assertThat(e.getMessage()).doesNotContain(wrongKey);
    }

    @Test
    void unreachableAzureEndpointFailsThePlan() throws IOException {
        String connection = CloudServers.AZURE_CONNECTION_STRING.replaceFirst("127\\.0\\.0\\.1:\\d+",
                "127.0.0.1:" + freePort());
        planFails("local:" + source, Map.of(), "azblob:" + CloudServers.freshName("gone"),
                Map.of("connectionString", connection, "connectTimeout", "2s"));
    }

    /**
     * Credentials pasted into a location (an S3 URL with user info, a container URL's SAS) fail the plan without
     * being echoed: the location is printed, journaled and put into reports. The SAS used to be read as part of the
     * prefix (a listing of nothing, exit 0, the signature in the journal and the reports).
     */
    @Test
    void credentialsInALocationFailThePlanWithoutBeingEchoedOrKept() throws IOException {
        String secret = java.util.UUID.randomUUID().toString().replace("-", "");
        MigrationException s3 = planFails("s3://" + CloudServers.S3_ACCESS_KEY + ":" + secret + "@" + bucket,
                CloudServers.s3Options(CloudServers.S3_ENDPOINT), "local:" + tmp.resolve("out-s3"), Map.of());
        assertThat(s3.getMessage()).contains("accessKeyId").doesNotContain(secret);
        var container = CloudServers.azure().getBlobContainerClient(CloudServers.freshName("sas"));
        container.create();
        try {
            MigrationException sas = planFails("azblob:" + container.getBlobContainerName() + "/in?sv=2021-08-06&sp=rl"
                    + "&sig=" + secret, Map.of("connectionString", CloudServers.AZURE_CONNECTION_STRING), "local:"
                    + tmp.resolve("out-az"), Map.of());
            assertThat(sas.getMessage()).contains("sasToken").doesNotContain(secret);
        } finally {
            container.delete();
        }
        try (var files = Files.walk(tmp.resolve("home"))) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                assertThat(new String(Files.readAllBytes(f), java.nio.charset.StandardCharsets.ISO_8859_1)).as(f
                        .toString()).doesNotContain(secret);
            }
        }
    }

    /** A loopback port nobody listens on (bound, then released). */
    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
