package dev.caravan.connector.s3;

import static dev.caravan.testkit.contract.ContractSupport.assertFailsWith;
import static dev.caravan.testkit.contract.ContractSupport.assertSameBytes;
import static dev.caravan.testkit.contract.ContractSupport.keys;
import static dev.caravan.testkit.contract.ContractSupport.randomBytes;
import static dev.caravan.testkit.contract.ContractSupport.read;
import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.journal.RunOutcome;
import dev.caravan.api.store.ByteRange;
import dev.caravan.api.store.HashType;
import dev.caravan.api.store.MultipartUpload;
import dev.caravan.api.store.MultipartUpload.Part;
import dev.caravan.api.store.ObjectInfo;
import dev.caravan.api.store.PutRequest;
import dev.caravan.api.store.UnfinishedUploads;
import dev.caravan.core.engine.EngineSettings;
import dev.caravan.core.engine.MigrationEngine;
import dev.caravan.core.engine.ProgressListener;
import dev.caravan.core.engine.RunResult;
import dev.caravan.core.plan.MigrationSpec;
import dev.caravan.testkit.http.FaultyProxy;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Multipart uploads against S3Proxy, with 5 MiB parts so that a few MiB make several parts: streamed puts of unknown
 * size, large known sizes over plain HTTP, a failing source (upload aborted, nothing published), the
 * {@link MultipartUpload} capability with a resume from another store instance, repeated parts, abort, the
 * clean-up of orphaned uploads, and a part damaged on the wire: over plain HTTP parts carry no Content-MD5, the SDK
 * signs each part's SHA-256 ({@code x-amz-content-sha256}), S3Proxy refuses the damaged one and it is sent again.
 */
class S3MultipartIT {
    private static final int MIB = 1 << 20;
    private static S3Client raw;
    private String bucket;
    private S3ObjectStore store;

    @BeforeAll
    static void client() {
        raw = S3It.rawClient();
    }

    @AfterAll
    static void closeClient() {
        raw.close();
    }

    @BeforeEach
    void open() {
        bucket = S3It.newBucket("multipart");
        store = open("root");
    }

    private S3ObjectStore open(String prefix) {
        return S3It.open(bucket + "/" + prefix, "partSize", "5M", "multipartThreshold", "8M", "uploadConcurrency",
                "3", "bufferMemory", "12M");
    }

    @AfterEach
    void drop() {
        S3It.close(store);
        S3It.deleteBucket(raw, bucket);
    }

    @Test
    void aPartDamagedOnTheWayIsRefusedBySignedSha256AndSentAgain(@TempDir Path home, @TempDir Path data)
            throws Exception {
        byte[] bytes = randomBytes(12 * MIB + 5, 31);
        Files.write(data.resolve("big.bin"), bytes);
        try (FaultyProxy wire = forwarding().corruptFirst(line -> line.startsWith("PUT ")
                        && line.contains("partNumber=2"));
                MigrationEngine engine = engine(home)) {
            RunResult r = engine.run(throughWire(data, "wire", wire), ProgressListener.NONE);

            assertThat(r.outcome()).as(r.toString()).isEqualTo(RunOutcome.COMPLETE);
            assertThat(wire.corrupted()).as("one part was damaged on the way").isEqualTo(1);
            List<List<String>> parts = wire.requestHeads().stream()
                    .filter(h -> h.get(0).startsWith("PUT ") && h.get(0).contains("partNumber=")).toList();
            assertThat(parts).as("the damaged part was sent again (the retry of the object starts a new upload)")
                    .filteredOn(h -> h.get(0).contains("partNumber=2&")).hasSizeGreaterThanOrEqualTo(2);
            for (List<String> head : parts) {
                assertThat(head).as("no Content-MD5 over plain HTTP: %s", head.get(0))
                        .noneMatch(h -> h.toLowerCase(Locale.ROOT).startsWith("content-md5:"));
                assertThat(head).as("the part's SHA-256 is signed: %s", head.get(0))
                        .anyMatch(h -> h.toLowerCase(Locale.ROOT).matches("x-amz-content-sha256: *[0-9a-f]{64}"));
            }
        }
        assertStored("wire/big.bin", bytes);
    }

