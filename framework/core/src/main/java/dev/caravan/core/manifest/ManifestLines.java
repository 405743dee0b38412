package dev.caravan.core.manifest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;

/**
 * The JSON of a manifest's lines: a header ({@code {"caravanManifest":1,...}}), one line per object
 * ({@code {"key":...,"size":...,"sha256":...}}) and a footer ({@code {"objects":...,"bytes":...,"chain":...}}). Parsing
 * fails with a {@link MalformedLineException} that says what is wrong (the caller adds the line number).
 */
public final class ManifestLines {
    /** The format version this code writes and reads. */
    public static final int FORMAT_VERSION = 1;
    static final String HEADER_FIELD = "caravanManifest";
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final ObjectMapper JSON = new ObjectMapper();

    private ManifestLines() {
    }

    static String header(ManifestHeader h) {
        ObjectNode n = JSON.createObjectNode();
        n.put(HEADER_FIELD, h.version());
        n.put("location", h.location());
        n.put("created", h.created().toString());
        n.put("tool", h.tool());
        return write(n);
    }

    static String entry(ManifestEntry e) {
        ObjectNode n = JSON.createObjectNode();
        n.put("key", e.key());
        n.put("size", e.size());
        n.put("sha256", e.sha256());
        if (e.modTime() != null) {
            n.put("modified", e.modTime().toString());
        }
        if (e.etag() != null) {
            n.put("etag", e.etag());
        }
        return write(n);
    }

    static String footer(ManifestFooter f) {
        ObjectNode n = JSON.createObjectNode();
        n.put("objects", f.objects());
        n.put("bytes", f.bytes());
        n.put("chain", f.chain());
        return write(n);
    }

    /** The header of a first line; a header of another format version is refused too. */
    static ManifestHeader parseHeader(String line) {
        JsonNode n = parse(line);
        if (!n.has(HEADER_FIELD)) {
            throw new MalformedLineException("not a Caravan manifest (its first line has no \"" + HEADER_FIELD + "\")");
        }
        if (!n.get(HEADER_FIELD).isInt() || n.get(HEADER_FIELD).intValue() != FORMAT_VERSION) {
            throw new MalformedLineException("unknown manifest format version " + n.get(HEADER_FIELD)
                    + " (this Caravan reads version " + FORMAT_VERSION + ")");
        }
        return new ManifestHeader(FORMAT_VERSION, text(n, "location", true), instant(n, "created"),
                text(n, "tool", false));
    }

    /** The footer in {@code line}, or {@code null} when the line is not one (an object line, or no JSON at all). */
    static ManifestFooter footerOrNull(String line) {
        JsonNode n;
        try {
            n = parse(line);
        } catch (MalformedLineException e) {
            return null;
        }
        if (!n.has("chain") || n.has("key")) {
            return null;
        }
        return new ManifestFooter(number(n, "objects"), number(n, "bytes"), sha256(n, "chain"));
    }

    static ManifestEntry parseEntry(String line) {
        JsonNode n = parse(line);
        long size = number(n, "size");
        return new ManifestEntry(text(n, "key", true), size, sha256(n, "sha256"),
                n.has("modified") ? instant(n, "modified") : null, text(n, "etag", false));
    }

    private static JsonNode parse(String line) {
        try {
            JsonNode n = JSON.readTree(line);
            if (n == null || !n.isObject()) {
                throw new MalformedLineException("not a JSON object");
            }
            return n;
        } catch (JsonProcessingException e) {
            throw new MalformedLineException("not JSON (" + e.getOriginalMessage() + ")");
        }
    }

    private static String text(JsonNode n, String field, boolean required) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                throw new MalformedLineException("no \"" + field + "\"");
            }
            return null;
        }
        if (!v.isTextual()) {
            throw new MalformedLineException("\"" + field + "\" is not a string");
        }
        return v.textValue();
    }

    private static long number(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.canConvertToExactIntegral() || !v.canConvertToLong() || v.longValue() < 0) {
            throw new MalformedLineException("\"" + field + "\" is not a whole number of 0 or more");
        }
        return v.longValue();
    }

    private static String sha256(JsonNode n, String field) {
        String v = text(n, field, true);
        if (!SHA256.matcher(v).matches()) {
            throw new MalformedLineException("\"" + field + "\" is not a SHA-256 (64 lower-case hex digits)");
        }
        return v;
    }

    private static Instant instant(JsonNode n, String field) {
        String v = text(n, field, true);
        try {
            return Instant.parse(v);
        } catch (DateTimeParseException e) {
            throw new MalformedLineException("\"" + field + "\" is not a time like 2024-01-31T12:00:00Z");
        }
    }

    private static String write(ObjectNode n) {
        try {
            return JSON.writeValueAsString(n);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A line that is not what its place in the manifest calls for. */
    public static final class MalformedLineException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        MalformedLineException(String message) {
            super(message);
        }
    }
}
