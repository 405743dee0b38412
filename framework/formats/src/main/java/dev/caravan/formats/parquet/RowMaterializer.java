package dev.caravan.formats.parquet;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.apache.parquet.io.api.Converter;
import org.apache.parquet.io.api.GroupConverter;
import org.apache.parquet.io.api.RecordMaterializer;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.Type;

/** Materializes each Parquet record as an array of natural values, one per top-level field of the projection. */
final class RowMaterializer extends RecordMaterializer<Object[]> {
    private final Root root;

    RowMaterializer(MessageType requested) {
        this.root = new Root(requested);
    }

    @Override
    public Object[] getCurrentRecord() {
        return root.current;
    }

    @Override
    public GroupConverter getRootConverter() {
        return root;
    }

    private static final class Root extends GroupConverter {
        private final Converter[] children;
        private final boolean[] repeated;
        private final ArrayNode[] arrays;
        private Object[] current;

        Root(MessageType type) {
            int n = type.getFieldCount();
            this.children = new Converter[n];
            this.repeated = new boolean[n];
            this.arrays = new ArrayNode[n];
            for (int i = 0; i < n; i++) {
                Type f = type.getType(i);
                int index = i;
                repeated[i] = f.isRepetition(Type.Repetition.REPEATED);
                if (repeated[i]) {
                    children[i] = f.isPrimitive()
                            ? new NaturalConverter(f.asPrimitiveType(), v -> arrays[index].add(NaturalConverter.node(v)))
                            : new JsonGroupConverter(f.asGroupType(), node -> arrays[index].add(node));
                } else {
                    children[i] = f.isPrimitive()
                            ? new NaturalConverter(f.asPrimitiveType(), v -> current[index] = v)
                            : new JsonGroupConverter(f.asGroupType(), node -> current[index] = node.toString());
                }
            }
        }

        @Override
        public Converter getConverter(int fieldIndex) {
            return children[fieldIndex];
        }

        @Override
        public void start() {
            current = new Object[children.length];
            for (int i = 0; i < children.length; i++) {
                if (repeated[i]) {
                    arrays[i] = JsonNodeFactory.instance.arrayNode();
                }
            }
        }

        @Override
        public void end() {
            for (int i = 0; i < children.length; i++) {
                if (repeated[i]) {
                    current[i] = arrays[i].toString();
                }
            }
        }
    }
}