    @Test
    void aSmallObjectDamagedOnTheWayIsRefusedAndSentAgain(@TempDir Path home, @TempDir Path data)
            throws Exception {
        byte[] bytes = randomBytes(300_000, 33);
        Files.write(data.resolve("small.bin"), bytes);
        try (FaultyProxy wire = forwarding().corruptFirst(line -> line.startsWith("PUT ")
                        && line.contains("/small.bin"));
                MigrationEngine engine = engine(home)) {
            RunResult r = engine.run(throughWire(data, "wire", wire), ProgressListener.NONE);

            assertThat(r.outcome()).as(r.toString()).isEqualTo(RunOutcome.COMPLETE);
            assertThat(wire.corrupted()).as("the PUT was damaged on the way").isEqualTo(1);
            List<List<String>> puts = wire.requestHeads().stream()
                    .filter(h -> h.get(0).startsWith("PUT ") && h.get(0).contains("/small.bin")).toList();
            assertThat(puts).as("sent again after the server refused the damaged bytes").hasSizeGreaterThanOrEqualTo(2);
            for (List<String> head : puts) {
                assertThat(head).as("Content-MD5, a signed header: %s", head.get(0))
                        .anyMatch(h -> h.toLowerCase(Locale.ROOT).startsWith("content-md5:"))
                        .anyMatch(h -> h.toLowerCase(Locale.ROOT).startsWith("authorization:")
                                && h.toLowerCase(Locale.ROOT).contains("content-md5"));
                assertThat(head).as("and the payload's SHA-256, signed: %s", head.get(0))
                        .anyMatch(h -> h.toLowerCase(Locale.ROOT).matches("x-amz-content-sha256: *[0-9a-f]{64}"));
            }
        }
        assertStored("wire/small.bin", bytes);
    }

    @Test
    void largeLocalFilesArriveWithOurSha256AndAreNeverCopiedOnTheServer(@TempDir Path home, @TempDir Path data)
            throws Exception {
        byte[] mid = randomBytes(12 * MIB + 5, 41); // above partSize: the store sends it in parts
        byte[] big = randomBytes(65 * MIB, 42); // 64 MiB and up: the engine's own multipart upload
        Files.write(data.resolve("mid.bin"), mid);
        Files.write(data.resolve("big.bin"), big);
        try (FaultyProxy wire = forwarding(); MigrationEngine engine = engine(home)) {
            MigrationSpec spec = throughWire(data, "first", wire);
            RunResult r = engine.run(spec, ProgressListener.NONE);

            assertThat(r.outcome()).as(r.toString()).isEqualTo(RunOutcome.COMPLETE);
            assertThat(wire.requestHeads()).as("no CopyObject to add our SHA-256 after the upload")
                    .noneMatch(head -> head.stream().anyMatch(h -> h.toLowerCase(Locale.ROOT)
                            .startsWith("x-amz-copy-source")));
            assertThat(wire.requestHeads()).filteredOn(head -> head.get(0).startsWith("POST ") && !head.get(0).contains(".caravan-probe-")
                    && head.get(0).contains("?uploads")).as("both went up in parts").hasSize(2);
            assertThat(engine.verify(spec).clean()).isTrue();
        }
        for (Map.Entry<String, byte[]> e : Map.of("first/mid.bin", mid, "first/big.bin", big).entrySet()) {
            assertThat(raw.headObject(b -> b.bucket(bucket).key(e.getKey())).metadata())
                    .containsEntry("caravan-sha256", S3KeysAndMetadataIT.sha256(e.getValue()));
            assertStored(e.getKey(), e.getValue());
        }
    }

    /** The object S3Proxy holds under {@code key} is {@code expected}: streamed and compared, not held in memory. */
    private void assertStored(String key, byte[] expected) throws IOException {
        try (InputStream stored = raw.getObject(b -> b.bucket(bucket).key(key))) {
            assertSameBytes(stored, expected, "the object S3Proxy holds as " + key);
        }
    }

    /** A proxy in front of S3Proxy that forwards everything and records the request heads. */
    private static FaultyProxy forwarding() throws IOException {
        URI upstream = URI.create(S3It.endpoint());
        return new FaultyProxy(upstream.getHost(), upstream.getPort(), n -> FaultyProxy.Fault.FORWARD);
    }

