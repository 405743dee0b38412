package dev.caravan.connector.s3;

import static dev.caravan.testkit.contract.ContractSupport.assertFailsWith;
import static dev.caravan.testkit.contract.ContractSupport.assertSameBytes;
import static dev.caravan.testkit.contract.ContractSupport.randomBytes;
import static dev.caravan.testkit.contract.ContractSupport.read;
import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.store.ByteRange;
import dev.caravan.api.store.ContentHeaders;
import dev.caravan.api.store.HashType;
import dev.caravan.api.store.MetadataWrite;
import dev.caravan.api.store.ObjectInfo;
import dev.caravan.api.store.PutRequest;
import dev.caravan.api.store.ServerSideCopy;
import dev.caravan.testkit.http.FaultyProxy;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URI;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Server-side copy and metadata writes against S3Proxy: CopyObject between buckets and prefixes of one endpoint,
 * UploadPartCopy above the multipart-copy threshold, the UNSUPPORTED answer (and the streamed fallback) for a
 * source the server cannot reach, and {@link MetadataWrite} keeping type, metadata and time.
 */
class S3CopyIT {
    private static final int MIB = 1 << 20;
    private static final Instant MTIME = Instant.parse("2018-01-02T03:04:05.678Z");
    private static S3Client raw;
    private String sourceBucket;
    private String targetBucket;
    private S3ObjectStore source;
    private S3ObjectStore target;

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
        sourceBucket = S3It.newBucket("copy-src");
        targetBucket = S3It.newBucket("copy-dst");
        source = S3It.open(sourceBucket + "/from");
        target = S3It.open(targetBucket + "/to", "multipartCopyThreshold", "6M", "copyPartSize", "5M");
    }

    @AfterEach
    void drop() {
        S3It.close(source);
        S3It.close(target);
        S3It.deleteBucket(raw, sourceBucket);
        S3It.deleteBucket(raw, targetBucket);
    }

    @Test
    void copyObjectKeepsBytesMetadataAndTime() {
        byte[] data = randomBytes(300_000, 31);
        ObjectInfo src = put(source, "dir/object.bin", data);
        ServerSideCopy copier = target.capability(ServerSideCopy.class).orElseThrow();
        ObjectInfo copied = copier.copy(source, src, "copied/object.bin");
        assertThat(copied.key()).isEqualTo("copied/object.bin");
        assertThat(copied.size()).isEqualTo(data.length);
        assertThat(copied.modTime()).isEqualTo(MTIME);
        assertThat(copied.contentType()).isEqualTo("application/x-caravan");
        assertThat(copied.metadata()).isEqualTo(Map.of("team", "blue"));
        assertThat(copied.hash(HashType.SHA256)).isEqualTo(src.hash(HashType.SHA256))
                .contains(S3KeysAndMetadataIT.sha256(data));
        assertSameBytes(read(target, "copied/object.bin", ByteRange.ALL), data, "copied");
        assertThat(S3It.allKeys(raw, targetBucket)).containsExactly("to/copied/object.bin");
        // within one bucket, between prefixes
        try (S3ObjectStore sibling = S3It.open(sourceBucket + "/other")) {
            sibling.copy(source, src, "same-bucket");
            assertSameBytes(read(sibling, "same-bucket", ByteRange.ALL), data, "same bucket");
        }
    }

    @Test
    void aCopyProvenByItsEtagCostsOneRequest() throws Exception {
        byte[] data = randomBytes(50_000, 36);
        ObjectInfo src = put(source, "proven.bin", data);
        URI upstream = URI.create(S3It.endpoint());
        try (FaultyProxy proxy = new FaultyProxy(upstream.getHost(), upstream.getPort(), n -> FaultyProxy.Fault.FORWARD);
                S3ObjectStore from = S3It.open(sourceBucket + "/from", "endpoint", proxy.endpoint());
                S3ObjectStore to = S3It.open(targetBucket + "/to", "endpoint", proxy.endpoint())) {
            from.features(); // each store's tagging probe (a request of its opening, on a thread of its own) is done
            to.features();
            int before = proxy.requests();
            ObjectInfo copied = to.copy(from, src, "proven-copy.bin");
            assertThat(proxy.requests() - before).as("CopyObject only, no HEAD of the copy").isEqualTo(1);
            // what the answer claims is what the server holds
            ObjectInfo looked = to.stat("proven-copy.bin").orElseThrow();
            assertThat(copied.key()).isEqualTo("proven-copy.bin");
            assertThat(copied.size()).isEqualTo(looked.size()).isEqualTo(data.length);
            assertThat(copied.modTime()).isEqualTo(looked.modTime()).isEqualTo(MTIME);
            assertThat(copied.hashes()).isEqualTo(looked.hashes()).containsEntry(HashType.SHA256,
                    S3KeysAndMetadataIT.sha256(data));
            assertThat(copied.contentType()).isEqualTo(looked.contentType());
            assertThat(copied.metadata()).isEqualTo(looked.metadata()).isEqualTo(Map.of("team", "blue"));
            assertThat(copied.etag()).isEqualTo(looked.etag());
            // facts from a listing carry no MD5: the copy is looked at with a HEAD
            ObjectInfo listed = new ObjectInfo(src.key(), src.size(), null, Map.of(), src.etag(), null, Map.of(), -1);
            before = proxy.requests();
            ObjectInfo again = to.copy(from, listed, "listed-copy.bin");
            assertThat(proxy.requests() - before).as("CopyObject and a HEAD").isEqualTo(2);
            assertThat(again.metadata()).isEqualTo(Map.of("team", "blue"));
        }
        assertSameBytes(read(target, "proven-copy.bin", ByteRange.ALL), data, "proven copy");
    }

    @Test
    void aListedObjectIsCopiedWithOneRequestAndNoLookAtItsSource() throws Exception {
        byte[] data = randomBytes(40_000, 37);
        put(source, "listed.bin", data);
        put(source, "other.bin", randomBytes(10, 38));
        URI upstream = URI.create(S3It.endpoint());
        try (FaultyProxy proxy = new FaultyProxy(upstream.getHost(), upstream.getPort(), n -> FaultyProxy.Fault.FORWARD);
                S3ObjectStore from = S3It.open(sourceBucket + "/from", "endpoint", proxy.endpoint());
                S3ObjectStore to = S3It.open(targetBucket + "/to", "endpoint", proxy.endpoint())) {
            from.features();
            to.features();
            assertThat(to.copyListed(from, "listed.bin", "copy.bin")).as("not listed yet").isEmpty();
            assertThat(from.listQuick("").map(ObjectInfo::key)).containsExactly("listed.bin", "other.bin");
            int before = proxy.requests();

            ServerSideCopy.Copied copied = to.copyListed(from, "listed.bin", "copy.bin").orElseThrow();

            assertThat(proxy.requests() - before).as("CopyObject only: no HEAD of the source, nor of the copy")
                    .isEqualTo(1);
            ObjectInfo looked = to.stat("copy.bin").orElseThrow();
            assertThat(copied.copy().size()).isEqualTo(looked.size()).isEqualTo(data.length);
            assertThat(copied.copy().etag()).isEqualTo(looked.etag());
            assertThat(copied.copy().hash(HashType.MD5)).isEqualTo(looked.hash(HashType.MD5))
                    .isEqualTo(copied.source().hash(HashType.MD5)).isPresent();
            assertThat(looked.metadata()).as("metadata travel with the copy").isEqualTo(Map.of("team", "blue"));
            assertThat(looked.modTime()).isEqualTo(MTIME);
            assertThat(to.copyListed(from, "listed.bin", "again.bin")).as("listed facts are used once").isEmpty();
        }
        assertSameBytes(read(target, "copy.bin", ByteRange.ALL), data, "copy from a listing");
    }

    @Test
    void anObjectChangedSinceItWasListedIsNotCopiedFromTheListing() {
        put(source, "moving.bin", randomBytes(20_000, 39));
        assertThat(source.listQuick("").count()).isEqualTo(1);
        byte[] now = randomBytes(20_001, 40);
        put(source, "moving.bin", now);

        assertFailsWith(ErrorKind.TRANSIENT, "a copy conditional on the listed ETag",
                () -> target.copyListed(source, "moving.bin", "moved.bin"));
        assertThat(target.copyListed(source, "moving.bin", "moved.bin")).as("the retry looks at the source").isEmpty();
        ObjectInfo src = source.stat("moving.bin").orElseThrow();
        target.copy(source, src, "moved.bin");
        assertSameBytes(read(target, "moved.bin", ByteRange.ALL), now, "copy of the object as it is now");
    }

    @Test
    void largeObjectsAreCopiedInParts() {
        byte[] data = randomBytes(13 * MIB + 17, 32);
        ObjectInfo src = put(source, "large.bin", data);
        ObjectInfo copied = target.copy(source, src, "large-copy.bin");
        assertThat(copied.size()).isEqualTo(data.length);
        assertThat(copied.modTime()).isEqualTo(MTIME);
        assertThat(copied.metadata()).isEqualTo(Map.of("team", "blue"));
        assertThat(copied.contentType()).isEqualTo("application/x-caravan");
        assertSameBytes(read(target, "large-copy.bin", ByteRange.ALL), data, "large copy");
        assertThat(raw.listMultipartUploads(r -> r.bucket(targetBucket)).uploads()).isEmpty();
    }

    @Test
    void aCopyWithOtherAttributesReplacesThemAndKeepsTimeAndDigest() {
        PutRequest changed = new PutRequest(-1, null, "text/csv", Map.of("owner", "ann"), -1,
                new ContentHeaders("max-age=9", null, null, "de"), Map.of());
        byte[] small = randomBytes(300_000, 37); // CopyObject with MetadataDirective REPLACE
        ObjectInfo src = put(source, "small.bin", small);
        ObjectInfo copied = target.copyWithAttributes(source, src, "small-copy.bin", changed);
        byte[] large = randomBytes(13 * MIB + 5, 38); // UploadPartCopy: the upload carries the attributes
        ObjectInfo largeSrc = put(source, "large.bin", large);
        target.copyWithAttributes(source, largeSrc, "large-copy.bin", changed);

        for (String key : new String[] {"small-copy.bin", "large-copy.bin"}) {
            ObjectInfo looked = target.stat(key).orElseThrow();
            assertThat(looked.contentType()).as(key).isEqualTo("text/csv");
            assertThat(looked.headers()).as(key).isEqualTo(new ContentHeaders("max-age=9", null, null, "de"));
            assertThat(looked.metadata()).as(key).isEqualTo(Map.of("owner", "ann"));
            assertThat(looked.modTime()).as(key).isEqualTo(MTIME);
        }
        ObjectInfo looked = target.stat("small-copy.bin").orElseThrow();
        assertThat(looked.hash(HashType.SHA256)).contains(S3KeysAndMetadataIT.sha256(small));
        assertThat(copied.contentType()).isEqualTo(looked.contentType());
        assertThat(copied.headers()).isEqualTo(looked.headers());
        assertThat(copied.metadata()).isEqualTo(looked.metadata());
        assertThat(copied.hashes()).isEqualTo(looked.hashes());
        assertSameBytes(read(target, "small-copy.bin", ByteRange.ALL), small, "small copy");
        assertSameBytes(read(target, "large-copy.bin", ByteRange.ALL), large, "large copy");
        assertThat(source.stat("small.bin").orElseThrow().metadata()).as("source untouched")
                .isEqualTo(Map.of("team", "blue"));
        assertThat(raw.listMultipartUploads(r -> r.bucket(targetBucket)).uploads()).isEmpty();
    }

    @Test
    void aSourceElsewhereIsUnsupportedAndStreamsInstead() throws Exception {
        byte[] data = randomBytes(70_000, 33);
        // the same server under another name counts as another endpoint: no assumption that they are one
        String other = S3It.endpoint().replace("127.0.0.1", "localhost");
        try (S3ObjectStore elsewhere = S3It.open(sourceBucket + "/from", "endpoint", other)) {
            ObjectInfo src = put(elsewhere, "x.bin", data);
            assertThat(assertFailsWith(ErrorKind.UNSUPPORTED, "copy from another endpoint",
                    () -> target.copy(elsewhere, src, "x.bin"))).hasMessageContaining("streaming instead");
            assertThat(target.stat("x.bin")).isEmpty();
            try (InputStream in = elsewhere.open("x.bin", ByteRange.ALL)) { // the engine's fallback
                target.put("x.bin", in, PutRequest.from(src));
            }
            assertSameBytes(read(target, "x.bin", ByteRange.ALL), data, "streamed");
            assertThat(target.stat("x.bin").orElseThrow().modTime()).isEqualTo(MTIME);
        }
        assertFailsWith(ErrorKind.NOT_FOUND, "copy of a vanished source", () -> target.copy(source,
                ObjectInfo.of("vanished", 5, null), "vanished"));
    }

    @Test
    void metadataWriteKeepsTypeMetadataAndTime() {
        byte[] data = randomBytes(17 * MIB, 34); // above partSize: multipart, no SHA-256 stored by the put
        ObjectInfo put = target.put("m.json", new ByteArrayInputStream(data), new PutRequest(data.length, MTIME,
                "application/x-caravan", Map.of("team", "blue"), -1));
        assertThat(target.stat("m.json").orElseThrow().hash(HashType.SHA256)).isEmpty();
        String sha = put.hash(HashType.SHA256).orElseThrow();
        MetadataWrite write = target.capability(MetadataWrite.class).orElseThrow();
        write.putMetadata("m.json", Map.of("caravan-sha256", sha));
        ObjectInfo after = target.stat("m.json").orElseThrow();
        assertThat(after.hash(HashType.SHA256)).contains(S3KeysAndMetadataIT.sha256(data));
        assertThat(after.contentType()).isEqualTo("application/x-caravan");
        assertThat(after.metadata()).isEqualTo(Map.of("team", "blue"));
        assertThat(after.modTime()).isEqualTo(MTIME);
        assertSameBytes(read(target, "m.json", ByteRange.ALL), data, "after metadata write");
        write.putMetadata("m.json", Map.of("caravan-sha256", sha, "reviewed", "yes"));
        assertThat(target.stat("m.json").orElseThrow().metadata()).isEqualTo(Map.of("team", "blue",
                "reviewed", "yes"));
        byte[] small = randomBytes(1000, 35); // one PUT, SHA-256 stored with it
        ObjectInfo one = target.put("small", new ByteArrayInputStream(small), PutRequest.ofSize(small.length));
        write.putMetadata("small", Map.of("caravan-sha256", one.hash(HashType.SHA256).orElseThrow()));
        write.putMetadata("small", Map.of("reviewed", "no"));
        ObjectInfo smallAfter = target.stat("small").orElseThrow();
        assertThat(smallAfter.metadata()).isEqualTo(Map.of("reviewed", "no"));
        assertThat(smallAfter.hash(HashType.SHA256)).contains(S3KeysAndMetadataIT.sha256(small));
        assertSameBytes(read(target, "small", ByteRange.ALL), small, "small after metadata writes");
        assertFailsWith(ErrorKind.NOT_FOUND, "metadata of a missing object",
                () -> write.putMetadata("missing", Map.of("a", "b")));
    }

    private static ObjectInfo put(S3ObjectStore store, String key, byte[] data) {
        store.put(key, new ByteArrayInputStream(data), new PutRequest(data.length, MTIME, "application/x-caravan",
                Map.of("team", "blue"), -1));
        return store.stat(key).orElseThrow();
    }
}
