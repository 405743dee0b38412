package dev.caravan.connector.s3;

import static dev.caravan.testkit.contract.ContractSupport.randomBytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import dev.caravan.api.journal.RunOutcome;
import dev.caravan.api.store.ByteRange;
import dev.caravan.api.store.ContentHeaders;
import dev.caravan.api.store.ObjectInfo;
import dev.caravan.api.store.PutRequest;
import dev.caravan.core.engine.EngineSettings;
import dev.caravan.core.engine.MigrationEngine;
import dev.caravan.core.engine.ProgressListener;
import dev.caravan.core.engine.RunResult;
import dev.caravan.core.plan.MigrationSpec;
import dev.caravan.testkit.http.FaultyProxy;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/**
 * An object's PUT, HEAD and GET sent without the SDK client's pipeline ({@link S3Direct}) against S3Proxy: on the
 * wire (counted by a forwarding {@link FaultyProxy}) a copy of small files into S3 costs one PUT per object and
 * nothing else on the objects, a copy out of S3 one HEAD and one GET; the object stored is the one the SDK client
 * stores (bytes, ETag, type, content headers, user metadata, odd keys), and HEAD and GET read back what the SDK
 * client reads (whole, ranged, past the end, missing, closed early); refusals are classified the same way.
 */
class S3DirectIT {
    private static final int N = 24;

    @TempDir
    Path home;
    @TempDir
    Path data;

    private final String bucket = S3It.newBucket("direct");
    private S3Client raw;

    @BeforeEach
    void setUp() {
        raw = S3It.rawClient();
    }

    @AfterEach
    void tearDown() {
        S3It.deleteBucket(raw, bucket);
        raw.close();
    }

