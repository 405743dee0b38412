package dev.caravan.connector.s3;

import static dev.caravan.testkit.contract.ContractSupport.assertFailsWith;
import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.api.config.Config;
import dev.caravan.api.config.OptionDef;
import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.store.StoreProvider;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/** The provider: registration, declared options, their cross-checks and locations (no network). */
class S3StoreProviderTest {
    private final S3StoreProvider provider = new S3StoreProvider();

    @Test
    void warmUpBuildsAClientWithoutSendingAnything() {
        RequestLog.clear();
        long t0 = System.nanoTime();
        new S3StoreProvider().warmUp();
        assertThat(RequestLog.all()).as("no request, not even to the warm-up's own endpoint").isEmpty();
        assertThat(java.time.Duration.ofNanos(System.nanoTime() - t0)).as("no connection attempt, no retry")
                .isLessThan(java.time.Duration.ofSeconds(10));
    }

    @Test
    void isFoundByServiceLoader() {
        assertThat(ServiceLoader.load(StoreProvider.class).stream().map(ServiceLoader.Provider::get))
                .anySatisfy(p -> assertThat(p.scheme()).isEqualTo("s3"));
    }

    @Test
    void declaresEveryOptionWithADescription() {
        assertThat(provider.options().list()).extracting(OptionDef::name).containsExactly("endpoint", "region",
                "pathStyle", "profile", "accessKeyId", "secretAccessKey", "sessionToken", "createBucket",
                "storageClass", "serverSideEncryption", "sseKmsKeyId", "sseCustomerKey", "acl", "requesterPays", "partSize", "multipartThreshold", "uploadConcurrency", "bufferMemory", "copyPartSize",
                "multipartCopyThreshold", "listMetadata", "tags", "tagCountHeader", "requestsPerSecond", "sdkRetries", "connectTimeout",
                "readTimeout", "maxConnections", "directRequests");
        assertThat(provider.options().list()).allSatisfy(def -> assertThat(def.description()).hasSizeGreaterThan(40));
        assertThat(provider.options().list()).filteredOn(OptionDef::secret).extracting(OptionDef::name)
                .containsExactlyInAnyOrder("accessKeyId", "secretAccessKey", "sessionToken", "sseCustomerKey");
        assertThat(provider.options().find("storageClass").orElseThrow().allowed()).contains("STANDARD",
                "STANDARD_IA", "GLACIER_IR", "DEEP_ARCHIVE");
    }

    @Test
    void defaultsAreTheDocumentedOnes() {
        S3Settings s = S3Settings.from(provider.options().resolve(Map.of()));
        assertThat(s.region()).isEqualTo("us-east-1");
        assertThat(s.pathStyle()).isFalse();
        assertThat(s.createBucket()).isFalse();
        assertThat(s.partSize()).isEqualTo(16L << 20);
        assertThat(s.multipartThreshold()).isEqualTo(64L << 20);
        assertThat(s.uploadConcurrency()).isEqualTo(4);
        assertThat(s.requestsPerSecond()).isZero();
        assertThat(s.listMetadata()).isTrue();
        assertThat(s.sdkRetries()).isEqualTo(2);
        assertThat(s.endpoint()).isNull();
        assertThat(s.endpointName()).isEqualTo("https://s3.us-east-1.amazonaws.com");
        assertThat(s.tls()).isTrue();
        assertThat(s.directRequests()).isTrue();
        assertThat(s.tagCountHeader()).isTrue();
    }

    /** HEAD's tag count decides which objects' tags are read, unless the server sends none (tagCountHeader=false). */
    @Test
    void tagsAreReadWhereHeadCountsThemOrOfEveryObjectWhenTheServerSendsNoCount() {
        S3Settings counted = S3Settings.from(provider.options().resolve(Map.of()));
        S3Settings uncounted = S3Settings.from(provider.options().resolve(Map.of("tagCountHeader", "false")));
        assertThat(S3Attributes.mayHaveTags(counted, null)).as("S3: no header, no tags").isFalse();
        assertThat(S3Attributes.mayHaveTags(counted, 0)).isFalse();
        assertThat(S3Attributes.mayHaveTags(counted, 2)).isTrue();
        assertThat(S3Attributes.mayHaveTags(uncounted, null)).as("no header tells nothing").isTrue();
    }

    @Test
    void anEndpointIsKnownByItsServerForTheOverlapCheck() {
        java.util.function.Function<String, String> id = e -> S3Settings.from(provider.options()
                .resolve(e == null ? Map.of() : Map.of("endpoint", e))).endpointIdentity();
        assertThat(id.apply("http://localhost:18080")).isEqualTo(id.apply("HTTP://127.0.0.1:18080/"))
                .isNotEqualTo(id.apply("http://127.0.0.1:18081"));
        assertThat(id.apply(null)).isEqualTo("aws").isEqualTo(id.apply("https://s3.amazonaws.com"))
                .isEqualTo(id.apply("https://s3.eu-west-1.amazonaws.com"));
    }