    private static MigrationEngine engine(Path home) {
        return MigrationEngine.open(EngineSettings.defaults().withHome(home)
                .withJournalUrl("jdbc:h2:file:" + home.resolve("journal")));
    }

    /** The local directory to {@code prefix} in this test's bucket, through {@code wire}: 5 MiB parts from 8 MiB. */
    private MigrationSpec throughWire(Path data, String prefix, FaultyProxy wire) {
        return MigrationSpec.builder("local:" + data, "s3:" + bucket + "/" + prefix)
                .targetOptions(S3It.options("endpoint", wire.endpoint(), "partSize", "5M", "multipartThreshold", "8M"))
                .build();
    }

    @Test
    void unknownSizeSpansSeveralPartsWithinTheMemoryBound() {
        byte[] data = randomBytes(23 * MIB + 123, 21);
        long free = store.buffers().available();
        ObjectInfo info = store.put("big/unknown", new ByteArrayInputStream(data),
                new PutRequest(-1, Instant.ofEpochMilli(1_234_567_890_123L), "application/x-test", Map.of("k", "v"),
                        -1));
        assertThat(info.size()).isEqualTo(data.length);
        assertThat(info.hash(HashType.SHA256)).contains(S3KeysAndMetadataIT.sha256(data));
        assertSameBytes(read(store, "big/unknown", ByteRange.ALL), data, "big/unknown");
        assertSameBytes(read(store, "big/unknown", new ByteRange(5 * MIB - 10, 20)),
                Arrays.copyOfRange(data, 5 * MIB - 10, 5 * MIB + 10), "across a part boundary");
        ObjectInfo stat = store.stat("big/unknown").orElseThrow();
        assertThat(stat.modTime()).isEqualTo(Instant.ofEpochMilli(1_234_567_890_123L));
        assertThat(stat.contentType()).isEqualTo("application/x-test");
        assertThat(stat.metadata()).isEqualTo(Map.of("k", "v"));
        assertThat(store.buffers().available()).as("every part buffer given back").isEqualTo(free);
        assertThat(pendingUploads()).isEmpty();
    }

    @Test
    void knownSizeAboveTheThresholdGoesInParts() {
        byte[] data = randomBytes(12 * MIB + 5, 22);
        ObjectInfo info = store.put("big/known", new ByteArrayInputStream(data), PutRequest.ofSize(data.length));
        assertThat(info.size()).isEqualTo(data.length);
        assertThat(info.etag()).as("ETag of a completed multipart upload").contains("-3");
        assertThat(info.hash(HashType.SHA256)).contains(S3KeysAndMetadataIT.sha256(data));
        assertSameBytes(read(store, "big/known", ByteRange.ALL), data, "big/known");
        // an object of unknown size that fits one part goes up with one PUT
        byte[] small = randomBytes(3 * MIB, 23);
        ObjectInfo one = store.put("small/unknown", new ByteArrayInputStream(small), PutRequest.ofSize(-1));
        assertThat(one.etag()).doesNotContain("-");
        assertSameBytes(read(store, "small/unknown", ByteRange.ALL), small, "small/unknown");
    }

    @Test
    void aFailingSourceAbortsTheUploadAndPublishesNothing() {
        InputStream failing = new InputStream() {
            private final InputStream data = new ByteArrayInputStream(randomBytes(12 * MIB, 24));

            @Override
            public int read() throws IOException {
                int b = data.read();
                if (b < 0) {
                    throw new IOException("source broke after 12 MiB");
                }
                return b;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = data.read(b, off, len);
                if (n < 0) {
                    throw new IOException("source broke after 12 MiB");
                }
                return n;
            }
        };
        assertThat(assertFailsWith(ErrorKind.TRANSIENT, "put from a failing source",
                () -> store.put("broken", failing, PutRequest.ofSize(-1)))).hasMessageContaining("source broke");
        assertThat(store.stat("broken")).isEmpty();
        assertThat(pendingUploads()).as("the failed upload was aborted").isEmpty();
        byte[] declared = randomBytes(9 * MIB, 25);
        assertFailsWith(ErrorKind.TRANSIENT, "put with fewer bytes than declared", () -> store.put("short",
                new ByteArrayInputStream(declared), PutRequest.ofSize(declared.length + 1)));
        assertThat(store.stat("short")).isEmpty();
        assertThat(pendingUploads()).isEmpty();
    }

