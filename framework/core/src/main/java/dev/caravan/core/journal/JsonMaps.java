package dev.caravan.core.journal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.StringWriter;
import java.util.Map;
import java.util.TreeMap;

/**
 * String maps to and from JSON text for the journal's checkpoint, report and next-run columns. Uses Jackson's
 * streaming API, not data binding: these maps are written and read once per task, and the object mapper's
 * machinery (reflection, serializer caches) costs a short run more CPU (class loading, JIT) than the maps do.
 */
final class JsonMaps {
    private static final JsonFactory JSON = new JsonFactory();

    private JsonMaps() {
    }

    /** A JSON object of the map's entries in key order, or {@code null} for a null or empty map. */
    static String write(Map<String, String> map) {
        if (map == null || map.isEmpty()) {
            return null;
        }
        StringWriter out = new StringWriter(32 * map.size());
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            for (Map.Entry<String, String> e : new TreeMap<>(map).entrySet()) {
                g.writeStringField(e.getKey(), e.getValue());
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toString();
    }

    /** The map a {@link #write} produced (an empty map for null or empty text); values may be null. */
    static Map<String, String> read(String json) {
        if (json == null || json.isEmpty()) {
            return Map.of();
        }
        try (JsonParser p = JSON.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalStateException("corrupt journal entry (not a JSON object): " + json);
            }
            Map<String, String> map = new TreeMap<>();
            for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
                String key = p.getCurrentName();
                JsonToken value = p.nextToken();
                if (value == JsonToken.START_OBJECT || value == JsonToken.START_ARRAY) {
                    throw new IllegalStateException("corrupt journal entry (nested value at " + key + "): " + json);
                }
                map.put(key, value == JsonToken.VALUE_NULL ? null : p.getText());
            }
            if (p.currentToken() != JsonToken.END_OBJECT) {
                throw new IllegalStateException("corrupt journal entry: " + json);
            }
            return map;
        } catch (IOException e) {
            throw new IllegalStateException("corrupt journal entry: " + json, e);
        }
    }
}
