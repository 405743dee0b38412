package dev.caravan.connector.http;

import dev.caravan.api.error.MigrationException;
import dev.caravan.api.store.ObjectKeys;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Maps URLs under a base to keys and back. A key is the URL's path below the base path, each segment
 * percent-decoded ({@code a%20b.txt} is the key {@code a b.txt}); a URL whose path ends with {@code /} maps to
 * {@code <path>/<indexName>} ({@code docs/} is {@code docs/index.html}). Query strings: with
 * {@code queries=ignore} URLs that have one are left out; with {@code queries=keep} the key is
 * {@code path?query} with the query kept exactly as sent (still percent-encoded), and the first {@code ?} of a
 * key always starts its query. URLs are left out (never mapped to a wrong key) when a decoded segment would
 * contain {@code /}, a control character or make an unsafe key, or (with {@code keep}) a literal {@code ?}.
 * Fragments are dropped. Going back, each segment is percent-encoded (everything but RFC 3986 unreserved
 * characters and sub-delimiters), so {@code a+b} stays {@code a+b} and {@code %} becomes {@code %25}.
 * Immutable; thread-safe.
 */
final class HttpKeys {
    private final URI base;
    private final String basePath;
    private final boolean keepQueries;
    private final String indexName;

    HttpKeys(URI base, boolean keepQueries, String indexName) {
        this.base = base;
        this.basePath = base.getRawPath() == null || base.getRawPath().isEmpty() ? "/" : base.getRawPath();
        this.keepQueries = keepQueries;
        this.indexName = indexName;
    }

    /** The base URL, always ending with {@code /}. */
    URI base() {
        return base;
    }

    /** Whether a URL is on the base's scheme, host and port and below its path (what a crawl may follow). */
    boolean isUnderBase(URI url) {
        return url.getScheme() != null && url.getScheme().equalsIgnoreCase(base.getScheme())
                && url.getHost() != null && url.getHost().equalsIgnoreCase(base.getHost())
                && port(url) == port(base)
                && url.getRawPath() != null && url.getRawPath().startsWith(basePath);
    }

    /** The key of a URL, or {@code null} when the URL is outside the base or cannot be mapped safely. */
    String keyOf(URI url) {
        if (!isUnderBase(url)) {
            return null;
        }
        String query = url.getRawQuery();
        if (query != null && !keepQueries) {
            return null;
        }
        String relative = url.getRawPath().substring(basePath.length());
        if (relative.isEmpty() || relative.endsWith("/")) {
            relative = relative + indexName;
        }
        StringBuilder key = new StringBuilder();
        for (String raw : relative.split("/", -1)) {
            String segment = decode(raw);
            if (segment == null || segment.indexOf('/') >= 0 || hasControl(segment)
                    || (keepQueries && segment.indexOf('?') >= 0)) {
                return null;
            }
            if (key.length() > 0) {
                key.append('/');
            }
            key.append(segment);
        }
        if (ObjectKeys.problem(key.toString()) != null) {
            return null;
        }
        if (query != null) {
            if (hasControl(query)) {
                return null;
            }
            key.append('?').append(query);
        }
        return key.toString();
    }

    /** The URL of a key (after {@link ObjectKeys#requireSafe}). */
    URI urlOf(String key) {
        ObjectKeys.requireSafe(key);
        String path = key;
        String query = null;
        int q = keepQueries ? key.indexOf('?') : -1;
        if (q >= 0) {
            path = key.substring(0, q);
            query = key.substring(q + 1);
        }
        StringBuilder raw = new StringBuilder(basePath);
        String[] segments = path.split("/", -1);
        for (int i = 0; i < segments.length; i++) {
            if (i > 0) {
                raw.append('/');
            }
            raw.append(encode(segments[i]));
        }
        if (query != null) {
            raw.append('?').append(query);
        }
        try {
            return new URI(base.getScheme() + "://" + base.getRawAuthority() + raw);
        } catch (URISyntaxException e) {
            throw MigrationException.userData("refusing key '" + key + "': it makes no valid URL (" + e.getReason()
                    + ")");
        }
    }

    /** For a key naming an index page ({@code dir/index.html}), the directory URL ({@code dir/}); else null. */
    URI directoryUrlOf(String key) {
        String path = keepQueries && key.indexOf('?') >= 0 ? null : key;
        if (path == null || !ObjectKeys.baseName(path).equals(indexName)) {
            return null;
        }
        URI url = urlOf(key);
        String raw = url.getRawPath();
        return URI.create(base.getScheme() + "://" + base.getRawAuthority()
                + raw.substring(0, raw.length() - indexName.length()));
    }

    private static int port(URI url) {
        if (url.getPort() >= 0) {
            return url.getPort();
        }
        return "https".equalsIgnoreCase(url.getScheme()) ? 443 : 80;
    }

    private static boolean hasControl(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (Character.isISOControl(text.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    /** Percent-decodes one path segment as UTF-8; {@code null} for malformed escapes or bytes. */
    static String decode(String raw) {
        if (raw.indexOf('%') < 0) {
            return raw;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                if (i + 2 >= raw.length()) {
                    return null;
                }
                int hi = Character.digit(raw.charAt(i + 1), 16);
                int lo = Character.digit(raw.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    return null;
                }
                bytes.write(hi * 16 + lo);
                i += 2;
            } else {
                byte[] utf8 = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                if (Character.isHighSurrogate(c) && i + 1 < raw.length()) {
                    utf8 = raw.substring(i, i + 2).getBytes(StandardCharsets.UTF_8);
                    i++;
                }
                bytes.writeBytes(utf8);
            }
        }
        byte[] decoded = bytes.toByteArray();
        String text = new String(decoded, StandardCharsets.UTF_8);
        return java.util.Arrays.equals(text.getBytes(StandardCharsets.UTF_8), decoded) ? text : null;
    }

    /** Percent-encodes one path segment: all but unreserved characters, sub-delimiters, ':' and '@'. */
    static String encode(String segment) {
        StringBuilder out = new StringBuilder(segment.length() + 8);
        for (byte b : segment.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "-._~!$&'()*+,;=:@".indexOf(c) >= 0) {
                out.append((char) c);
            } else {
                out.append('%').append(String.format(Locale.ROOT, "%02X", c));
            }
        }
        return out.toString();
    }
}