    @Test
    void capabilityResumesFromAnotherStoreInstance() {
        MultipartUpload mpu = store.capability(MultipartUpload.class).orElseThrow();
        assertThat(mpu.minPartSize()).isEqualTo(5 * MIB);
        assertThat(mpu.verifiesParts()).isTrue();
        byte[] data = randomBytes(2 * 5 * MIB + 1234, 26);
        Instant mtime = Instant.parse("2020-02-02T02:02:02.202Z");
        String id = mpu.begin("resumed/object.bin", new PutRequest(data.length, mtime, "application/octet-stream",
                Map.of("origin", "test"), -1));
        Part one = mpu.uploadPart("resumed/object.bin", id, 1, slice(data, 0, 5 * MIB), 5 * MIB);
        assertThat(one).extracting(Part::number, Part::size).containsExactly(1, (long) 5 * MIB);
        mpu.uploadPart("resumed/object.bin", id, 2, new ByteArrayInputStream(randomBytes(5 * MIB, 99)), 5 * MIB);
        store.close();

        store = open("root"); // "after a restart": the engine has the upload id from its journal
        MultipartUpload again = store.capability(MultipartUpload.class).orElseThrow();
        List<Part> listed = again.listParts("resumed/object.bin", id);
        assertThat(listed).extracting(Part::number).containsExactly(1, 2);
        assertThat(listed).extracting(Part::size).containsExactly((long) 5 * MIB, (long) 5 * MIB);
        // part 2 held the wrong bytes: sending it again replaces it
        Part two = again.uploadPart("resumed/object.bin", id, 2, slice(data, 5 * MIB, 5 * MIB), 5 * MIB);
        // from a caller's buffer that holds more than the part (a reused engine buffer): only its first bytes go
        byte[] reused = Arrays.copyOf(Arrays.copyOfRange(data, 10 * MIB, data.length), 64 * 1024);
        Arrays.fill(reused, 1234, reused.length, (byte) 0x5a);
        Part three = again.uploadPart("resumed/object.bin", id, 3, reused, 1234);
        assertThat(three.size()).isEqualTo(1234);
        List<Part> parts = new ArrayList<>(List.of(three, listed.get(0), two));
        ObjectInfo done = again.complete("resumed/object.bin", id, parts);
        assertThat(done.size()).isEqualTo(data.length);
        assertThat(done.modTime()).isEqualTo(mtime);
        assertThat(done.metadata()).isEqualTo(Map.of("origin", "test"));
        assertSameBytes(read(store, "resumed/object.bin", ByteRange.ALL), data, "resumed object");
        assertThat(pendingUploads()).isEmpty();
    }

    @Test
    void partsLargerThanPartSizeAreSpooledAndChecked() {
        byte[] data = randomBytes(6 * MIB + 77, 27);
        String id = store.begin("spooled", PutRequest.ofSize(data.length));
        Part part = store.uploadPart("spooled", id, 1, new ByteArrayInputStream(data), data.length);
        assertThat(part.size()).isEqualTo(data.length);
        store.complete("spooled", id, List.of(part));
        assertSameBytes(read(store, "spooled", ByteRange.ALL), data, "spooled");
        String id2 = store.begin("short-part", PutRequest.ofSize(-1));
        assertFailsWith(ErrorKind.TRANSIENT, "a part with fewer bytes than announced", () -> store.uploadPart(
                "short-part", id2, 1, new ByteArrayInputStream(new byte[10]), 11));
        store.abort("short-part", id2);
    }

