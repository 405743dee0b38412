package dev.caravan.formats.parquet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.function.Consumer;
import org.apache.parquet.io.api.Converter;
import org.apache.parquet.io.api.GroupConverter;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.Type;

/**
 * Reads a nested Parquet group as a JSON value: structs become objects, LIST groups arrays (three-level and the
 * legacy two-level layouts), MAP groups objects keyed by the map key's text, repeated fields arrays.
 */
final class JsonGroupConverter extends GroupConverter {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private final GroupType type;
    private final Consumer<JsonNode> sink;
    private final Converter[] children;
    private ObjectNode node;

    JsonGroupConverter(GroupType type, Consumer<JsonNode> sink) {
        this.type = type;
        this.sink = sink;
        this.children = new Converter[type.getFieldCount()];
        for (int i = 0; i < children.length; i++) {
            Type f = type.getType(i);
            int index = i;
            children[i] = f.isPrimitive()
                    ? new NaturalConverter(f.asPrimitiveType(), v -> add(index, NaturalConverter.node(v)))
                    : new JsonGroupConverter(f.asGroupType(), n -> add(index, n));
        }
    }

    private void add(int index, JsonNode value) {
        Type f = type.getType(index);
        if (f.isRepetition(Type.Repetition.REPEATED)) {
            ((ArrayNode) node.get(f.getName())).add(value);
        } else {
            node.set(f.getName(), value);
        }
    }

    @Override
    public Converter getConverter(int fieldIndex) {
        return children[fieldIndex];
    }

    @Override
    public void start() {
        node = F.objectNode();
        for (Type f : type.getFields()) {
            if (f.isRepetition(Type.Repetition.REPEATED)) {
                node.putArray(f.getName());
            }
        }
    }

    @Override
    public void end() {
        sink.accept(shape(type, node));
    }

    private static JsonNode shape(GroupType type, ObjectNode node) {
        LogicalTypeAnnotation a = type.getLogicalTypeAnnotation();
        if (type.getFieldCount() != 1 || !type.getType(0).isRepetition(Type.Repetition.REPEATED)) {
            return node;
        }
        Type repeated = type.getType(0);
        ArrayNode items = (ArrayNode) node.get(repeated.getName());
        if (a instanceof LogicalTypeAnnotation.ListLogicalTypeAnnotation) {
            boolean wrapper = !repeated.isPrimitive() && repeated.asGroupType().getFieldCount() == 1
                    && !repeated.getName().equals("array") && !repeated.getName().equals(type.getName() + "_tuple");
            if (!wrapper) {
                return items;
            }
            String element = repeated.asGroupType().getType(0).getName();
            ArrayNode out = F.arrayNode(items.size());
            items.forEach(item -> out.add(item.has(element) ? item.get(element) : F.nullNode()));
            return out;
        }
        if ((a instanceof LogicalTypeAnnotation.MapLogicalTypeAnnotation
                || a instanceof LogicalTypeAnnotation.MapKeyValueTypeAnnotation)
                && !repeated.isPrimitive() && repeated.asGroupType().getFieldCount() == 2) {
            String key = repeated.asGroupType().getType(0).getName();
            String value = repeated.asGroupType().getType(1).getName();
            ObjectNode out = F.objectNode();
            items.forEach(item -> out.set(item.path(key).asText(), item.has(value) ? item.get(value) : F.nullNode()));
            return out;
        }
        return node;
    }
}