    @Test
    void secretsAreMaskedEverywhere() {
        Config config = provider.options().resolve(Map.of("accessKeyId", "AKIAEXAMPLE", "secretAccessKey",
                "s3cr3t-value", "sessionToken", "t0ken-value", "endpoint", "http://127.0.0.1:9000/"));
        assertThat(config.toString()).doesNotContain("AKIAEXAMPLE", "s3cr3t-value", "t0ken-value");
        S3Settings s = S3Settings.from(config);
        assertThat(s.toString()).doesNotContain("AKIAEXAMPLE", "s3cr3t-value", "t0ken-value")
                .contains("http://127.0.0.1:9000");
        assertThat(s.endpoint()).hasToString("http://127.0.0.1:9000");
        assertThat(s.tls()).isFalse();
    }

    @Test
    void crossFieldMistakesSayWhatToChange() {
        assertThat(problem("accessKeyId", "AKIA")).contains("accessKeyId and secretAccessKey go together");
        assertThat(problem("secretAccessKey", "x")).contains("accessKeyId and secretAccessKey go together");
        assertThat(problem("sessionToken", "x")).contains("sessionToken needs accessKeyId");
        assertThat(problem("profile", "dev", "accessKeyId", "a", "secretAccessKey", "b")).contains(
                "either profile or accessKeyId");
        assertThat(problem("partSize", "1M")).contains("partSize must be between 5M");
        assertThat(problem("partSize", "2G")).contains("partSize must be between 5M");
        assertThat(problem("partSize", "256M")).contains("bufferMemory").contains("raise bufferMemory");
        assertThat(problem("copyPartSize", "6G")).contains("copyPartSize");
        assertThat(problem("multipartCopyThreshold", "6G")).contains("multipartCopyThreshold");
        assertThat(problem("uploadConcurrency", "0")).contains("uploadConcurrency");
        assertThat(problem("requestsPerSecond", "-1")).contains("requestsPerSecond");
        assertThat(problem("endpoint", "ftp://host")).contains("http or https URL");
        assertThat(problem("endpoint", "127.0.0.1:9000")).contains("endpoint must be an http or https URL such as "
                + "http://127.0.0.1:9000, got '127.0.0.1:9000'");
        assertThat(problem("endpoint", "http://user:pw@host")).contains("must not carry credentials");
        assertThat(problem("region", "US East")).contains("region must look like us-east-1");
        assertThat(problem("storageClass", "COLD")).contains("storageClass");
        assertThat(problem("sseKmsKeyId", "alias/k")).contains("sseKmsKeyId needs serverSideEncryption=aws:kms");
        assertThat(problem("sseKmsKeyId", "alias/k", "serverSideEncryption", "AES256")).contains("sseKmsKeyId needs");
        assertThat(problem("serverSideEncryption", "rot13")).contains("serverSideEncryption");
        assertThat(problem("acl", "everyone")).contains("acl");
        String key = java.util.Base64.getEncoder().encodeToString(new byte[32]);
        assertThat(problem("sseCustomerKey", key, "serverSideEncryption", "AES256")).contains("give one");
        assertThat(problem("sseCustomerKey", "c2hvcnQ=")).contains("32 bytes (256 bits)").contains("has 5 bytes")
                .doesNotContain("c2hvcnQ=");
        assertThat(problem("sseCustomerKey", "not base64!")).contains("not Base64").doesNotContain("not base64!");
        assertThat(problem("listMetadata", "maybe")).contains("true or false");
        assertThat(problem("colour", "blue")).contains("unknown option 'colour'");
    }

    @Test
    void encryptionAndAclAreSentAsS3SpellsThem() {
        S3Settings s = S3Settings.from(provider.options().resolve(Map.of("serverSideEncryption", "AWS:KMS",
                "sseKmsKeyId", "alias/backup", "acl", "Bucket-Owner-Full-Control", "requesterPays", "true")));
        assertThat(s.serverSideEncryption()).isEqualTo("aws:kms");
        assertThat(s.sseKmsKeyId()).isEqualTo("alias/backup");
        assertThat(s.acl()).isEqualTo("bucket-owner-full-control");
        assertThat(s.requesterPays()).isTrue();
        S3Settings none = S3Settings.from(provider.options().resolve(Map.of()));
        assertThat(none.serverSideEncryption()).isNull();
        assertThat(none.acl()).isNull();
        assertThat(none.requesterPays()).isFalse();
        assertThat(none.customerKey()).isNull();
        String key = java.util.Base64.getEncoder().encodeToString(new byte[32]);
        Config withKey = provider.options().resolve(Map.of("sseCustomerKey", key));
        assertThat(S3Settings.from(withKey).customerKey()).hasToString("SSE-C key ****");
        assertThat(withKey.toString()).doesNotContain(key);
    }

    @Test
    void storageClassIsCaseInsensitive() {
        S3Settings s = S3Settings.from(provider.options().resolve(Map.of("storageClass", "standard_ia")));
        assertThat(s.storageClass()).isEqualTo("STANDARD_IA");
    }

