package dev.caravan.connector.azureblob;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.api.store.HashType;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The metadata mapping rule of {@link AzureMetadata}. */
class AzureMetadataTest {
    private static final String SHA = "ab".repeat(32);

    @Test
    void plainNamesStayAndOthersAreEncodedAsIdentifiers() {
        assertThat(AzureMetadata.encodeName("owner")).isEqualTo("owner");
        assertThat(AzureMetadata.encodeName("my_key2")).isEqualTo("my_key2");
        assertThat(AzureMetadata.encodeName("Content-Language")).isEqualTo("caravanx__43ontent_2d_4canguage");
        assertThat(AzureMetadata.encodeName("2fast")).isEqualTo("caravanx_2fast");
        assertThat(AzureMetadata.encodeName("caravanish")).isEqualTo("caravanx_caravanish");
        assertThat(AzureMetadata.encodeName("x_y-z")).isEqualTo("caravanx_x_5fy_2dz");
        for (String name : new String[] {"Content-Language", "a b", "\u00e9t\u00e9", "\uD83D\uDE00", "", "_",
                "caravanmtime", "caravansha256", "caravanx_abc", "UPPER", "dots.and.more"}) {
            String azure = AzureMetadata.encodeName(name);
            assertThat(azure).as(name).matches("[a-z_][a-z0-9_]*");
            assertThat(AzureMetadata.decodeName(azure)).as(name).isEqualTo(name);
        }
    }

    @Test
    void valuesThatAreNotPlainAsciiAreBase64() {
        for (String value : new String[] {"plain value", "", "caf\u00e9", " padded ", "line\nbreak",
                "caravan-b64:looks encoded", "\uD83D\uDE00"}) {
            String stored = AzureMetadata.encodeValue(value);
            assertThat(stored.chars().allMatch(c -> c >= 0x20 && c <= 0x7e)).as(value).isTrue();
            assertThat(AzureMetadata.decodeValue(stored)).isEqualTo(value);
        }
        assertThat(AzureMetadata.encodeValue("plain value")).isEqualTo("plain value");
    }

    @Test
    void roundTripIsCaseInsensitiveLikeAzure() {
        Map<String, String> user = new LinkedHashMap<>();
        user.put("Content-Language", "de");
        user.put("owner", "\u00e9milie");
        user.put("X-Amz-Meta-Thing", "1");
        Instant time = Instant.parse("2021-03-04T05:06:07.123456789Z");
        Map<String, String> raw = AzureMetadata.encode(user, time, SHA);
        assertThat(raw).containsEntry(AzureMetadata.MTIME, "2021-03-04T05:06:07.123456789Z")
                .containsEntry(AzureMetadata.SHA256, SHA);
        Map<String, String> headLike = new HashMap<>();
        raw.forEach((k, v) -> headLike.put(k.toUpperCase(Locale.ROOT), v)); // names in any case
        for (Map<String, String> form : java.util.List.of(raw, headLike)) {
            AzureMetadata.Decoded decoded = AzureMetadata.decode(form);
            assertThat(decoded.user()).isEqualTo(user);
            assertThat(decoded.modTime()).isEqualTo(time);
            assertThat(decoded.sha256()).isEqualTo(SHA);
        }
    }

    @Test
    void theEnginesDigestEntryBecomesOurs() {
        Map<String, String> raw = AzureMetadata.encode(Map.of("caravan-sha256", SHA.toUpperCase(Locale.ROOT)), null,
                null);
        assertThat(raw).containsOnlyKeys(AzureMetadata.SHA256).containsEntry(AzureMetadata.SHA256, SHA);
        assertThat(AzureMetadata.encode(Map.of("caravan-sha256", "cd".repeat(32)), null, SHA))
                .containsOnlyKeys(AzureMetadata.SHA256).containsEntry(AzureMetadata.SHA256, SHA);
        assertThat(AzureMetadata.encode(Map.of("caravan-sha256", "not a digest"), null, null)).isEmpty();
    }

    @Test
    void foreignMetadataIsKept() {
        Map<String, String> raw = Map.of("Hdi_IsFolder", "true", "caravanmtime", "yesterday", "caravanfoo", "x",
                "caravansha256", "short");
        AzureMetadata.Decoded decoded = AzureMetadata.decode(raw);
        assertThat(decoded.modTime()).isNull();
        assertThat(decoded.sha256()).isNull();
        assertThat(decoded.user()).containsEntry("hdi_isfolder", "true").containsEntry("caravanmtime", "yesterday")
                .containsEntry("caravanfoo", "x").containsEntry("caravansha256", "short");
    }

    @Test
    void hashes() {
        byte[] md5 = new byte[16];
        md5[15] = 1;
        String hex = "00000000000000000000000000000001";
        assertThat(AzureMetadata.hashes(md5, AzureMetadata.decode(Map.of("caravansha256", SHA))))
                .containsEntry(HashType.MD5, hex).containsEntry(HashType.SHA256, SHA);
        assertThat(AzureMetadata.hashes(null, AzureMetadata.decode(Map.of()))).isEmpty();
    }

    @Test
    void aStoredDigestOfOtherBytesThanTheContentMd5TellsIsNotReported() {
        byte[] md5 = new byte[16];
        md5[15] = 1;
        Map<String, String> raw = AzureMetadata.encode(Map.of("owner", "ann"), null, SHA,
                "00000000000000000000000000000001");
        assertThat(raw).containsEntry("caravanmd5", "00000000000000000000000000000001");
        AzureMetadata.Decoded decoded = AzureMetadata.decode(raw);
        assertThat(decoded.user()).as("Caravan's own key").isEqualTo(Map.of("owner", "ann"));
        assertThat(AzureMetadata.hashes(md5, decoded)).containsEntry(HashType.SHA256, SHA);
        byte[] rewritten = new byte[16];
        assertThat(AzureMetadata.hashes(rewritten, decoded)).as("rewritten with the old metadata")
                .doesNotContainKey(HashType.SHA256).containsKey(HashType.MD5);
        assertThat(AzureMetadata.hashes(null, decoded)).as("no Content-MD5 to tell by")
                .containsEntry(HashType.SHA256, SHA);
    }
}
