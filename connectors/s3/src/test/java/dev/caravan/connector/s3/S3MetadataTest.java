package dev.caravan.connector.s3;

import static dev.caravan.testkit.contract.ContractSupport.assertFailsWith;
import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.store.HashType;
import dev.caravan.api.store.MultipartUpload.Part;
import dev.caravan.api.store.ObjectInfo;
import dev.caravan.api.store.PutRequest;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/** How object facts map onto S3 headers and metadata and back (no network). */
class S3MetadataTest {
    private static final String SHA = "a".repeat(64);
    private static final String MD5 = "0123456789abcdef0123456789abcdef";

    @Test
    void headWithOurMetadata() {
        HeadObjectResponse head = HeadObjectResponse.builder().contentLength(42L).eTag("\"" + MD5 + "\"")
                .lastModified(Instant.parse("2024-05-06T07:08:09Z")).contentType("application/json")
                .metadata(Map.of("caravan-mtime", "1600000000123", "caravan-sha256", SHA, "owner", "bob",
                        "note", "=?UTF-8?B?Y2Fmw6k=?="))
                .build();
        ObjectInfo info = S3Metadata.fromHead("k", head);
        assertThat(info.size()).isEqualTo(42);
        assertThat(info.modTime()).isEqualTo(Instant.ofEpochMilli(1_600_000_000_123L));
        assertThat(info.hashes()).isEqualTo(Map.of(HashType.SHA256, SHA, HashType.MD5, MD5));
        assertThat(info.metadata()).isEqualTo(Map.of("owner", "bob", "note", "caf\u00e9"));
        assertThat(info.contentType()).isEqualTo("application/json");
        assertThat(info.etag()).isEqualTo("\"" + MD5 + "\"");
    }

    @Test
    void aStoredDigestOfOtherBytesThanTheETagTellsIsNotReported() {
        String other = "f".repeat(32);
        HeadObjectResponse same = HeadObjectResponse.builder().contentLength(1L).eTag("\"" + MD5 + "\"")
                .metadata(Map.of("caravan-sha256", SHA, "caravan-md5", MD5)).build();
        assertThat(S3Metadata.fromHead("k", same).hashes()).containsEntry(HashType.SHA256, SHA);
        assertThat(S3Metadata.fromHead("k", same).metadata()).as("Caravan's own key").isEmpty();
        HeadObjectResponse rewritten = same.toBuilder().eTag("\"" + other + "\"").build();
        assertThat(S3Metadata.fromHead("k", rewritten).hashes()).as("rewritten with the old metadata")
                .isEqualTo(Map.of(HashType.MD5, other));
        HeadObjectResponse parts = same.toBuilder().eTag("\"" + other + "-3\"").build();
        assertThat(S3Metadata.fromHead("k", parts).hashes()).as("no MD5 to tell by").isEqualTo(
                Map.of(HashType.SHA256, SHA));
    }

    @Test
    void headOfAnObjectWrittenByOthers() {
        HeadObjectResponse head = HeadObjectResponse.builder().contentLength(1L).eTag("\"" + MD5 + "-12\"")
                .lastModified(Instant.parse("2024-05-06T07:08:09Z")).metadata(Map.of("caravan-mtime", "soon",
                        "caravan-sha256", "not-a-hash")).build();
        ObjectInfo info = S3Metadata.fromHead("k", head);
        assertThat(info.modTime()).as("no usable kept time: LastModified").isEqualTo(
                Instant.parse("2024-05-06T07:08:09Z"));
        assertThat(info.hashes()).as("a multipart ETag is no MD5; a malformed SHA is ignored").isEmpty();
        assertThat(info.metadata()).isEmpty();
    }

    @Test
    void encryptedObjectsHaveNoMd5() {
        HeadObjectResponse kms = HeadObjectResponse.builder().contentLength(1L).eTag(MD5)
                .serverSideEncryption(ServerSideEncryption.AWS_KMS).build();
        assertThat(S3Metadata.fromHead("k", kms).hashes()).isEmpty();
        HeadObjectResponse customerKey = HeadObjectResponse.builder().contentLength(1L).eTag(MD5)
                .sseCustomerAlgorithm("AES256").build();
        assertThat(S3Metadata.fromHead("k", customerKey).hashes()).isEmpty();
        HeadObjectResponse s3Managed = HeadObjectResponse.builder().contentLength(1L).eTag(MD5)
                .serverSideEncryption(ServerSideEncryption.AES256).build();
        assertThat(S3Metadata.fromHead("k", s3Managed).hashes()).containsEntry(HashType.MD5, MD5);
    }

    @Test
    void etags() {
        assertThat(S3Metadata.md5OfEtag("\"" + MD5.toUpperCase() + "\"")).isEqualTo(MD5);
        assertThat(S3Metadata.md5OfEtag(MD5 + "-2")).isNull();
        assertThat(S3Metadata.md5OfEtag("W/\"x\"")).isNull();
        assertThat(S3Metadata.md5OfEtag(null)).isNull();
    }