    @Test
    void partsGrowForHugeObjects() {
        S3Settings s = S3Settings.from(provider.options().resolve(Map.of()));
        assertThat(S3Uploader.partSize("k", 100L << 30, s)).as("100 GiB fits 10,000 parts of 16 MiB")
                .isEqualTo(16L << 20);
        assertThat(S3Uploader.partSize("k", 500L << 30, s)).as("500 GiB needs bigger parts").isEqualTo(52L << 20)
                .isGreaterThanOrEqualTo((500L << 30) / 10_000);
        assertThat(assertFailsWith(ErrorKind.USER_CONFIG, "1 TiB within 96M of buffers",
                () -> S3Uploader.partSize("k", 1L << 40, s))).hasMessageContaining("raise bufferMemory");
        S3Settings more = S3Settings.from(provider.options().resolve(Map.of("bufferMemory", "256M")));
        assertThat(S3Uploader.partSize("k", 1L << 40, more)).isEqualTo(105L << 20);
    }

    @Test
    void locations() {
        assertThat(S3Location.parse("bucket")).isEqualTo(new S3Location("bucket", ""));
        assertThat(S3Location.parse("my.bucket-1/a/b/")).isEqualTo(new S3Location("my.bucket-1", "a/b/"));
        assertThat(S3Location.parse("//bucket/x")).isEqualTo(new S3Location("bucket", "x/"));
        assertThat(S3Location.parse("bucket/a/b").fullKey("c")).isEqualTo("a/b/c");
        assertThat(S3Location.parse("bucket/a/b").display()).isEqualTo("bucket/a/b");
        for (String bad : List.of("", "  ", "/", "ab", "Bucket", "bucket_", "-bucket", "b..b", "bucket/../x",
                "bucket/a//b", "x".repeat(64))) {
            assertFailsWith(ErrorKind.USER_CONFIG, "location '" + bad + "'", () -> S3Location.parse(bad));
        }
    }

    @Test
    void credentialsInALocationAreRefusedWithoutBeingRepeated() {
        String secret = java.util.UUID.randomUUID().toString();
        assertThat(assertFailsWith(ErrorKind.USER_CONFIG, "user info", () -> S3Location.parse("//id:" + secret
                + "@bucket/x"))).hasMessageContaining("accessKeyId").hasMessageContaining("s3:bucket")
                .hasMessageNotContaining(secret);
        assertThat(assertFailsWith(ErrorKind.USER_CONFIG, "presigned query", () -> S3Location.parse("bucket/k.bin"
                + "?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=id%2F20260101&X-Amz-Signature=" + secret)))
                .hasMessageContaining("presigned").hasMessageNotContaining(secret);
        assertThat(S3Location.parse("bucket/what?/x-amz-notes").prefix()).as("a '?' alone is a key character")
                .isEqualTo("what?/x-amz-notes/");
    }

    @Test
    void fullKeysOfMoreThan1024BytesAreRefusedBeforeTheyAreSent() {
        S3Location location = S3Location.parse("bucket/pre"); // the full key is "pre/" + key
        assertThat(location.keyProblem("k".repeat(1020))).isNull();
        assertThat(location.requireKey("a\\b")).isEqualTo("a\\b");
        assertThat(location.keyProblem("k".repeat(1021))).isEqualTo("the S3 key would have 1025 bytes in UTF-8,"
                + " S3 allows 1024");
        assertThat(location.keyProblem("\u00e9".repeat(511))).isEqualTo("the S3 key would have 1026 bytes in UTF-8,"
                + " S3 allows 1024");
        assertThat(location.keyProblem("../x")).contains("escapes the store root");
        assertFailsWith(ErrorKind.USER_DATA, "a 1025-byte key", () -> location.requireKey("k".repeat(1021)));
    }

    @Test
    void sameAccountNeedsSameEndpointAndCredentials() {
        S3Settings a = settings("endpoint", "http://127.0.0.1:9000", "accessKeyId", "k", "secretAccessKey", "s");
        assertThat(a.sameAccountAs(settings("endpoint", "http://127.0.0.1:9000", "accessKeyId", "k",
                "secretAccessKey", "s", "partSize", "32M"))).isTrue();
        assertThat(a.sameAccountAs(settings("endpoint", "http://localhost:9000", "accessKeyId", "k",
                "secretAccessKey", "s"))).isFalse();
        assertThat(a.sameAccountAs(settings("endpoint", "http://127.0.0.1:9000", "accessKeyId", "k",
                "secretAccessKey", "other"))).isFalse();
        assertThat(a.sameAccountAs(settings("endpoint", "http://127.0.0.1:9000", "profile", "k"))).isFalse();
    }

    private S3Settings settings(String... pairs) {
        Map<String, String> raw = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            raw.put(pairs[i], pairs[i + 1]);
        }
        return S3Settings.from(provider.options().resolve(raw));
    }

    private String problem(String... pairs) {
        return assertFailsWith(ErrorKind.USER_CONFIG, String.join("=", pairs), () -> settings(pairs)).getMessage();
    }
}
