package dev.caravan.connector.s3;

import dev.caravan.api.error.MigrationException;
import dev.caravan.api.store.HashType;
import dev.caravan.api.store.ObjectInfo;
import dev.caravan.api.store.PutRequest;
import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * How Caravan's object facts map onto S3 and back. Stateless.
 *
 * <ul>
 * <li>The modification time is kept in the user metadata {@value #MTIME} (epoch milliseconds, so 1 ms precision),
 * because S3's LastModified is the upload time; objects without it report LastModified (whole seconds).</li>
 * <li>Our SHA-256 is kept in {@value #SHA256} (lower-case hex) and reported as {@link HashType#SHA256}, unless
 * {@value #SHA256_MD5}, the MD5 of the bytes it was computed from, differs from the MD5 the ETag gives (the object was
 * rewritten since, its metadata copied along).</li>
 * <li>The ETag is reported as MD5 only when it is a plain 32-digit MD5: never for multipart ETags ({@code -N}) and
 * never for objects encrypted with SSE-KMS or SSE-C, whose ETags are not digests of the bytes.</li>
 * <li>Zero-byte objects of type {@code application/x-directory}, and keys ending in {@code /}, are directory
 * markers of other tools, not objects.</li>
 * <li>User metadata: S3 keeps keys in lower case (a declared mapping; keys that collide after it are refused) and
 * values in US-ASCII; other values are stored RFC 2047 encoded ({@code =?UTF-8?B?...?=}) and decoded on reading.
 * Keys that are not HTTP tokens and metadata over S3's 2 KB limit are refused with USER_DATA, never dropped.
 * The {@code caravan-*} keys are not shown in {@link ObjectInfo#metadata()}: they are the time and hashes.</li>
 * </ul>
 */
final class S3Metadata {
    /** User metadata key of the kept modification time (epoch milliseconds). */
    static final String MTIME = "caravan-mtime";
    /** User metadata key of our SHA-256 (hex), the same key the engine's copy pipeline writes. */
    static final String SHA256 = "caravan-sha256";
    /**
     * User metadata key of the MD5 (hex) of the bytes {@value #SHA256} describes, written beside it when the MD5 is
     * known (single-part objects): an object rewritten since with other bytes but the same metadata then shows
     * another MD5 in its ETag, and its stored SHA-256 is known to be stale.
     */
    static final String SHA256_MD5 = "caravan-md5";
    /** The room Caravan's own keys take in the user metadata (names and values), which S3 caps at 2 KB. */
    static final int OWN_KEYS_BYTES = MTIME.length() + 13 + SHA256.length() + 64 + SHA256_MD5.length() + 32;
    /** S3's limit of user metadata (keys and values, UTF-8 bytes). */
    static final int MAX_USER_METADATA = 2048;

    private static final String DIRECTORY_TYPE = "application/x-directory";
    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
    private static final Pattern PLAIN_MD5 = Pattern.compile("[0-9a-f]{32}");
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern ENCODED_WORD = Pattern.compile("=\\?([^?]+)\\?([BbQq])\\?([^?]*)\\?=");

    private S3Metadata() {
    }

    /**
     * Whether a HEAD found a directory marker rather than an object: empty, of type {@code application/x-directory}
     * (how jclouds-based servers such as S3Proxy and some S3 browsers show folders).
     */
    static boolean isDirectoryMarker(HeadObjectResponse h) {
        return DIRECTORY_TYPE.equals(h.contentType()) && h.contentLength() != null && h.contentLength() == 0;
    }

    /** What a HEAD (or GET) tells about an object. */
    static ObjectInfo fromHead(String key, HeadObjectResponse h) {
        Map<String, String> raw = h.metadata();
        Map<HashType, String> hashes = new EnumMap<>(HashType.class);
        String md5 = contentMd5(h);
        String sha = raw.get(SHA256);
        String shaOf = raw.get(SHA256_MD5);
        boolean stale = md5 != null && shaOf != null && !shaOf.equalsIgnoreCase(md5); // rewritten since
        if (sha != null && SHA256_HEX.matcher(sha).matches() && !stale) {
            hashes.put(HashType.SHA256, sha);
        }
        if (md5 != null) {
            hashes.put(HashType.MD5, md5);
        }
        Instant modTime = keptTime(raw);
        if (modTime == null && h.lastModified() != null) {
            modTime = h.lastModified().truncatedTo(ChronoUnit.SECONDS);
        }
        long size = h.contentLength() == null ? -1 : h.contentLength();
        return new ObjectInfo(key, size, modTime, hashes, h.eTag(), h.contentType(), userMetadata(raw), -1,
                S3Attributes.headers(h.cacheControl(), h.contentDisposition(), h.contentEncoding(),
                        h.contentLanguage()), Map.of());
    }

    /**
     * The MD5 of an object's bytes as its ETag tells it, or {@code null}: multipart ETags ({@code -N}) and the ETags
     * of objects encrypted with SSE-KMS or SSE-C are no digests of the bytes.
     */
    static String contentMd5(HeadObjectResponse h) {
        boolean opaqueEtag = h.sseCustomerAlgorithm() != null || h.serverSideEncryptionAsString() != null
                && h.serverSideEncryptionAsString().startsWith("aws:kms");
        return opaqueEtag ? null : md5OfEtag(h.eTag());
    }

    /** Adds our SHA-256 to user metadata, with the MD5 of the same bytes when it is known ({@code null}: not). */
    static void putDigest(Map<String, String> metadata, String sha256, String md5) {
        metadata.put(SHA256, sha256);
        if (md5 != null) {
            metadata.put(SHA256_MD5, md5);
        } else {
            metadata.remove(SHA256_MD5);
        }
    }

    /**
     * What a listing tells about an object: size, ETag and S3's LastModified in whole seconds (what a HEAD would
     * say for an object without a kept time); no hashes, since a listing does not say how an object is encrypted.
     */
    static ObjectInfo fromListing(String key, S3Object o) {
        Instant modTime = o.lastModified() == null ? null : o.lastModified().truncatedTo(ChronoUnit.SECONDS);
        long size = o.size() == null ? -1 : o.size();
        return new ObjectInfo(key, size, modTime, Map.of(), o.eTag(), null, Map.of(), -1);
    }

    /** The user metadata to send with a new object: the request's (encoded) plus the kept time. */
    static Map<String, String> forPut(String key, PutRequest request) {
        Map<String, String> out = encode(key, request.metadata());
        if (request.modTime() != null) {
            out.put(MTIME, Long.toString(request.modTime().toEpochMilli()));
        }
        checkSize(key, out);
        return out;
    }

    /** Checks and encodes user metadata for S3 (lower-case keys, RFC 2047 for non-ASCII values). */
    static Map<String, String> encode(String key, Map<String, String> metadata) {
        Map<String, String> out = new LinkedHashMap<>();
        Set<String> seen = new HashSet<>();
        for (Map.Entry<String, String> e : metadata.entrySet()) {
            String name = e.getKey();
            if (name == null || !TOKEN.matcher(name).matches()) {
                throw MigrationException.userData("cannot store metadata key '" + name + "' of '" + key + "' in S3: "
                        + "keys must be HTTP tokens (letters, digits and !#$%&'*+.^_`|~-)");
            }
            String lower = name.toLowerCase(Locale.ROOT);
            if (!seen.add(lower)) {
                throw MigrationException.userData("metadata keys of '" + key + "' differ only in case ('" + name
                        + "'); S3 keeps keys in lower case and would merge them");
            }
            out.put(lower, encodeValue(e.getValue() == null ? "" : e.getValue()));
        }
        return out;
    }

    /** Fails with USER_DATA when metadata exceeds what S3 holds. */
    static void checkSize(String key, Map<String, String> encoded) {
        int bytes = 0;
        for (Map.Entry<String, String> e : encoded.entrySet()) {
            bytes += e.getKey().getBytes(StandardCharsets.UTF_8).length + e.getValue().getBytes(StandardCharsets.UTF_8)
                    .length;
        }
        if (bytes > MAX_USER_METADATA) {
            throw MigrationException.userData("the user metadata of '" + key + "' takes " + bytes + " bytes; S3 holds "
                    + "at most " + MAX_USER_METADATA);
        }
    }

    /** The user metadata to show: decoded, without Caravan's own keys. */
    static Map<String, String> userMetadata(Map<String, String> raw) {
        Map<String, String> out = new LinkedHashMap<>();
        raw.forEach((k, v) -> {
            if (!k.equals(MTIME) && !k.equals(SHA256) && !k.equals(SHA256_MD5)) {
                out.put(k, decodeValue(v));
            }
        });
        return out;
    }

    /** The kept modification time, or {@code null} when there is none (or it is not a number). */
    static Instant keptTime(Map<String, String> raw) {
        String millis = raw.get(MTIME);
        if (millis == null) {
            return null;
        }
        try {
            return Instant.ofEpochMilli(Long.parseLong(millis.trim()));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** The MD5 an ETag stands for, or {@code null} for multipart and other non-MD5 ETags. */
    static String md5OfEtag(String etag) {
        if (etag == null) {
            return null;
        }
        String e = etag.replace("\"", "").trim().toLowerCase(Locale.ROOT);
        return PLAIN_MD5.matcher(e).matches() ? e : null;
    }

    /**
     * The value as S3 can hold it: as it is when it is printable US-ASCII that reading leaves unchanged, else one
     * RFC 2047 encoded word. A literal value that reads as encoded words ({@code =?UTF-8?B?WsO8cmljaA==?=}) is
     * encoded too, so that {@link #decodeValue} gives it back as it was, not decoded.
     */
    static String encodeValue(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                return encodedWord(value);
            }
        }
        return decodeValue(value).equals(value) ? value : encodedWord(value);
    }

    private static String encodedWord(String value) {
        return "=?UTF-8?B?" + Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8)) + "?=";
    }

    static String decodeValue(String value) {
        if (value == null || !value.contains("=?")) {
            return value;
        }
        Matcher m = ENCODED_WORD.matcher(value);
        StringBuilder out = new StringBuilder();
        int last = 0;
        while (m.find()) {
            String between = value.substring(last, m.start());
            if (last == 0 || !between.isBlank()) {
                out.append(between); // whitespace between adjacent encoded words is dropped (RFC 2047)
            }
            try {
                Charset cs = Charset.forName(m.group(1));
                byte[] bytes = m.group(2).equalsIgnoreCase("B") ? Base64.getDecoder().decode(m.group(3))
                        : quoted(m.group(3));
                out.append(new String(bytes, cs));
            } catch (IllegalArgumentException e) {
                out.append(m.group());
            }
            last = m.end();
        }
        out.append(value.substring(last));
        return out.toString();
    }

    private static byte[] quoted(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '_') {
                out.write(' ');
            } else if (c == '=' && i + 2 < text.length()) {
                out.write(Integer.parseInt(text.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                out.write(c);
            }
        }
        return out.toByteArray();
    }

    static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