    /**
     * The answer of a completion lost (a connection dropped), the completion is sent again: the upload is gone, the
     * object is there, and it is taken (S3Proxy gives it the MD5 of the whole, not the ETag the parts make).
     */
    @Test
    void aCompletionSentAgainAfterItsAnswerWasLostTakesTheObject() {
        byte[] data = randomBytes(5 * MIB + 3, 31);
        String id = store.begin("twice", PutRequest.ofSize(data.length));
        Part p1 = store.uploadPart("twice", id, 1, new ByteArrayInputStream(data, 0, 5 * MIB), 5 * MIB);
        Part p2 = store.uploadPart("twice", id, 2, new ByteArrayInputStream(data, 5 * MIB, 3), 3);
        ObjectInfo first = store.complete("twice", id, List.of(p1, p2));

        ObjectInfo again = store.complete("twice", id, List.of(p1, p2));

        assertThat(again.size()).isEqualTo(data.length);
        assertThat(again.etag()).isEqualTo(first.etag());
        assertSameBytes(read(store, "twice", ByteRange.ALL), data, "twice");
        assertFailsWith(ErrorKind.NOT_FOUND, "a completion of parts that are not the object's",
                () -> store.complete("twice", id, List.of(p1)));
    }

    @Test
    void abortDiscardsTheUploadAndIsIdempotent() {
        String id = store.begin("aborted", PutRequest.ofSize(-1));
        store.uploadPart("aborted", id, 1, new ByteArrayInputStream(randomBytes(5 * MIB, 28)), 5 * MIB);
        assertThat(pendingUploads()).hasSize(1);
        store.abort("aborted", id);
        store.abort("aborted", id);
        assertThat(pendingUploads()).isEmpty();
        // S3 answers NoSuchUpload (NOT_FOUND); S3Proxy answers with an empty list of parts
        List<Part> after = null;
        try {
            after = store.listParts("aborted", id);
        } catch (dev.caravan.api.error.MigrationException e) {
            assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND);
        }
        assertThat(after == null || after.isEmpty()).as("parts left after abort: %s", after).isTrue();
        assertThat(store.stat("aborted")).isEmpty();
        assertThat(keys(store, "")).isEmpty();
    }

    @Test
    void unfinishedUploadsUnderThePrefixAreListedAndAborted() {
        String a = store.begin("orphan/a", PutRequest.ofSize(-1));
        store.uploadPart("orphan/a", a, 1, new ByteArrayInputStream(new byte[100]), 100);
        String b = store.begin("orphan/b", PutRequest.ofSize(-1));
        String outside = raw.createMultipartUpload(r -> r.bucket(bucket).key("elsewhere/c")).uploadId();

        List<UnfinishedUploads.Upload> found = store.unfinished();
        assertThat(found).extracting(UnfinishedUploads.Upload::key).containsExactlyInAnyOrder("orphan/a", "orphan/b");
        assertThat(found).extracting(UnfinishedUploads.Upload::id).containsExactlyInAnyOrder(a, b);
        assertThat(found).allSatisfy(u -> assertThat(u.started()).isNotNull());
        found.forEach(store::abort);
        store.abort(found.get(0)); // gone already: not an error
        assertThat(store.unfinished()).isEmpty();
        assertThat(pendingUploads()).extracting(software.amazon.awssdk.services.s3.model.MultipartUpload::uploadId)
                .containsExactly(outside);
    }

    /**
     * Another tool's upload may have a key Caravan would never write (a folder marker such as {@code dir/}): the
     * clean-up must still abort it, and not stop there (it did: the key was refused as for a write).
     */
    @Test
    void unfinishedUploadsWithKeysCaravanWouldNotWriteAreAborted() {
        for (String key : List.of("dir/", "sub/dir/")) {
            raw.createMultipartUpload(r -> r.bucket(bucket).key("root/" + key));
        }
        List<UnfinishedUploads.Upload> found = store.unfinished();
        assertThat(found).extracting(UnfinishedUploads.Upload::key).containsExactlyInAnyOrder("dir/", "sub/dir/");

        found.forEach(store::abort);

        assertThat(store.unfinished()).isEmpty();
        assertThat(pendingUploads()).isEmpty();
    }

    private List<software.amazon.awssdk.services.s3.model.MultipartUpload> pendingUploads() {
        return raw.listMultipartUploads(r -> r.bucket(bucket)).uploads();
    }

    private static InputStream slice(byte[] data, int from, int length) {
        return new ByteArrayInputStream(data, from, length);
    }

}
