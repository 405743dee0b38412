package dev.caravan.api.store;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The standard content headers an object store may keep with an object besides its content type (HTTP's
 * {@code Cache-Control}, {@code Content-Disposition}, {@code Content-Encoding}, {@code Content-Language}). Each is
 * {@code null} when absent; blank values count as absent. Immutable.
 *
 * @param cacheControl       e.g. {@code max-age=3600}
 * @param contentDisposition e.g. {@code attachment; filename="a.pdf"}
 * @param contentEncoding    e.g. {@code gzip} (the stored bytes are encoded; stores never decode them)
 * @param contentLanguage    e.g. {@code de-CH}
 */
public record ContentHeaders(String cacheControl, String contentDisposition, String contentEncoding,
        String contentLanguage) {

    /** No header. */
    public static final ContentHeaders EMPTY = new ContentHeaders(null, null, null, null);

    /** Attribute names of the headers, in the order of {@link #asMap()}. */
    public static final String CACHE_CONTROL = "cacheControl";
    public static final String CONTENT_DISPOSITION = "contentDisposition";
    public static final String CONTENT_ENCODING = "contentEncoding";
    public static final String CONTENT_LANGUAGE = "contentLanguage";

    public ContentHeaders {
        cacheControl = blankToNull(cacheControl);
        contentDisposition = blankToNull(contentDisposition);
        contentEncoding = blankToNull(contentEncoding);
        contentLanguage = blankToNull(contentLanguage);
    }

    /** Whether no header is set. */
    public boolean isEmpty() {
        return cacheControl == null && contentDisposition == null && contentEncoding == null
                && contentLanguage == null;
    }

    /** The headers that are set, by attribute name ({@link #CACHE_CONTROL}, ...), in a fixed order. */
    public Map<String, String> asMap() {
        Map<String, String> out = new LinkedHashMap<>();
        putIfSet(out, CACHE_CONTROL, cacheControl);
        putIfSet(out, CONTENT_DISPOSITION, contentDisposition);
        putIfSet(out, CONTENT_ENCODING, contentEncoding);
        putIfSet(out, CONTENT_LANGUAGE, contentLanguage);
        return out;
    }

    /** The inverse of {@link #asMap()}; other names are ignored. */
    public static ContentHeaders fromMap(Map<String, String> headers) {
        ContentHeaders h = new ContentHeaders(headers.get(CACHE_CONTROL), headers.get(CONTENT_DISPOSITION),
                headers.get(CONTENT_ENCODING), headers.get(CONTENT_LANGUAGE));
        return h.isEmpty() ? EMPTY : h;
    }

    /** {@code headers}, or {@link #EMPTY} for {@code null}. */
    public static ContentHeaders orEmpty(ContentHeaders headers) {
        return headers == null ? EMPTY : headers;
    }

    private static void putIfSet(Map<String, String> out, String name, String value) {
        if (value != null) {
            out.put(name, value);
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
