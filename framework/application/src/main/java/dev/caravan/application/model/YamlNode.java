package dev.caravan.application.model;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.caravan.api.error.MigrationException;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A YAML value that remembers where it was written: Jackson's tree model drops locations, so plans are read into
 * this small tree instead, and every error can say {@code file:line:column}. Immutable once built.
 */
final class YamlNode {
    enum Type { MAP, LIST, SCALAR, NULL }

    final Type type;
    final String file;
    final int line;
    final int column;
    final String scalar;
    final Map<String, YamlNode> map;
    final Map<String, YamlNode> keys;
    final List<YamlNode> list;

    private YamlNode(Type type, String file, JsonLocation at, String scalar, Map<String, YamlNode> map,
            Map<String, YamlNode> keys, List<YamlNode> list) {
        this.type = type;
        this.file = file;
        this.line = at == null ? 0 : at.getLineNr();
        this.column = at == null ? 0 : at.getColumnNr();
        this.scalar = scalar;
        this.map = map;
        this.keys = keys;
        this.list = list;
    }

    /** Reads one YAML document; a syntax error is a USER_CONFIG error with its location. */
    static YamlNode read(Reader in, String file) {
        try (JsonParser p = new YAMLFactory().createParser(in)) {
            JsonToken t = p.nextToken();
            if (t == null) {
                return new YamlNode(Type.NULL, file, null, null, Map.of(), Map.of(), List.of());
            }
            return value(p, file);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw MigrationException.userConfig(file + ":" + (at == null ? 0 : at.getLineNr()) + ":"
                    + (at == null ? 0 : at.getColumnNr()) + ": not valid YAML: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw MigrationException.userConfig("cannot read " + file + ": " + e.getMessage());
        }
    }

    private static YamlNode value(JsonParser p, String file) throws IOException {
        JsonLocation at = p.currentTokenLocation();
        switch (p.currentToken()) {
            case START_OBJECT -> {
                Map<String, YamlNode> map = new LinkedHashMap<>();
                Map<String, YamlNode> keys = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    YamlNode key = new YamlNode(Type.SCALAR, file, p.currentTokenLocation(), name, Map.of(), Map.of(),
                            List.of());
                    if (map.containsKey(name)) {
                        throw key.error("key '" + name + "' is given twice");
                    }
                    p.nextToken();
                    keys.put(name, key);
                    map.put(name, value(p, file));
                }
                return new YamlNode(Type.MAP, file, at, null, Collections.unmodifiableMap(map),
                        Collections.unmodifiableMap(keys), List.of());
            }
            case START_ARRAY -> {
                List<YamlNode> list = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    list.add(value(p, file));
                }
                return new YamlNode(Type.LIST, file, at, null, Map.of(), Map.of(), List.copyOf(list));
            }
            case VALUE_NULL -> {
                return new YamlNode(Type.NULL, file, at, null, Map.of(), Map.of(), List.of());
            }
            default -> {
                return new YamlNode(Type.SCALAR, file, at, p.getText(), Map.of(), Map.of(), List.of());
            }
        }
    }

    /** {@code file:line:column}. */
    String where() {
        return file + ":" + line + ":" + column;
    }

    /** A USER_CONFIG error that starts with this node's location. */
    MigrationException error(String message) {
        return MigrationException.userConfig(where() + ": " + message);
    }

    String describe() {
        return switch (type) {
            case MAP -> "a mapping";
            case LIST -> "a list";
            case SCALAR -> "'" + scalar + "'";
            case NULL -> "nothing";
        };
    }
}