    @Test
    void aCopyOfSmallFilesSendsOnePutPerObjectAndNothingElseOnTheObjects() throws IOException {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < N; i++) {
            String key = "dir" + (i % 3) + "/file-" + i + ".bin";
            Path f = data.resolve(key);
            Files.createDirectories(f.getParent());
            Files.write(f, randomBytes(1_000 + i * 2_500, i));
            keys.add(key);
        }
        WireRun run = throughWire(endpoint -> MigrationSpec.builder("local:" + data, "s3:" + bucket)
                .targetOptions(S3It.options("endpoint", endpoint)).build());
        assertThat(run.result().copied()).isEqualTo(N);
        Map<String, List<String>> byKey = onObjects(run.requestLines());
        for (String key : keys) {
            assertThat(byKey.get(key)).as("requests on %s", key).containsExactly("PUT");
        }
        for (String key : keys) { // the SDK's global interceptors are told of the direct PUTs too
            assertThat(RequestLog.onObjects("PUT", bucket)).as("seen by RequestLog").containsOnlyOnce(
                    "PUT /" + bucket + "/" + key);
        }
        for (String key : keys) { // what S3Proxy holds: the bytes, and our SHA-256 with them
            assertThat(raw.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray())
                    .isEqualTo(Files.readAllBytes(data.resolve(key)));
            assertThat(raw.headObject(b -> b.bucket(bucket).key(key)).metadata()).containsKey(S3Metadata.SHA256);
        }
    }

    @Test
    void storesTheSameObjectAsTheSdkClient() throws IOException {
        S3ObjectStore direct = S3It.open(bucket + "/direct");
        S3ObjectStore sdk = S3It.open(bucket + "/sdk", "directRequests", "false");
        try {
            assertThat(direct.direct()).isPresent();
            assertThat(sdk.direct()).isEmpty();
            byte[] bytes = randomBytes(40_000, 7);
            PutRequest full = new PutRequest(bytes.length, Instant.parse("2026-01-02T03:04:05Z"), "image/png",
                    Map.of("owner", "ana", "note", "caf\u00e9 \u00fcber"), -1, new ContentHeaders("max-age=60",
                            "attachment; filename=\"a b.png\"", "gzip", "de-CH"), Map.of());
            for (String key : List.of("odd/a b+c%25 \u00fc (1).png", "plain.bin", "empty")) {
                byte[] body = key.equals("empty") ? new byte[0] : bytes;
                PutRequest request = key.equals("odd/a b+c%25 \u00fc (1).png") ? full : PutRequest.ofSize(body.length);
                ObjectInfo a = direct.put(key, new ByteArrayInputStream(body), request);
                ObjectInfo b = sdk.put(key, new ByteArrayInputStream(body), request);
                assertThat(a.etag()).as("ETag of %s", key).isEqualTo(b.etag());
                assertThat(a.hashes()).isEqualTo(b.hashes());
                HeadObjectResponse ha = raw.headObject(r -> r.bucket(bucket).key("direct/" + key));
                HeadObjectResponse hb = raw.headObject(r -> r.bucket(bucket).key("sdk/" + key));
                for (Function<HeadObjectResponse, Object> field : List.<Function<HeadObjectResponse, Object>>of(
                        HeadObjectResponse::contentLength, HeadObjectResponse::eTag, HeadObjectResponse::contentType,
                        HeadObjectResponse::cacheControl, HeadObjectResponse::contentDisposition,
                        HeadObjectResponse::contentEncoding, HeadObjectResponse::contentLanguage,
                        HeadObjectResponse::metadata, HeadObjectResponse::storageClassAsString)) {
                    assertThat(field.apply(ha)).as("%s of %s", ha, key).isEqualTo(field.apply(hb));
                }
                assertThat(raw.getObjectAsBytes(r -> r.bucket(bucket).key("direct/" + key)).asByteArray())
                        .isEqualTo(body);
                if (request == full) {
                    assertThat(ha.cacheControl()).isEqualTo("max-age=60");
                    assertThat(direct.stat(key).orElseThrow().metadata()).isEqualTo(full.metadata());
                } else {
                    assertThat(ha.cacheControl()).as("no header the request did not ask for").isNull();
                }
                // read back: a direct HEAD and GET tell what the SDK client's tell, object by object
                ObjectInfo sa = direct.stat(key).orElseThrow();
                ObjectInfo sb = sdk.stat(key).orElseThrow();
                assertThat(sa).as("stat of %s", key).isEqualTo(sb);
                assertThat(readAll(direct, key, ByteRange.ALL)).isEqualTo(readAll(sdk, key, ByteRange.ALL))
                        .isEqualTo(body);
                assertThat(readAll(direct, key, new ByteRange(3, 100))).isEqualTo(readAll(sdk, key,
                        new ByteRange(3, 100)));
                assertThat(readAll(direct, key, ByteRange.from(body.length + 10))).isEmpty();
            }
            assertThat(direct.stat("missing")).isEmpty();
            assertThat(catchThrowableOfType(MigrationException.class, () -> direct.open("missing", ByteRange.ALL))
                    .kind()).isEqualTo(ErrorKind.NOT_FOUND);
            try (InputStream partly = direct.open("plain.bin", ByteRange.ALL)) {
                assertThat(partly.read(new byte[10])).isEqualTo(10); // closed early: the connection is dropped
            }
            assertThat(readAll(direct, "plain.bin", ByteRange.ALL)).as("read again after an early close")
                    .isEqualTo(bytes);
        } finally {
            direct.close();
            sdk.close();
        }
    }

    @Test
    void aCopyOutOfS3SendsOneHeadAndOneGetPerObject() throws IOException {
        List<String> keys = new ArrayList<>();
        raw.createBucket(r -> r.bucket(bucket));
        for (int i = 0; i < 6; i++) {
            String key = "in/obj-" + i + ".bin";
            byte[] body = randomBytes(500 + i * 3_000, 40 + i);
            raw.putObject(r -> r.bucket(bucket).key(key), software.amazon.awssdk.core.sync.RequestBody.fromBytes(body));
            keys.add(key);
        }
        Path out = data.resolve("out");
        WireRun run = throughWire(endpoint -> MigrationSpec.builder("s3:" + bucket, "local:" + out)
                .sourceOptions(S3It.options("endpoint", endpoint)).build());
        assertThat(run.result().copied()).isEqualTo(keys.size());
        Map<String, List<String>> byKey = onObjects(run.requestLines());
        for (String key : keys) {
            assertThat(byKey.get(key)).as("requests on %s", key).containsExactlyInAnyOrder("HEAD", "GET");
        }
        for (String key : keys) { // the SDK's global interceptors are told of the direct requests too
            assertThat(RequestLog.onObjects("HEAD", bucket)).containsOnlyOnce("HEAD /" + bucket + "/" + key);
            assertThat(RequestLog.onObjects("GET", bucket)).containsOnlyOnce("GET /" + bucket + "/" + key);
        }
        for (String key : keys) {
            assertThat(Files.readAllBytes(out.resolve(key)))
                    .isEqualTo(raw.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray());
        }
    }

    @Test
    void aServerSideCopyOfListedObjectsSendsOneCopyPerObjectAndNothingElse() throws IOException {
        raw.createBucket(r -> r.bucket(bucket));
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            String key = "obj " + i + (i % 2 == 0 ? "+ü%.bin" : ".bin");
            byte[] body = randomBytes(700 + i * 2_000, 60 + i);
            raw.putObject(r -> r.bucket(bucket).key("src/" + key).contentType("image/png")
                    .metadata(Map.of("owner", "ana")), software.amazon.awssdk.core.sync.RequestBody.fromBytes(body));
            keys.add(key);
        }
        WireRun run = throughWire(endpoint -> MigrationSpec.builder("s3:" + bucket + "/src", "s3:" + bucket + "/dst")
                .sourceOptions(S3It.options("endpoint", endpoint)).targetOptions(S3It.options("endpoint", endpoint))
                .build());
        assertThat(run.result().copied()).isEqualTo(keys.size());
        Map<String, List<String>> byKey = onObjects(run.requestLines());
        for (String key : keys) {
            String encoded = software.amazon.awssdk.utils.http.SdkHttpUtils.urlEncodeIgnoreSlashes(key);
            assertThat(byKey.get("src/" + encoded)).as("requests on the source %s (its listing told)", key).isNull();
            assertThat(byKey.get("dst/" + encoded)).as("requests on the copy %s", key).containsExactly("PUT");
            assertThat(RequestLog.onObjects("PUT", bucket)).as("seen by RequestLog")
                    .containsOnlyOnce("PUT /" + bucket + "/dst/" + encoded);
        }
        for (String key : keys) { // the bytes and the metadata travelled (MetadataDirective COPY)
            assertThat(raw.getObjectAsBytes(b -> b.bucket(bucket).key("dst/" + key)).asByteArray())
                    .isEqualTo(raw.getObjectAsBytes(b -> b.bucket(bucket).key("src/" + key)).asByteArray());
            HeadObjectResponse head = raw.headObject(b -> b.bucket(bucket).key("dst/" + key));
            assertThat(head.metadata()).containsEntry("owner", "ana");
            assertThat(head.contentType()).isEqualTo("image/png");
        }

        // conditional on the source's ETag: a source that changed since it was looked at is not copied
        S3ObjectStore store = S3It.open(bucket);
        try {
            ObjectInfo seen = store.stat("src/" + keys.get(1)).orElseThrow();
            ObjectInfo stale = new ObjectInfo(seen.key(), seen.size(), seen.modTime(), Map.of(),
                    "\"00000000000000000000000000000000\"", seen.contentType(), seen.metadata(), -1);
            MigrationException e = catchThrowableOfType(MigrationException.class,
                    () -> store.copy(store, stale, "late/" + keys.get(1)));
            assertThat(e.kind()).as(e.getMessage()).isEqualTo(ErrorKind.TRANSIENT);
            assertThat(store.stat("late/" + keys.get(1))).isEmpty();
        } finally {
            store.close();
        }
    }

    /** A migration's result and the request lines it sent. */
    private record WireRun(RunResult result, List<String> requestLines) {
    }

    /**
     * Runs, complete, the migration {@code spec} builds for an endpoint: a forwarding proxy in front of S3Proxy that
     * records the request lines ({@link RequestLog} is cleared first).
     */
    private WireRun throughWire(Function<String, MigrationSpec> spec) throws IOException {
        URI upstream = URI.create(S3It.endpoint());
        try (FaultyProxy wire = new FaultyProxy(upstream.getHost(), upstream.getPort(), n -> FaultyProxy.Fault.FORWARD);
                MigrationEngine engine = MigrationEngine.open(EngineSettings.defaults().withHome(home)
                        .withJournalUrl("jdbc:h2:file:" + home.resolve("journal")))) {
            RequestLog.clear();
            RunResult r = engine.run(spec.apply(wire.endpoint()), ProgressListener.NONE);
            assertThat(r.outcome()).as(r.toString()).isEqualTo(RunOutcome.COMPLETE);
            return new WireRun(r, List.copyOf(wire.requestLines()));
        }
    }

    /** Request methods by object key, from the request lines of the bucket's objects. */
    private Map<String, List<String>> onObjects(List<String> requestLines) {
        String prefix = " /" + bucket + "/";
        return requestLines.stream().filter(l -> l.contains(prefix))
                .collect(Collectors.groupingBy(l -> l.substring(l.indexOf(prefix) + prefix.length(),
                        l.lastIndexOf(' ')), Collectors.mapping(l -> l.substring(0, l.indexOf(' ')),
                        Collectors.toList())));
    }

    private static byte[] readAll(S3ObjectStore store, String key, ByteRange range) {
        try (InputStream in = store.open(key, range)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void partsSentWithTheirDigestsAreCheckedByTheServer() throws Exception {
        S3ObjectStore store = S3It.open(bucket);
        try {
            assertThat(store.takesPartDigests()).isTrue();
            byte[] one = randomBytes(5 << 20, 7);
            byte[] two = randomBytes(1000, 8);
            java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
            String id = store.begin("parts/a b.bin", PutRequest.ofSize(one.length + two.length));
            var p1 = store.uploadPart("parts/a b.bin", id, 1, one, one.length, sha.digest(one));
            byte[] wrong = sha.digest(two);
            wrong[0] ^= 1;
            MigrationException refused = catchThrowableOfType(MigrationException.class,
                    () -> store.uploadPart("parts/a b.bin", id, 2, two, two.length, wrong));
            assertThat(refused.kind()).as(refused.getMessage()).isEqualTo(ErrorKind.TRANSIENT);
            assertThat(refused.getMessage()).contains("XAmzContentSHA256Mismatch");
            var p2 = store.uploadPart("parts/a b.bin", id, 2, two, two.length, sha.digest(two));
            store.complete("parts/a b.bin", id, java.util.List.of(p1, p2));
            byte[] stored = raw.getObjectAsBytes(r -> r.bucket(bucket).key("parts/a b.bin")).asByteArray();
            byte[] expected = java.util.Arrays.copyOf(one, one.length + two.length);
            System.arraycopy(two, 0, expected, one.length, two.length);
            assertThat(stored).isEqualTo(expected);
        } finally {
            store.close();
        }
    }

    @Test
    void refusalsAreClassifiedAsThroughTheSdkClient() {
        S3ObjectStore direct = S3It.open(bucket);
        S3ObjectStore sdk = S3It.open(bucket, "directRequests", "false");
        try {
            S3It.deleteBucket(raw, bucket); // behind the stores' backs
            byte[] body = randomBytes(100, 1);
            MigrationException a = catchThrowableOfType(MigrationException.class,
                    () -> direct.put("k", new ByteArrayInputStream(body), PutRequest.ofSize(body.length)));
            MigrationException b = catchThrowableOfType(MigrationException.class,
                    () -> sdk.put("k", new ByteArrayInputStream(body), PutRequest.ofSize(body.length)));
            assertThat(a.kind()).isEqualTo(ErrorKind.USER_CONFIG).isEqualTo(b.kind());
            assertThat(a.getMessage()).isEqualTo(b.getMessage()).contains("does not exist");
        } finally {
            direct.close();
            sdk.close();
            raw.createBucket(r -> r.bucket(bucket)); // for tearDown
        }
    }
}
