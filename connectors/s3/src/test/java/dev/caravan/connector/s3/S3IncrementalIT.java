package dev.caravan.connector.s3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.api.store.HashType;
import dev.caravan.api.journal.RunOutcome;
import dev.caravan.api.store.ObjectInfo;
import dev.caravan.api.verify.VerificationOutcome;
import dev.caravan.api.verify.VerificationReport;
import dev.caravan.core.engine.EngineSettings;
import dev.caravan.core.engine.MigrationEngine;
import dev.caravan.core.engine.ProgressListener;
import dev.caravan.core.engine.RunResult;
import dev.caravan.core.plan.MigrationSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The no-change rerun through the real engine against S3Proxy, counted request by request ({@link RequestLog}): after
 * a verified copy, a rerun decides from ListObjectsV2 and the journal alone (no HEAD per object, on either side); an
 * object overwritten behind Caravan's back with the same size is looked at and copied again; an S3 source is HEADed
 * once per copied object (by the copy), not also by the listing.
 */
class S3IncrementalIT {
    private static final int N = 30;

    @TempDir
    Path home;
    @TempDir
    Path data;

    private final String bucket = S3It.newBucket("rerun");
    private final String copyBucket = S3It.newBucket("rerun-copy");
    private S3Client raw;
    private MigrationEngine engine;

    @BeforeEach
    void setUp() throws IOException {
        raw = S3It.rawClient();
        for (int i = 0; i < N; i++) {
            Path f = data.resolve("dir/file-" + (100 + i) + ".txt");
            Files.createDirectories(f.getParent());
            Files.writeString(f, "content of file " + (100 + i));
        }
        engine = MigrationEngine.open(EngineSettings.defaults().withHome(home)
                .withJournalUrl("jdbc:h2:file:" + home.resolve("journal")));
    }

    @AfterEach
    void tearDown() {
        engine.close();
        S3It.deleteBucket(raw, bucket);
        S3It.deleteBucket(raw, copyBucket);
        raw.close();
    }

    @Test
    void rerunIntoS3SendsNoHeadPerObjectAndRecopiesAnObjectChangedBehindItsBack() throws IOException {
        MigrationSpec spec = MigrationSpec.builder("local:" + data, "s3:" + bucket).targetOptions(S3It.options())
                .retryBaseDelay(Duration.ofMillis(10)).build();
        assertThat(run(spec).copied()).isEqualTo(N);

        RequestLog.clear();
        RunResult rerun = run(spec);
        assertThat(rerun.copied()).isZero();
        assertThat(rerun.plan().sameCount()).isEqualTo(N);
        assertThat(RequestLog.onObjects("HEAD", bucket)).as("HEADs of objects in a no-change rerun").isEmpty();
        assertThat(RequestLog.onObjects("PUT", bucket)).isEmpty();

        String key = "dir/file-107.txt";
        String other = "CONTENT OF FILE 107";
        assertThat(other.length()).isEqualTo(Files.size(data.resolve(key)));
        raw.putObject(r -> r.bucket(bucket).key(key), RequestBody.fromString(other)); // same size, new ETag
        RequestLog.clear();
        RunResult third = run(spec);
        assertThat(third.copied()).isEqualTo(1);
        assertThat(third.plan().replaceCount()).isEqualTo(1);
        assertThat(raw.getObjectAsBytes(r -> r.bucket(bucket).key(key)).asString(StandardCharsets.UTF_8))
                .isEqualTo(Files.readString(data.resolve(key)));
        assertThat(RequestLog.onObjects("HEAD", bucket)).as("only the changed object is looked at").isNotEmpty()
                .allMatch(r -> r.endsWith("/dir/file-107.txt"));
    }

