package dev.caravan.connector.azureblob;

import dev.caravan.api.store.HashType;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The declared rule that maps Caravan's user metadata, modification time and SHA-256 onto Azure blob metadata, and
 * back. Azure metadata names must be C# identifiers (ASCII letters, digits and {@code _}, not starting with a digit)
 * and are case-insensitive (a HEAD returns them lower-cased, a listing as written); values travel as HTTP header
 * values (printable ASCII). The rule, which loses nothing:
 *
 * <ul>
 * <li>our modification time is stored as {@code caravanmtime} (ISO-8601, nanoseconds kept), our SHA-256 as
 * {@code caravansha256} (lower-case hex), with {@code caravanmd5}, the blob's Content-MD5 in hex, when it has one;
 * the engine's {@code caravan-sha256} metadata maps onto the SHA-256;</li>
 * <li>a user name made only of {@code a-z}, {@code 0-9} and {@code _}, not starting with a digit or with
 * {@code caravan}, is stored unchanged;</li>
 * <li>any other name {@code n} is stored as {@code caravanx_} followed by {@code n}'s UTF-8 bytes where
 * {@code a-z} and {@code 0-9} stay and every other byte becomes {@code _} and two lower-case hex digits:
 * {@code Content-Language} is stored as {@code caravanx__43ontent_2d_4canguage};</li>
 * <li>a value that is not printable ASCII, has leading or trailing blanks, or starts with {@code caravan-b64:} is
 * stored as {@code caravan-b64:} followed by the Base64 of its UTF-8 bytes.</li>
 * </ul>
 *
 * <p>Names are decoded case-insensitively, so the rule gives the same result for a HEAD and a listing. Stateless.
 */
final class AzureMetadata {
    /** Azure metadata name of our modification time. */
    static final String MTIME = "caravanmtime";
    /** Azure metadata name of our SHA-256. */
    static final String SHA256 = "caravansha256";
    /**
     * Azure metadata name of the MD5 (hex) of the bytes {@value #SHA256} describes, kept beside it when the blob has a
     * Content-MD5: a blob rewritten since with other bytes but the same metadata then shows another Content-MD5, and
     * its stored SHA-256 is known to be stale.
     */
    static final String SHA256_MD5 = "caravanmd5";
    /** The engine's metadata name for our SHA-256 (see the core copy pipeline). */
    static final String ENGINE_SHA256 = "caravan-sha256";
    static final String ENCODED_NAME = "caravanx_";
    static final String ENCODED_VALUE = "caravan-b64:";
    private static final String RESERVED = "caravan";
    private static final HexFormat HEX = HexFormat.of();

    private AzureMetadata() {
    }

    /**
     * What Caravan reads from a blob's raw Azure metadata.
     *
     * @param sha256Md5 the MD5 (hex) of the bytes {@code sha256} describes, or {@code null} when not kept
     */
    record Decoded(Map<String, String> user, Instant modTime, String sha256, String sha256Md5) {
    }

    /** {@link #encode(Map, Instant, String, String)} without the MD5 of the digested bytes. */
    static Map<String, String> encode(Map<String, String> user, Instant modTime, String sha256) {
        return encode(user, modTime, sha256, null);
    }