    @Test
    void listingsCarryWholeSeconds() {
        S3Object listed = S3Object.builder().key("x").size(5L).eTag(MD5)
                .lastModified(Instant.parse("2024-05-06T07:08:09.987Z")).build();
        ObjectInfo info = S3Metadata.fromListing("x", listed);
        assertThat(info.modTime()).isEqualTo(Instant.parse("2024-05-06T07:08:09Z"));
        assertThat(info.size()).isEqualTo(5);
        assertThat(info.hashes()).isEmpty();
    }

    @Test
    void putMetadataIsLowerCasedEncodedAndCarriesTheTime() {
        PutRequest request = new PutRequest(1, Instant.ofEpochMilli(42), null, Map.of("Owner", "bob", "Note",
                "caf\u00e9 \u2615", "tab", "a\tb"), -1);
        Map<String, String> out = S3Metadata.forPut("k", request);
        assertThat(out).containsEntry("owner", "bob").containsEntry("caravan-mtime", "42")
                .containsEntry("note", "=?UTF-8?B?Y2Fmw6kg4piV?=").containsKey("tab");
        assertThat(S3Metadata.decodeValue(out.get("note"))).isEqualTo("caf\u00e9 \u2615");
        assertThat(S3Metadata.decodeValue(out.get("tab"))).isEqualTo("a\tb");
        assertThat(S3Metadata.forPut("k", PutRequest.ofSize(1))).isEmpty();
    }

    @Test
    void rfc2047Decoding() {
        assertThat(S3Metadata.decodeValue("plain =? text")).isEqualTo("plain =? text");
        for (String literal : new String[] {"=?UTF-8?B?WsO8cmljaA==?=", "x =?UTF-8?Q?a_b?= y", "plain =? text",
                "=?bogus-charset?B?eA==?="}) { // read back as written, not decoded
            assertThat(S3Metadata.decodeValue(S3Metadata.encodeValue(literal))).as(literal).isEqualTo(literal);
        }
        assertThat(S3Metadata.encodeValue("plain =? text")).as("left as it is").isEqualTo("plain =? text");
        assertThat(S3Metadata.decodeValue("=?UTF-8?Q?caf=C3=A9_au_lait?=")).isEqualTo("caf\u00e9 au lait");
        assertThat(S3Metadata.decodeValue("=?UTF-8?B?Y2Fm?= =?UTF-8?B?w6k=?=")).isEqualTo("caf\u00e9");
        assertThat(S3Metadata.decodeValue("=?bogus-charset?B?eA==?=")).isEqualTo("=?bogus-charset?B?eA==?=");
    }

    @Test
    void metadataS3CannotHoldIsRefused() {
        assertThat(assertFailsWith(ErrorKind.USER_DATA, "space in key", () -> S3Metadata.encode("obj",
                Map.of("a b", "v")))).hasMessageContaining("'a b'").hasMessageContaining("'obj'");
        assertFailsWith(ErrorKind.USER_DATA, "non-ASCII key", () -> S3Metadata.encode("obj", Map.of("cl\u00e9", "v")));
        assertFailsWith(ErrorKind.USER_DATA, "case collision", () -> S3Metadata.encode("obj", Map.of("A", "1",
                "a", "2")));
        assertFailsWith(ErrorKind.USER_DATA, "too large", () -> S3Metadata.forPut("obj", new PutRequest(1, null,
                null, Map.of("k", "v".repeat(2048)), -1)));
    }

    @Test
    void directoryMarkers() {
        assertThat(S3Metadata.isDirectoryMarker(HeadObjectResponse.builder().contentLength(0L)
                .contentType("application/x-directory").build())).isTrue();
        assertThat(S3Metadata.isDirectoryMarker(HeadObjectResponse.builder().contentLength(3L)
                .contentType("application/x-directory").build())).isFalse();
        assertThat(S3Metadata.isDirectoryMarker(HeadObjectResponse.builder().contentLength(0L)
                .contentType("application/octet-stream").build())).isFalse();
    }

    @Test
    void multipartEtagIsTheMd5OfThePartMd5s() throws Exception {
        byte[] a = {1, 2, 3};
        byte[] b = {4, 5};
        MessageDigest md5 = MessageDigest.getInstance("MD5");
        byte[] ma = md5.digest(a);
        byte[] mb = md5.digest(b);
        md5.update(ma);
        md5.update(mb);
        String expected = HexFormat.of().formatHex(md5.digest()) + "-2";
        List<Part> parts = List.of(new Part(2, 2, "\"" + HexFormat.of().formatHex(mb) + "\""),
                new Part(1, 3, HexFormat.of().formatHex(ma)));
        assertThat(S3Multipart.multipartEtag(parts)).isEqualTo(expected);
    }
}
