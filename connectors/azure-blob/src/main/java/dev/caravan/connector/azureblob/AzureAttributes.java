package dev.caravan.connector.azureblob;

import com.azure.storage.blob.models.BlobHttpHeaders;
import com.azure.storage.blob.models.BlobProperties;
import dev.caravan.api.store.ContentHeaders;
import dev.caravan.api.store.MetadataCheck.Refusal;
import dev.caravan.api.store.MetadataKind;
import dev.caravan.api.store.PutRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The descriptive attributes of a blob besides its metadata ({@link AzureMetadata}): the content type and content
 * headers ({@link BlobHttpHeaders}: Cache-Control, Content-Disposition, Content-Encoding, Content-Language) and blob
 * index tags ({@code x-ms-tags} on Put Blob and Put Block List, Get Blob Tags on reads, only for blobs whose
 * properties count tags). Also what Azure cannot hold of a put request ({@link #refusals}). Stateless.
 */
final class AzureAttributes {
    /** Azure's most index tags per blob. */
    static final int MAX_TAGS = 10;
    static final int MAX_TAG_KEY = 128;
    static final int MAX_TAG_VALUE = 256;
    /** Azure's limit of all metadata of a blob (names and values). */
    static final int MAX_METADATA = 8 * 1024;
    private static final Pattern TAG_TEXT = Pattern.compile("[A-Za-z0-9 +\\-./:=_]*");

    private AzureAttributes() {
    }

    /** The content type (Azure's default when none is given) and content headers for a write. */
    static BlobHttpHeaders headers(PutRequest request) {
        String type = request.contentType() == null || request.contentType().isBlank() ? "application/octet-stream"
                : request.contentType();
        ContentHeaders h = request.headers();
        return new BlobHttpHeaders().setContentType(type).setCacheControl(h.cacheControl())
                .setContentDisposition(h.contentDisposition()).setContentEncoding(h.contentEncoding())
                .setContentLanguage(h.contentLanguage());
    }

    /** The content headers of a blob's properties. */
    static ContentHeaders headers(BlobProperties p) {
        return new ContentHeaders(p.getCacheControl(), p.getContentDisposition(), p.getContentEncoding(),
                p.getContentLanguage());
    }

    /** The tags to write, or {@code null} for none (or when the store does not write tags). */
    static Map<String, String> tags(PutRequest request, boolean tagsKept) {
        return tagsKept && !request.tags().isEmpty() ? new LinkedHashMap<>(request.tags()) : null;
    }

    /** What Azure would not hold of {@code request}. */
    static List<Refusal> refusals(PutRequest request, boolean tagsKept) {
        List<Refusal> out = new ArrayList<>();
        int bytes = request.modTime() == null ? 0 : 60; // caravanmtime and its ISO-8601 value
        bytes += 80 + 42; // caravansha256 and caravanmd5 with their values, written with most objects
        for (Map.Entry<String, String> e : new TreeMap<>(request.metadata()).entrySet()) {
            String name = AzureMetadata.encodeName(e.getKey());
            String value = AzureMetadata.encodeValue(e.getValue() == null ? "" : e.getValue());
            int size = name.length() + value.getBytes(StandardCharsets.UTF_8).length;
            if (bytes + size > MAX_METADATA) {
                out.add(new Refusal(MetadataKind.USER_METADATA, e.getKey(), "Azure holds at most " + MAX_METADATA
                        + " bytes of metadata per blob (names as Caravan encodes them, see the connector page)"));
            } else {
                bytes += size;
            }
        }
        request.headers().asMap().forEach((name, value) -> {
            if (!printableAscii(value)) {
                out.add(new Refusal(MetadataKind.CONTENT_HEADERS, name, "Azure takes header values of printable "
                        + "US-ASCII only (encode non-ASCII file names as filename*=UTF-8''...)"));
            }
        });
        if (request.contentType() != null && !printableAscii(request.contentType())) {
            out.add(new Refusal(MetadataKind.CONTENT_TYPE, "contentType", "Azure takes a content type of printable "
                    + "US-ASCII only"));
        }
        if (tagsKept) {
            int kept = 0;
            for (Map.Entry<String, String> e : new TreeMap<>(request.tags()).entrySet()) {
                String k = e.getKey();
                String v = e.getValue() == null ? "" : e.getValue();
                String why = null;
                if (k.isEmpty() || k.length() > MAX_TAG_KEY || v.length() > MAX_TAG_VALUE) {
                    why = "Azure tag keys are 1 to " + MAX_TAG_KEY + " characters, values at most " + MAX_TAG_VALUE;
                } else if (!TAG_TEXT.matcher(k).matches() || !TAG_TEXT.matcher(v).matches()) {
                    why = "Azure tags hold ASCII letters, digits, spaces and + - . / : = _ only";
                } else if (kept == MAX_TAGS) {
                    why = "Azure holds at most " + MAX_TAGS + " tags per blob";
                }
                if (why == null) {
                    kept++;
                } else {
                    out.add(new Refusal(MetadataKind.TAGS, k, why));
                }
            }
        }
        return out;
    }

    private static boolean printableAscii(String value) {
        return value.chars().allMatch(c -> c >= 0x20 && c <= 0x7e || c == '\t');
    }
}
