package dev.caravan.connector.s3;

import static dev.caravan.testkit.contract.ContractSupport.assertFailsWith;
import static dev.caravan.testkit.contract.ContractSupport.assertSameBytes;
import static dev.caravan.testkit.contract.ContractSupport.keys;
import static dev.caravan.testkit.contract.ContractSupport.randomBytes;
import static dev.caravan.testkit.contract.ContractSupport.read;
import static dev.caravan.testkit.contract.ContractSupport.sorted;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import dev.caravan.api.store.ByteRange;
import dev.caravan.api.store.HashType;
import dev.caravan.api.store.ObjectInfo;
import dev.caravan.api.store.PutRequest;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/**
 * Keys and metadata beyond the contract, against S3Proxy: awkward characters, 900-byte keys, deep prefixes, empty
 * objects, directory markers of other tools, and the round trip of content type, user metadata, kept time and
 * stored SHA-256. Every test reads the bytes back.
 */
class S3KeysAndMetadataIT {
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
        bucket = S3It.newBucket("keys");
        store = S3It.open(bucket + "/base/dir");
    }

    @AfterEach
    void drop() {
        S3It.close(store);
        S3It.deleteBucket(raw, bucket);
    }

    @Test
    void awkwardKeysRoundTrip() {
        List<String> keys = new ArrayList<>(List.of("with space/a b.txt", "plus+sign+", "percent%41%2F%", "q?uery=1&x",
                "hash#frag", "unicode/\u65e5\u672c\u8a9e/\u30d5\u30a1\u30a4\u30eb", "emoji/\uD83D\uDE00\uD83C\uDF89",
                "tab\there", "ctrl\u0001char", "quote\"and'apos", "brackets[1]{2}<3>", "semi;colon:colon",
                "~tilde", "caf\u00e9", "cafe\u0301", "\uFF21-fullwidth", "\uD83D\uDE00-emoji-first"));
        for (String key : keys) {
            write(key, key.getBytes(StandardCharsets.UTF_8));
        }
        assertThat(keys(store, "")).containsExactlyElementsOf(sorted(keys));
        for (String key : keys) {
            assertThat(store.stat(key)).as("stat %s", key).map(ObjectInfo::size)
                    .contains((long) key.getBytes(StandardCharsets.UTF_8).length);
            assertSameBytes(read(store, key, ByteRange.ALL), key.getBytes(StandardCharsets.UTF_8), key);
        }
        assertThat(S3It.allKeys(raw, bucket)).allMatch(k -> k.startsWith("base/dir/"))
                .contains("base/dir/plus+sign+", "base/dir/percent%41%2F%");
        for (String key : keys) {
            store.delete(key);
        }
        assertThat(keys(store, "")).isEmpty();
    }

    @Test
    void keysOf900BytesAndDeepPrefixes() {
        // S3 allows 1,024 bytes per key; S3Proxy's file backend stores each key segment as a file name of at most
        // 255 bytes, and adds a 37-byte suffix to its temporary files: segments here stay under 218 bytes
        String longKey = "\u00e9".repeat(90) + "/" + "b".repeat(179) + "/" + "c".repeat(179) + "/" + "d".repeat(179)
                + "/" + "e".repeat(179);
        assertThat(longKey.getBytes(StandardCharsets.UTF_8)).hasSize(900);
        String deep = "d/".repeat(60) + "leaf";
        byte[] a = randomBytes(1000, 1);
        byte[] b = randomBytes(2000, 2);
        write(longKey, a);
        write(deep, b);
        assertThat(keys(store, "")).containsExactly(deep, longKey); // "d" sorts before "\u00e9"
        assertThat(keys(store, "d/d/d/")).containsExactly(deep);
        assertSameBytes(read(store, longKey, ByteRange.ALL), a, "900-byte key");
        assertSameBytes(read(store, deep, new ByteRange(10, 20)), Arrays.copyOfRange(b, 10, 30), "deep");

        assertThat(S3It.allKeys(raw, bucket)).contains("base/dir/" + longKey);
        try (S3ObjectStore deeper = S3It.open(bucket + "/base/dir/" + "d/".repeat(59) + "d")) {
            assertThat(keys(deeper, "")).containsExactly("leaf");
            assertSameBytes(read(deeper, "leaf", ByteRange.ALL), b, "leaf through a deep root");
            assertThat(deeper.uri()).startsWith("s3:" + bucket + "/base/dir/d/d/");
        }
    }

    @Test
    void emptyObjects() {
        ObjectInfo known = store.put("empty/known", InputStream.nullInputStream(), PutRequest.ofSize(0));
        ObjectInfo unknown = store.put("empty/unknown", InputStream.nullInputStream(), PutRequest.ofSize(-1));
        assertThat(known.size()).isZero();
        assertThat(unknown.size()).isZero();
        for (String key : List.of("empty/known", "empty/unknown")) {
            ObjectInfo info = store.stat(key).orElseThrow();
            assertThat(info.size()).isZero();
            assertThat(info.hash(HashType.SHA256)).contains(sha256(new byte[0]));
            assertThat(read(store, key, ByteRange.ALL)).isEmpty();
            assertThat(read(store, key, new ByteRange(0, 0))).isEmpty();
            assertThat(read(store, key, ByteRange.from(0))).isEmpty();
            assertThat(read(store, key, new ByteRange(0, 10))).isEmpty();
        }
        assertThat(keys(store, "empty/")).containsExactly("empty/known", "empty/unknown");
        assertFailsWith(ErrorKind.NOT_FOUND, "empty range of a missing object",
                () -> store.open("empty/missing", new ByteRange(0, 0)));
    }

    @Test
    void aLocationNamingAnObjectSaysSo() {
        write("reports/q1.pdf", new byte[] {1});
        write("reports/q1.pdf.bak", new byte[] {2});
        try (S3ObjectStore object = S3It.open(bucket + "/base/dir/reports/q1.pdf");
                S3ObjectStore folder = S3It.open(bucket + "/base/dir/reports");
                S3ObjectStore missing = S3It.open(bucket + "/base/dir/reports/q1")) {
            assertThat(keys(object, "")).isEmpty();
            assertThat(object.rootIsAnObject()).isTrue();
            assertThat(folder.rootIsAnObject()).isFalse();
            assertThat(missing.rootIsAnObject()).as("q1 is only the start of keys").isFalse();
            assertThat(store.rootIsAnObject()).isFalse();
        }
    }

    @Test
    void directoryMarkersOfOtherToolsAreNotListed() {
        raw.putObject(r -> r.bucket(bucket).key("base/dir/folder/"), RequestBody.empty());
        write("folder/file", new byte[] {1, 2, 3});
        raw.putObject(r -> r.bucket(bucket).key("base/dir-sibling"), RequestBody.fromBytes(new byte[] {9}));
        assertThat(keys(store, "")).containsExactly("folder/file");
        assertThat(store.stat("folder")).isEmpty();
    }

    /**
     * S3Proxy's Jetty rewrites {@code text/html; charset=utf-8} after the request is signed and refuses the upload
     * (SignatureDoesNotMatch): that one object fails, saying why, not as bad credentials; the same bytes without the
     * parameter, and the charset in capitals, go up.
     */
    @Test
    void aContentTypeTheServerRewritesFailsThatObjectSayingSo() {
        byte[] page = "<p>hello</p>".getBytes(StandardCharsets.UTF_8);
        for (boolean small : List.of(true, false)) {
            PutRequest request = new PutRequest(small ? page.length : -1, null, "text/html; charset=utf-8", Map.of(),
                    -1);
            MigrationException e = catchThrowableOfType(() -> store.put("site/index.html", new ByteArrayInputStream(
                    page), request), MigrationException.class);
            assertThat(e).as(small ? "one PUT" : "multipart (unknown size)").isNotNull();
            assertThat(e.kind()).isEqualTo(ErrorKind.USER_DATA);
            assertThat(e).hasMessageContaining("the server refused the signature of the upload of 'site/index.html'")
                    .hasMessageContaining("'text/html; charset=utf-8'").hasMessageNotContaining("check accessKeyId");
        }
        for (String type : List.of("text/html", "text/html; charset=UTF-8")) {
            store.put("site/" + type.length() + ".html", new ByteArrayInputStream(page), new PutRequest(page.length,
                    null, type, Map.of(), -1));
            assertSameBytes(read(store, "site/" + type.length() + ".html", ByteRange.ALL), page, type);
        }
    }

    @Test
    void metadataRoundTrip() throws Exception {
        byte[] data = "{\"hello\": \"world\"}".getBytes(StandardCharsets.UTF_8);
        Instant mtime = Instant.parse("2019-08-07T06:05:04.321987Z");
        Map<String, String> metadata = Map.of("owner", "alice", "Mixed-Case", "Value", "note", "caf\u00e9 \u2615 ok");
        ObjectInfo put = store.put("meta/doc.json", new ByteArrayInputStream(data),
                new PutRequest(data.length, mtime, "application/json", metadata, 0644));
        assertThat(put.hash(HashType.SHA256)).contains(sha256(data));

        ObjectInfo stat = store.stat("meta/doc.json").orElseThrow();
        assertThat(stat.contentType()).isEqualTo("application/json");
        assertThat(stat.metadata()).isEqualTo(Map.of("owner", "alice", "mixed-case", "Value", "note",
                "caf\u00e9 \u2615 ok"));
        assertThat(stat.modTime()).isEqualTo(mtime.truncatedTo(ChronoUnit.MILLIS));
        assertThat(stat.hash(HashType.SHA256)).contains(sha256(data));
        assertThat(stat.hash(HashType.MD5)).contains(hex(MessageDigest.getInstance("MD5").digest(data)));
        assertThat(stat.posixMode()).isEqualTo(-1);
        assertSameBytes(read(store, "meta/doc.json", ByteRange.ALL), data, "doc.json");

        HeadObjectResponse head = raw.headObject(r -> r.bucket(bucket).key("base/dir/meta/doc.json"));
        assertThat(head.metadata()).containsEntry("caravan-mtime", Long.toString(mtime.toEpochMilli()))
                .containsEntry("caravan-sha256", sha256(data))
                .containsEntry("note", "=?UTF-8?B?Y2Fmw6kg4piVIG9r?=");

        try (Stream<ObjectInfo> listing = store.list("meta/")) {
            ObjectInfo listed = listing.findFirst().orElseThrow();
            assertThat(listed.modTime()).isEqualTo(stat.modTime());
            assertThat(listed.hash(HashType.SHA256)).contains(sha256(data));
            assertThat(listed.metadata()).isEqualTo(stat.metadata());
        }
        try (S3ObjectStore plain = S3It.open(bucket + "/base/dir", "listMetadata", "false");
                Stream<ObjectInfo> listing = plain.list("meta/")) {
            ObjectInfo listed = listing.findFirst().orElseThrow();
            assertThat(listed.modTime()).as("without listMetadata: S3's LastModified")
                    .isEqualTo(head.lastModified().truncatedTo(ChronoUnit.SECONDS));
            assertThat(listed.hashes()).isEmpty();
            assertThat(listed.size()).isEqualTo(data.length);
        }
    }

    @Test
    void metadataS3CannotHoldIsRefusedNotDropped() {
        byte[] data = {1, 2, 3};
        assertThat(assertFailsWith(ErrorKind.USER_DATA, "key with a space", () -> store.put("m/a",
                new ByteArrayInputStream(data), new PutRequest(3, null, null, Map.of("bad key", "v"), -1))))
                .hasMessageContaining("bad key");
        assertThat(assertFailsWith(ErrorKind.USER_DATA, "keys differing in case", () -> store.put("m/b",
                new ByteArrayInputStream(data), new PutRequest(3, null, null, Map.of("K", "1", "k", "2"), -1))))
                .hasMessageContaining("case");
        assertThat(assertFailsWith(ErrorKind.USER_DATA, "metadata over 2 KB", () -> store.put("m/c",
                new ByteArrayInputStream(data), new PutRequest(3, null, null, Map.of("big", "x".repeat(2100)), -1))))
                .hasMessageContaining("2048");
        assertThat(keys(store, "")).isEmpty();
    }

    private void write(String key, byte[] data) {
        ObjectInfo info = store.put(key, new ByteArrayInputStream(data), PutRequest.ofSize(data.length));
        assertThat(info.size()).isEqualTo(data.length);
    }

    static String sha256(byte[] data) {
        try {
            return hex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