    @Test
    void rerunAndVerificationAfterACopyWithALargeObjectSendNoHeadPerObject() throws IOException {
        byte[] big = new byte[65 << 20]; // 64 MiB and up: the engine's own multipart upload
        new java.util.Random(5).nextBytes(big);
        Files.write(data.resolve("big.bin"), big);
        MigrationSpec spec = MigrationSpec.builder("local:" + data, "s3:" + bucket).targetOptions(S3It.options())
                .build();
        assertThat(run(spec).copied()).isEqualTo(N + 1);

        RequestLog.clear();
        RunResult rerun = run(spec);
        VerificationReport verified = engine.verify(spec);

        assertThat(rerun.copied()).isZero();
        assertThat(verified.clean()).as(verified.toString()).isTrue();
        assertThat(verified.count(VerificationOutcome.MATCH)).isEqualTo(N + 1);
        assertThat(RequestLog.onObjects("HEAD", bucket)).as("HEADs of objects in a rerun and a verification")
                .isEmpty();
        assertThat(RequestLog.onObjects("GET", bucket)).as("objects read back (the store's tagging probe aside)")
                .filteredOn(r -> !r.endsWith("/.caravan-tagging-probe")).isEmpty();
    }

    @Test
    void aServerSideCopyFromAListedSourceSendsOneRequestPerObjectAndTheRerunNone() {
        MigrationSpec toS3 = MigrationSpec.builder("local:" + data, "s3:" + bucket).targetOptions(S3It.options())
                .build();
        run(toS3);
        MigrationSpec s3ToS3 = MigrationSpec.builder("s3:" + bucket, "s3:" + copyBucket + "/copy")
                .sourceOptions(S3It.options()).targetOptions(S3It.options()).retryBaseDelay(Duration.ofMillis(10))
                .build();

        RequestLog.clear();
        RunResult copied = run(s3ToS3);
        assertThat(copied.copied()).isEqualTo(N);
        assertThat(copied.verification().count(VerificationOutcome.MATCH)).isEqualTo(N);
        assertThat(RequestLog.onObjects("HEAD", bucket)).as("no look at a source its listing described").isEmpty();
        assertThat(RequestLog.onObjects("HEAD", copyBucket)).as("nor at a copy its answer proved").isEmpty();
        assertThat(RequestLog.onObjects("PUT", copyBucket)).filteredOn(r -> r.contains("/copy/dir/"))
                .as("one CopyObject per object (besides the preflight's write probe)").hasSize(N);
        try (S3ObjectStore copies = S3It.open(copyBucket + "/copy")) {
            ObjectInfo one = copies.stat("dir/file-100.txt").orElseThrow();
            assertThat(one.hash(HashType.SHA256)).as("our SHA-256 travelled with the copy's metadata").isPresent();
        }

        RequestLog.clear();
        RunResult rerun = run(s3ToS3);
        assertThat(rerun.copied()).isZero();
        assertThat(RequestLog.onObjects("HEAD", bucket)).isEmpty();
        assertThat(RequestLog.onObjects("HEAD", copyBucket)).isEmpty();
    }

    @Test
    void quickListingHasTheKeysSizesAndEtagsOfTheFullListingWithoutHeads() {
        run(MigrationSpec.builder("local:" + data, "s3:" + bucket).targetOptions(S3It.options()).build());
        S3ObjectStore store = S3It.open(bucket);
        try (Stream<ObjectInfo> quick = store.listQuick("dir/");
                Stream<ObjectInfo> full = store.list("dir/")) {
            RequestLog.clear();
            List<ObjectInfo> q = quick.toList();
            assertThat(RequestLog.onObjects("HEAD", bucket)).isEmpty();
            List<ObjectInfo> f = full.toList();
            assertThat(q).extracting(ObjectInfo::key).hasSize(N)
                    .containsExactlyElementsOf(f.stream().map(ObjectInfo::key).toList());
            assertThat(q).extracting(ObjectInfo::size).containsExactlyElementsOf(f.stream().map(ObjectInfo::size)
                    .toList());
            assertThat(q).extracting(ObjectInfo::etag).containsExactlyElementsOf(f.stream().map(ObjectInfo::etag)
                    .toList());
            assertThat(q).allMatch(o -> o.hashes().isEmpty(), "no stored hashes without a HEAD");
        } finally {
            store.close();
        }
    }

    private RunResult run(MigrationSpec spec) {
        RunResult r = engine.run(spec, ProgressListener.NONE);
        assertThat(r.outcome()).as(r.toString()).isEqualTo(RunOutcome.COMPLETE);
        return r;
    }
}