    /**
     * The raw Azure metadata for a write: the user's metadata mapped by the rule, plus the modification time and
     * SHA-256 when given, and with the SHA-256 the blob's Content-MD5 ({@code md5}, hex) when given. A
     * {@code caravan-sha256} entry of {@code user} is dropped when {@code sha256} is given.
     */
    static Map<String, String> encode(Map<String, String> user, Instant modTime, String sha256, String md5) {
        Map<String, String> raw = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : user.entrySet()) {
            if (e.getKey().equalsIgnoreCase(ENGINE_SHA256)) {
                if (sha256 == null && isSha256(e.getValue())) {
                    raw.put(SHA256, e.getValue().toLowerCase(Locale.ROOT));
                }
                continue;
            }
            raw.put(encodeName(e.getKey()), encodeValue(e.getValue() == null ? "" : e.getValue()));
        }
        if (modTime != null) {
            raw.put(MTIME, modTime.toString());
        }
        if (sha256 != null) {
            raw.put(SHA256, sha256.toLowerCase(Locale.ROOT));
            if (md5 != null) {
                raw.put(SHA256_MD5, md5.toLowerCase(Locale.ROOT));
            }
        }
        return raw;
    }

    /** Reads raw Azure metadata (names in any case); entries that do not decode are kept as they are. */
    static Decoded decode(Map<String, String> raw) {
        if (raw == null || raw.isEmpty()) {
            return new Decoded(Map.of(), null, null, null);
        }
        Map<String, String> user = new HashMap<>();
        Instant modTime = null;
        String sha256 = null;
        String sha256Md5 = null;
        for (Map.Entry<String, String> e : raw.entrySet()) {
            String name = e.getKey().toLowerCase(Locale.ROOT);
            String value = e.getValue() == null ? "" : e.getValue();
            if (name.equals(MTIME)) {
                modTime = parseTime(value);
                if (modTime == null) {
                    user.put(e.getKey(), value);
                }
            } else if (name.equals(SHA256) && isSha256(value)) {
                sha256 = value.toLowerCase(Locale.ROOT);
            } else if (name.equals(SHA256_MD5) && value.length() == 32 && isHex(value)) {
                sha256Md5 = value.toLowerCase(Locale.ROOT);
            } else {
                String decodedName = decodeName(name);
                user.put(decodedName == null ? e.getKey() : decodedName, decodeValue(value));
            }
        }
        return new Decoded(user, modTime, sha256, sha256Md5);
    }

    /**
     * The hashes of a blob: its Content-MD5 when the service has one, and our stored SHA-256 unless the MD5 kept
     * with it differs from the Content-MD5 (the blob was rewritten since, its metadata copied along).
     */
    static Map<HashType, String> hashes(byte[] contentMd5, Decoded meta) {
        Map<HashType, String> hashes = new HashMap<>();
        String md5 = md5Hex(contentMd5);
        if (md5 != null) {
            hashes.put(HashType.MD5, md5);
        }
        boolean stale = md5 != null && meta.sha256Md5() != null && !meta.sha256Md5().equals(md5);
        if (meta.sha256() != null && !stale) {
            hashes.put(HashType.SHA256, meta.sha256());
        }
        return hashes;
    }

    /** A Content-MD5 as lower-case hex, or {@code null} when there is none. */
    static String md5Hex(byte[] contentMd5) {
        return contentMd5 != null && contentMd5.length == 16 ? HEX.formatHex(contentMd5) : null;
    }

    /** The Azure name of a user metadata name. */
    static String encodeName(String name) {
        if (isPlain(name)) {
            return name;
        }
        StringBuilder sb = new StringBuilder(ENCODED_NAME);
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
                sb.append(c);
            } else {
                sb.append('_').append(HEX.toHexDigits(b));
            }
        }
        return sb.toString();
    }

    /** The user name of a lower-cased Azure name, or {@code null} when it is not one the rule produces. */
    static String decodeName(String azureName) {
        if (!azureName.startsWith(ENCODED_NAME)) {
            return isPlain(azureName) ? azureName : null;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        String body = azureName.substring(ENCODED_NAME.length());
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (c == '_') {
                if (i + 2 >= body.length()) {
                    return null;
                }
                try {
                    bytes.write(HEX.fromHexDigits(body, i + 1, i + 3));
                } catch (RuntimeException e) {
                    return null;
                }
                i += 2;
            } else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
                bytes.write(c);
            } else {
                return null;
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    static String encodeValue(String value) {
        if (isPlainValue(value)) {
            return value;
        }
        return ENCODED_VALUE + Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
    }

    static String decodeValue(String value) {
        if (!value.startsWith(ENCODED_VALUE)) {
            return value;
        }
        try {
            return new String(Base64.getDecoder().decode(value.substring(ENCODED_VALUE.length())),
                    StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return value;
        }
    }

    private static boolean isPlain(String name) {
        if (name.isEmpty() || name.startsWith(RESERVED) || (name.charAt(0) >= '0' && name.charAt(0) <= '9')) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) {
                return false;
            }
        }
        return true;
    }

    private static boolean isPlainValue(String value) {
        if (value.startsWith(ENCODED_VALUE)) {
            return false;
        }
        if (!value.isEmpty() && (value.charAt(0) == ' ' || value.charAt(value.length() - 1) == ' ')) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                return false;
            }
        }
        return true;
    }

    private static boolean isSha256(String value) {
        return value != null && value.length() == 64 && isHex(value);
    }

    private static boolean isHex(String value) {
        return value.chars().allMatch(c -> Character.digit(c, 16) >= 0);
    }

    private static Instant parseTime(String value) {
        try {
            return Instant.parse(value);
        } catch (DateTimeException e) {
            try {
                return OffsetDateTime.parse(value).toInstant();
            } catch (DateTimeException again) {
                return null;
            }
        }
    }
}
