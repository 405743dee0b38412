package dev.caravan.connector.s3;

import dev.caravan.api.store.ContentHeaders;
import dev.caravan.api.store.MetadataCheck.Refusal;
import dev.caravan.api.store.MetadataKind;
import dev.caravan.api.store.PutRequest;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.s3.model.Tag;

/**
 * The descriptive attributes of an object in S3 besides its user metadata ({@link S3Metadata}): content headers
 * (Cache-Control, Content-Disposition, Content-Encoding, Content-Language travel as HTTP headers of PutObject,
 * CreateMultipartUpload and HEAD) and object tags (the {@code x-amz-tagging} header on writes, GetObjectTagging on
 * reads). Also what S3 cannot hold of a put request ({@link #refusals}), checked before writing. Stateless.
 */
final class S3Attributes {
    /** S3's most tags per object. */
    static final int MAX_TAGS = 10;
    static final int MAX_TAG_KEY = 128;
    static final int MAX_TAG_VALUE = 256;
    /** Characters S3 allows in tag keys and values. */
    private static final Pattern TAG_TEXT = Pattern.compile("[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*");
    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

    private S3Attributes() {
    }

    /** The value of {@code x-amz-tagging} for these tags (URL query form), or {@code null} for none. */
    static String tagging(Map<String, String> tags) {
        if (tags.isEmpty()) {
            return null;
        }
        StringBuilder sb = new StringBuilder();
        new TreeMap<>(tags).forEach((k, v) -> {
            if (sb.length() > 0) {
                sb.append('&');
            }
            sb.append(encode(k)).append('=').append(encode(v == null ? "" : v));
        });
        return sb.toString();
    }

    /** The tags of an object of {@code store}'s endpoint (GetObjectTagging). */
    static Map<String, String> read(S3ObjectStore store, String bucket, String fullKey, String what) {
        return tags(store.call(what, () -> store.client().getObjectTagging(r -> r.bucket(bucket).key(fullKey)))
                .tagSet());
    }

    /**
     * Whether an object whose HEAD said {@code tagCount} may have tags to read: those it counts, or any object when
     * the server sends no count ({@code tagCountHeader=false}; S3 leaves the header out for untagged objects, so its
     * absence tells nothing there).
     */
    static boolean mayHaveTags(S3Settings settings, Integer tagCount) {
        return !settings.tagCountHeader() || tagCount != null && tagCount > 0;
    }

    /** Tags as GetObjectTagging returns them, as a map. */
    static Map<String, String> tags(List<Tag> tagSet) {
        Map<String, String> out = new TreeMap<>();
        tagSet.forEach(t -> out.put(t.key(), t.value() == null ? "" : t.value()));
        return out;
    }

    /** What S3 would not hold of {@code request}: user metadata, headers and (when kept) tags; see the rules. */
    static List<Refusal> refusals(PutRequest request, boolean tagsKept) {
        List<Refusal> out = new ArrayList<>();
        metadata(request, out);
        request.headers().asMap().forEach((name, value) -> {
            if (!isHeaderValue(value)) {
                out.add(new Refusal(MetadataKind.CONTENT_HEADERS, name, "S3 takes header values of printable "
                        + "US-ASCII only (encode non-ASCII file names as filename*=UTF-8''...)"));
            }
        });
        if (request.contentType() != null && !isHeaderValue(request.contentType())) {
            out.add(new Refusal(MetadataKind.CONTENT_TYPE, "contentType", "S3 takes a content type of printable "
                    + "US-ASCII only"));
        }
        if (tagsKept) {
            tags(request.tags(), out);
        }
        return out;
    }

    private static void metadata(PutRequest request, List<Refusal> out) {
        Set<String> seen = new HashSet<>();
        // the kept time and our SHA-256 with its MD5, which the engine stores with most objects, often after the put
        // (a MetadataWrite that fails when they do not fit): their room is kept, so what does not fit is reported
        int bytes = S3Metadata.OWN_KEYS_BYTES;
        for (Map.Entry<String, String> e : new TreeMap<>(request.metadata()).entrySet()) {
            String name = e.getKey();
            if (!TOKEN.matcher(name).matches()) {
                out.add(new Refusal(MetadataKind.USER_METADATA, name, "S3 metadata keys must be HTTP tokens (letters, "
                        + "digits and !#$%&'*+.^_`|~-)"));
                continue;
            }
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.equals(S3Metadata.MTIME) || lower.equals(S3Metadata.SHA256)
                    || lower.equals(S3Metadata.SHA256_MD5)) {
                out.add(new Refusal(MetadataKind.USER_METADATA, name, "the S3 metadata key " + lower + " is "
                        + "Caravan's own"));
                continue;
            }
            if (!seen.add(lower)) {
                out.add(new Refusal(MetadataKind.USER_METADATA, name, "S3 keeps metadata keys in lower case and "
                        + "another key is also " + lower));
                continue;
            }
            int size = lower.length() + S3Metadata.encodeValue(e.getValue() == null ? "" : e.getValue())
                    .getBytes(StandardCharsets.UTF_8).length;
            if (bytes + size > S3Metadata.MAX_USER_METADATA) {
                out.add(new Refusal(MetadataKind.USER_METADATA, name, "S3 holds at most "
                        + S3Metadata.MAX_USER_METADATA + " bytes of user metadata per object"));
                continue;
            }
            bytes += size;
        }
    }

    private static void tags(Map<String, String> tags, List<Refusal> out) {
        int kept = 0;
        for (Map.Entry<String, String> e : new TreeMap<>(tags).entrySet()) {
            String k = e.getKey();
            String v = e.getValue() == null ? "" : e.getValue();
            String why = null;
            if (k.isEmpty() || k.length() > MAX_TAG_KEY || v.length() > MAX_TAG_VALUE) {
                why = "S3 tag keys are 1 to " + MAX_TAG_KEY + " characters, values at most " + MAX_TAG_VALUE;
            } else if (!TAG_TEXT.matcher(k).matches() || !TAG_TEXT.matcher(v).matches()) {
                why = "S3 tags hold letters, digits, spaces and _ . : / = + - @ only";
            } else if (kept == MAX_TAGS) {
                why = "S3 holds at most " + MAX_TAGS + " tags per object";
            }
            if (why == null) {
                kept++;
            } else {
                out.add(new Refusal(MetadataKind.TAGS, k, why));
            }
        }
    }

    static boolean isHeaderValue(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if ((c < 0x20 && c != '\t') || c > 0x7e) {
                return false;
            }
        }
        return true;
    }

    /** Hands the request's content headers and tags to a request builder's setters (nulls for absent ones). */
    static void apply(PutRequest request, boolean tagsKept, Consumer<String> cacheControl,
            Consumer<String> contentDisposition, Consumer<String> contentEncoding, Consumer<String> contentLanguage,
            Consumer<String> tagging) {
        ContentHeaders h = request.headers();
        if (!h.isEmpty()) {
            cacheControl.accept(h.cacheControl());
            contentDisposition.accept(h.contentDisposition());
            contentEncoding.accept(h.contentEncoding());
            contentLanguage.accept(h.contentLanguage());
        }
        if (tagsKept && !request.tags().isEmpty()) {
            tagging.accept(tagging(request.tags()));
        }
    }

    /** The content headers of a HEAD or GET. */
    static ContentHeaders headers(String cacheControl, String disposition, String encoding, String language) {
        return new ContentHeaders(cacheControl, disposition, encoding, language);
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
