package dev.caravan.connector.azureblob;

import static dev.caravan.testkit.contract.ContractSupport.assertFailsWith;
import static dev.caravan.testkit.contract.ContractSupport.assertSameBytes;
import static dev.caravan.testkit.contract.ContractSupport.randomBytes;
import static dev.caravan.testkit.contract.ContractSupport.read;
import static org.assertj.core.api.Assertions.assertThat;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.models.BlobProperties;
import com.azure.storage.blob.models.BlockList;
import com.azure.storage.blob.models.BlockListType;
import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.store.ByteRange;
import dev.caravan.api.store.HashType;
import dev.caravan.api.store.MetadataWrite;
import dev.caravan.api.store.ObjectInfo;
import dev.caravan.api.store.PutRequest;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Puts against Azurite, looked at from outside with the SDK: single-shot versus staged blocks, unknown sizes that
 * span several blocks, the stored Content-MD5 and SHA-256, and the metadata mapping (content type, user metadata,
 * modification time), including {@link MetadataWrite}.
 */
class AzureBlobUploadIT {
    private static final int BLOCK = 64 * 1024;
    private BlobContainerClient container;
    private AzureBlobObjectStore store;

    @BeforeEach
    void open() {
        container = Azurite.newContainer("upload");
        store = Azurite.open(container.getBlobContainerName(), Azurite.options("blockSize", "64k",
                "singleUploadThreshold", "100k", "uploadConcurrency", "3"));
    }

    @AfterEach
    void close() {
        store.close();
        Azurite.deleteQuietly(container);
    }

    /** A stream that hands out few bytes per read and cannot be reset: the worst a source can do. */
    private static InputStream trickle(byte[] data) {
        return new InputStream() {
            private int pos;

            @Override
            public int read() {
                return pos < data.length ? data[pos++] & 0xff : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (pos >= data.length) {
                    return -1;
                }
                int n = Math.min(Math.min(len, 1000), data.length - pos);
                System.arraycopy(data, pos, b, off, n);
                pos += n;
                return n;
            }
        };
    }

