package dev.caravan.connector.s3;

import static dev.caravan.testkit.contract.ContractSupport.assertSameBytes;
import static dev.caravan.testkit.contract.ContractSupport.randomBytes;
import static dev.caravan.testkit.contract.ContractSupport.read;
import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.api.store.ByteRange;
import dev.caravan.api.store.PutRequest;
import dev.caravan.api.store.ServerSideCopy;
import dev.caravan.testkit.http.FaultyProxy;
import java.io.ByteArrayInputStream;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The option {@code sseCustomerKey} (SSE-C), looked at on the wire (a forwarding {@link FaultyProxy} in front of
 * S3Proxy records every request's head): every request that writes or reads an object's bytes or metadata carries
 * the key (PUT, the start, parts and completion of a multipart upload, ListParts, GET, HEAD, both sides of a
 * CopyObject and of an UploadPartCopy, the CopyObject of a metadata update), listings and deletions do not, and a
 * copy out of a store with a key into one without sends only the copy-source form. S3Proxy takes the headers
 * without encrypting (AWS refuses them over http), so the objects are also read back byte for byte.
 */
class S3CustomerKeyIT {
    private static final byte[] RAW_KEY = randomBytes(32, 7);
    private static final String KEY = Base64.getEncoder().encodeToString(RAW_KEY);
    private final RecordedBucket wire = RecordedBucket.create("ssec");
    private final String bucket = wire.name();
    private final FaultyProxy proxy = wire.proxy();

    @AfterEach
    void tearDown() throws Exception {
        wire.close();
    }

    private S3ObjectStore open(String prefix, String... extra) {
        String[] options = new String[extra.length + 8];
        System.arraycopy(new String[] {"endpoint", proxy.endpoint(), "multipartThreshold", "5M", "partSize", "5M",
                "multipartCopyThreshold", "5M"}, 0, options, 0, 8);
        System.arraycopy(extra, 0, options, 8, extra.length);
        return S3It.open(bucket + "/" + prefix, options);
    }

    @Test
    void everyRequestOnAnObjectsBytesOrMetadataCarriesTheKey() throws Exception {
        byte[] small = randomBytes(10_000, 1);
        byte[] big = randomBytes(12 << 20, 2);
        try (S3ObjectStore store = open("k", "sseCustomerKey", KEY, "copyPartSize", "5M")) {
            store.put("small.txt", new ByteArrayInputStream(small), PutRequest.ofSize(small.length));
            store.put("big.bin", new ByteArrayInputStream(big), PutRequest.ofSize(big.length));
            String uploadId = store.begin("resumed.bin", PutRequest.ofSize(-1)); // the engine's multipart upload
            store.uploadPart("resumed.bin", uploadId, 1, small, small.length);
            assertThat(store.listParts("resumed.bin", uploadId)).hasSize(1);
            store.abort("resumed.bin", uploadId);
            ServerSideCopy copy = store.capability(ServerSideCopy.class).orElseThrow();
            copy.copy(store, store.stat("small.txt").orElseThrow(), "copy.txt");
            copy.copy(store, store.stat("big.bin").orElseThrow(), "copy.bin"); // UploadPartCopy in 5M parts
            store.putMetadata("small.txt", Map.of("owner", "me"));
            assertSameBytes(read(store, "small.txt", ByteRange.ALL), small, "small.txt");
            assertSameBytes(read(store, "big.bin", ByteRange.ALL), big, "big.bin");
            assertSameBytes(read(store, "copy.txt", ByteRange.ALL), small, "copy.txt");
            assertSameBytes(read(store, "copy.bin", ByteRange.ALL), big, "copy.bin");
            assertThat(store.stat("small.txt").orElseThrow().metadata()).containsEntry("owner", "me");
            store.delete("copy.txt");
        }
        String object = "/" + bucket + "/k/";
        List<String> keyed = List.of("PUT " + object + "small.txt ", "POST " + object + "big.bin?uploads",
                "PUT " + object + "big.bin?partNumber=", "POST " + object + "big.bin?uploadId=",
                "POST " + object + "resumed.bin?uploads", "PUT " + object + "resumed.bin?partNumber=",
                "GET " + object + "resumed.bin?uploadId=", "GET " + object + "small.txt ",
                "HEAD " + object + "small.txt ", "PUT " + object + "copy.txt ", "POST " + object + "copy.bin?uploads",
                "PUT " + object + "copy.bin?partNumber=",
                "POST " + object + "copy.bin?uploadId=", "GET " + object + "big.bin ");
        for (String request : keyed) {
            assertThat(proxy.headersOf(request)).as(request).isNotEmpty().allSatisfy(head -> assertThat(head)
                    .contains(customerKey("x-amz-server-side-encryption-customer-")));
        }
        for (String copy : List.of("PUT " + object + "copy.txt ", "PUT " + object + "copy.bin?partNumber=")) {
            assertThat(proxy.headersOf(copy)).as(copy).allSatisfy(head -> assertThat(head)
                    .contains(customerKey("x-amz-copy-source-server-side-encryption-customer-")));
        }
        assertThat(proxy.headersOf("PUT " + object + "small.txt ")).as("the metadata update: a copy onto itself")
                .anySatisfy(head -> assertThat(head).contains("x-amz-metadata-directive: replace")
                        .contains(customerKey("x-amz-copy-source-server-side-encryption-customer-")));
        assertThat(proxy.headersOf("PUT " + object + "big.bin?partNumber=")).as("the parts of big.bin").hasSize(3);
        for (String unkeyed : List.of("GET /" + bucket + "?list-type=2", "GET /" + bucket + "/?list-type=2",
                "DELETE " + object)) {
            assertThat(proxy.headersOf(unkeyed)).as(unkeyed).allSatisfy(head -> assertThat(head)
                    .noneMatch(h -> h.contains("server-side-encryption-customer")));
        }
    }

    @Test
    void aCopyOutOfAKeyedStoreReadsWithTheKeyAndWritesWithout() {
        byte[] data = randomBytes(20_000, 3);
        try (S3ObjectStore keyed = open("in", "sseCustomerKey", KEY); S3ObjectStore plain = open("out")) {
            keyed.put("a.txt", new ByteArrayInputStream(data), PutRequest.ofSize(data.length));
            assertThat(keyed.listQuick("").map(dev.caravan.api.store.ObjectInfo::key)).containsExactly("a.txt");
            assertThat(plain.copyListed(keyed, "a.txt", "a.txt")).as("a listed ETag under a customer key is no MD5: "
                    + "no copy on the listing's word").isEmpty();
            plain.capability(ServerSideCopy.class).orElseThrow().copy(keyed, keyed.stat("a.txt").orElseThrow(),
                    "a.txt");
            assertSameBytes(read(plain, "a.txt", ByteRange.ALL), data, "the copy");
        }
        assertThat(proxy.headersOf("PUT /" + bucket + "/out/a.txt ")).hasSize(1).allSatisfy(head -> assertThat(head)
                .contains(customerKey("x-amz-copy-source-server-side-encryption-customer-"))
                .noneMatch(h -> h.startsWith("x-amz-server-side-encryption-customer")));
        assertThat(proxy.headersOf("GET /" + bucket + "/out/a.txt ")).as("the copy read back").isNotEmpty()
                .allSatisfy(head -> assertThat(head).noneMatch(h -> h.contains("server-side-encryption-customer")));
    }

    /** The three header lines of the key, lower-cased as {@link #headsOf} gives them. */
    private static String[] customerKey(String prefix) {
        try {
            String md5 = Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(RAW_KEY));
            return new String[] {prefix + "algorithm: aes256", (prefix + "key: " + KEY).toLowerCase(Locale.ROOT),
                    (prefix + "key-md5: " + md5).toLowerCase(Locale.ROOT)};
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
