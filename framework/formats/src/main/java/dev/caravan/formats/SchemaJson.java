package dev.caravan.formats;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.caravan.api.record.Column;
import dev.caravan.api.record.ColumnType;
import dev.caravan.api.record.Schema;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Our {@link Schema} as JSON, stored in the metadata of the Avro and Parquet files we write (key
 * {@value #METADATA_KEY}), so that reading them back restores exactly what the format cannot say by itself:
 * original column names, unbounded decimals, JSON columns, native type names and key columns.
 */
public final class SchemaJson {
    /** File metadata key under which Avro and Parquet files written by Caravan keep their schema. */
    public static final String METADATA_KEY = "caravan.schema";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private SchemaJson() {
    }

    public static String toJson(Schema schema) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("name", schema.name());
        ArrayNode cols = root.putArray("columns");
        for (Column c : schema.columns()) {
            ObjectNode n = cols.addObject();
            n.put("name", c.name());
            n.put("type", c.type().name());
            if (c.nativeType() != null) {
                n.put("nativeType", c.nativeType());
            }
            if (c.precision() != 0) {
                n.put("precision", c.precision());
            }
            if (c.scale() != 0) {
                n.put("scale", c.scale());
            }
            n.put("nullable", c.nullable());
        }
        ArrayNode keys = root.putArray("keyColumns");
        schema.keyColumns().forEach(keys::add);
        return root.toString();
    }

    /** Parses what {@link #toJson} wrote; empty when the text is missing or not ours (never fails). */
    public static Optional<Schema> fromJson(String json) {
        if (json == null || json.isBlank()) {
            return Optional.empty();
        }
        try {
            JsonNode root = MAPPER.readTree(json);
            List<Column> columns = new ArrayList<>();
            for (JsonNode n : root.path("columns")) {
                columns.add(new Column(n.path("name").asText(), ColumnType.valueOf(n.path("type").asText()),
                        n.hasNonNull("nativeType") ? n.get("nativeType").asText() : null, n.path("precision").asInt(0),
                        n.path("scale").asInt(0), n.path("nullable").asBoolean(true)));
            }
            List<String> keys = new ArrayList<>();
            root.path("keyColumns").forEach(k -> keys.add(k.asText()));
            return Optional.of(new Schema(root.path("name").asText("records"), columns, keys));
        } catch (Exception e) {
            return Optional.empty();
        }
    }
}