    private static String hex(String algorithm, byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(data));
    }

    private BlockList committed(String key) {
        return container.getBlobClient(key).getBlockBlobClient().listBlocks(BlockListType.COMMITTED);
    }

    @Test
    void unknownSizeStreamSpansSeveralBlocks() throws Exception {
        byte[] data = randomBytes(17 * BLOCK + 123, 1);
        ObjectInfo info = store.put("stream/unknown", trickle(data), PutRequest.ofSize(-1));
        assertThat(info.size()).isEqualTo(data.length);
        assertSameBytes(read(store, "stream/unknown", ByteRange.ALL), data, "stream/unknown");
        BlockList blocks = committed("stream/unknown");
        assertThat(blocks.getCommittedBlocks()).hasSize(18);
        assertThat(blocks.getCommittedBlocks().get(0).getSizeLong()).isEqualTo(BLOCK);
        assertThat(blocks.getCommittedBlocks().get(17).getSizeLong()).isEqualTo(123);
        String md5 = hex("MD5", data);
        String sha = hex("SHA-256", data);
        BlobProperties props = container.getBlobClient("stream/unknown").getProperties();
        assertThat(HexFormat.of().formatHex(props.getContentMd5())).as("Content-MD5 set at commit").isEqualTo(md5);
        assertThat(props.getMetadata()).containsEntry("caravansha256", sha);
        assertThat(info.hashes()).containsEntry(HashType.MD5, md5).containsEntry(HashType.SHA256, sha);
        assertThat(store.stat("stream/unknown").orElseThrow().hashes()).isEqualTo(info.hashes());
        assertSameBytes(read(store, "stream/unknown", new ByteRange(BLOCK - 10, 2 * BLOCK + 20)),
                Arrays.copyOfRange(data, BLOCK - 10, 3 * BLOCK + 10), "range across blocks");
    }

    @Test
    void knownSizesPickSingleShotOrBlocks() throws Exception {
        byte[] small = randomBytes(100 * 1024, 2);
        byte[] exact = randomBytes(2 * BLOCK * 2, 3);
        store.put("single", new ByteArrayInputStream(small), PutRequest.ofSize(small.length));
        store.put("blocks", new ByteArrayInputStream(exact), PutRequest.ofSize(exact.length));
        store.put("unknown-small", trickle(small), PutRequest.ofSize(-1));
        assertThat(committed("single").getCommittedBlocks()).as("one Put Blob, no blocks").isEmpty();
        assertThat(committed("unknown-small").getCommittedBlocks()).isEmpty();
        assertThat(committed("blocks").getCommittedBlocks()).as("no empty trailing block").hasSize(4);
        for (String key : new String[] {"single", "unknown-small"}) {
            assertSameBytes(read(store, key, ByteRange.ALL), small, key);
            assertThat(store.stat(key).orElseThrow().hashes()).containsEntry(HashType.MD5, hex("MD5", small))
                    .containsEntry(HashType.SHA256, hex("SHA-256", small));
        }
        assertSameBytes(read(store, "blocks", ByteRange.ALL), exact, "blocks");
        assertThat(store.stat("blocks").orElseThrow().hash(HashType.MD5)).contains(hex("MD5", exact));
    }

    @Test
    void readsLargerThanOneChunkStream() throws Exception {
        byte[] data = randomBytes(AzureBlobInputStream.CHUNK * 2 + 5, 4);
        store.put("big", new ByteArrayInputStream(data), PutRequest.ofSize(data.length));
        assertSameBytes(read(store, "big", ByteRange.ALL), data, "big");
        try (InputStream in = store.open("big", ByteRange.from(10))) {
            assertThat(in.skip(AzureBlobInputStream.CHUNK)).isEqualTo(AzureBlobInputStream.CHUNK);
            byte[] rest = in.readAllBytes();
            assertSameBytes(rest, Arrays.copyOfRange(data, 10 + AzureBlobInputStream.CHUNK, data.length), "after skip");
        }
    }

    @Test
    void metadataRoundTrip() {
        Instant time = Instant.parse("2019-12-31T23:59:59.987654321Z");
        Map<String, String> user = new LinkedHashMap<>();
        user.put("owner", "team-a");
        user.put("Content-Language", "de");
        user.put("x-amz-meta-origin", "s3://b\u00fccket/\u00e9t\u00e9");
        user.put("spaced", "  both ends  ");
        byte[] data = randomBytes(3000, 5);
        byte[] large = randomBytes(3 * BLOCK, 6);
        store.put("meta/small", new ByteArrayInputStream(data), new PutRequest(data.length, time,
                "text/csv; charset=utf-8", user, -1));
        store.put("meta/large", new ByteArrayInputStream(large), new PutRequest(-1, time, "image/png", user, 0644));
        for (String key : new String[] {"meta/small", "meta/large"}) {
            ObjectInfo stat = store.stat(key).orElseThrow();
            assertThat(stat.modTime()).as(key).isEqualTo(time);
            assertThat(stat.metadata()).as(key).isEqualTo(user);
            try (Stream<ObjectInfo> listing = store.list(key)) {
                ObjectInfo listed = listing.findFirst().orElseThrow();
                assertThat(listed.metadata()).as("listed %s", key).isEqualTo(user);
                assertThat(listed.modTime()).isEqualTo(time);
                assertThat(listed.contentType()).isEqualTo(stat.contentType());
                assertThat(listed.hashes()).isEqualTo(stat.hashes());
            }
        }
        assertThat(store.stat("meta/small").orElseThrow().contentType()).isEqualTo("text/csv; charset=utf-8");
        assertThat(store.stat("meta/large").orElseThrow().contentType()).isEqualTo("image/png");
        Map<String, String> raw = container.getBlobClient("meta/small").getProperties().getMetadata();
        assertThat(raw).containsEntry("owner", "team-a").containsEntry("caravanx__43ontent_2d_4canguage", "de")
                .containsEntry("caravanmtime", "2019-12-31T23:59:59.987654321Z").containsKey("caravansha256")
                .containsKey("caravanx_x_2damz_2dmeta_2dorigin");
        assertThat(raw.get("caravanx_x_2damz_2dmeta_2dorigin")).startsWith("caravan-b64:");
        assertThat(store.put("meta/none", new ByteArrayInputStream(data), PutRequest.ofSize(data.length))
                .contentType()).isEqualTo("application/octet-stream");
    }

    @Test
    void putMetadataMergesAndKeepsBytesAndTime() throws Exception {
        Instant time = Instant.parse("2022-02-02T02:02:02Z");
        byte[] data = randomBytes(5000, 7);
        store.put("m", new ByteArrayInputStream(data), new PutRequest(data.length, time, "text/plain",
                Map.of("keep", "me", "Old-Name", "1"), -1));
        MetadataWrite write = store.capability(MetadataWrite.class).orElseThrow();
        String otherSha = "0f".repeat(32);
        write.putMetadata("m", Map.of("added", "yes", "Old-Name", "2", "caravan-sha256", otherSha));
        ObjectInfo after = store.stat("m").orElseThrow();
        assertThat(after.metadata()).isEqualTo(Map.of("keep", "me", "Old-Name", "2", "added", "yes"));
        assertThat(after.hash(HashType.SHA256)).contains(otherSha);
        assertThat(after.modTime()).isEqualTo(time);
        assertThat(after.contentType()).isEqualTo("text/plain");
        assertSameBytes(read(store, "m", ByteRange.ALL), data, "m after putMetadata");
        write.putMetadata("m", Map.of("added", "yes"));
        assertThat(store.stat("m").orElseThrow().etag()).as("no write when nothing changes").isEqualTo(after.etag());
        assertFailsWith(ErrorKind.NOT_FOUND, "putMetadata of a missing blob",
                () -> write.putMetadata("missing", Map.of("a", "b")));
    }

    @Test
    void theEnginesDigestAfterOurPutCostsNoRequest() throws Exception {
        byte[] data = randomBytes(1000, 8);
        ObjectInfo put = store.put("d", new ByteArrayInputStream(data), PutRequest.ofSize(data.length));
        String sha = hex("SHA-256", data);
        assertThat(put.hash(HashType.SHA256)).contains(sha);
        store.capability(MetadataWrite.class).orElseThrow().putMetadata("d", Map.of("caravan-sha256", sha));
        assertThat(store.stat("d").orElseThrow().etag()).isEqualTo(put.etag());
        assertThat(store.stat("d").orElseThrow().hash(HashType.SHA256)).contains(sha);
    }

    @Test
    void aFailingSourceIsTransientAndLeavesNothing() {
        InputStream broken = new InputStream() {
            private int left = 3 * BLOCK;

            @Override
            public int read() throws java.io.IOException {
                if (left-- > 0) {
                    return 1;
                }
                throw new java.io.IOException("source went away");
            }
        };
        assertFailsWith(ErrorKind.TRANSIENT, "put from a failing stream",
                () -> store.put("broken", broken, PutRequest.ofSize(-1)));
        assertThat(store.stat("broken")).isEmpty();
        assertThat(dev.caravan.testkit.contract.ContractSupport.keys(store, "")).isEmpty();
    }
}
