package dev.caravan.formats.avro;

import dev.caravan.api.record.Column;
import dev.caravan.api.record.ColumnType;
import dev.caravan.api.record.Schema;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.avro.JsonProperties;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema.Field;
import org.apache.avro.Schema.Type;

/**
 * Our {@link Schema} to an Avro record schema and back. Column names that are not valid Avro names
 * ({@code [A-Za-z_][A-Za-z0-9_]*}) are written with every other character replaced by {@code _} (made unique);
 * the original names travel in the file's {@code caravan.schema} metadata. Nullable columns are
 * {@code ["null", T]} unions with a {@code null} default.
 */
public final class AvroSchemas {
    private AvroSchemas() {
    }

    /** The Avro record schema for {@code schema}; {@code millis} selects millisecond instead of microsecond times. */
    public static org.apache.avro.Schema toAvro(Schema schema, boolean millis) {
        List<Field> fields = new ArrayList<>();
        Set<String> used = new HashSet<>();
        for (Column c : schema.columns()) {
            String name = unique(sanitize(c.name()), used);
            org.apache.avro.Schema t = fieldType(c, millis);
            if (c.nullable()) {
                fields.add(new Field(name, org.apache.avro.Schema.createUnion(
                        org.apache.avro.Schema.create(Type.NULL), t), null, JsonProperties.NULL_VALUE));
            } else {
                fields.add(new Field(name, t, null, (Object) null));
            }
        }
        String recordName = sanitize(schema.name() == null || schema.name().isBlank() ? "record" : schema.name());
        return org.apache.avro.Schema.createRecord(recordName, null, "dev.caravan.records", false, fields);
    }

    /** The Avro type of one column (without the null union). */
    public static org.apache.avro.Schema fieldType(Column c, boolean millis) {
        return switch (c.type()) {
            case BOOLEAN -> org.apache.avro.Schema.create(Type.BOOLEAN);
            case INT -> org.apache.avro.Schema.create(Type.INT);
            case LONG -> org.apache.avro.Schema.create(Type.LONG);
            case FLOAT -> org.apache.avro.Schema.create(Type.FLOAT);
            case DOUBLE -> org.apache.avro.Schema.create(Type.DOUBLE);
            case STRING, JSON -> org.apache.avro.Schema.create(Type.STRING);
            case BYTES -> org.apache.avro.Schema.create(Type.BYTES);
            case DECIMAL -> c.precision() > 0
                    ? LogicalTypes.decimal(c.precision(), c.scale()).addToSchema(org.apache.avro.Schema.create(Type.BYTES))
                    : org.apache.avro.Schema.create(Type.STRING);
            case DATE -> LogicalTypes.date().addToSchema(org.apache.avro.Schema.create(Type.INT));
            case TIME -> millis ? LogicalTypes.timeMillis().addToSchema(org.apache.avro.Schema.create(Type.INT))
                    : LogicalTypes.timeMicros().addToSchema(org.apache.avro.Schema.create(Type.LONG));
            case TIMESTAMP -> (millis ? LogicalTypes.localTimestampMillis() : LogicalTypes.localTimestampMicros())
                    .addToSchema(org.apache.avro.Schema.create(Type.LONG));
            case TIMESTAMP_TZ -> (millis ? LogicalTypes.timestampMillis() : LogicalTypes.timestampMicros())
                    .addToSchema(org.apache.avro.Schema.create(Type.LONG));
            case UUID -> LogicalTypes.uuid().addToSchema(org.apache.avro.Schema.create(Type.STRING));
        };
    }

    /** The columns an Avro record schema naturally maps to (see {@link #column}). */
    public static Schema toSchema(org.apache.avro.Schema record) {
        List<Column> cols = new ArrayList<>();
        for (Field f : record.getFields()) {
            cols.add(column(f.name(), f.schema()));
        }
        return new Schema(record.getName(), cols, List.of());
    }

    /**
     * One field as a column: logical types first (decimal, date, time-*, timestamp-*, local-timestamp-*, uuid),
     * then primitive types; enums are STRING, fixed is BYTES, records, arrays, maps and unions of several types
     * are JSON. A union with {@code null} is nullable.
     */
    public static Column column(String name, org.apache.avro.Schema s) {
        boolean nullable = false;
        org.apache.avro.Schema t = s;
        if (s.getType() == Type.UNION) {
            List<org.apache.avro.Schema> branches = new ArrayList<>();
            for (org.apache.avro.Schema b : s.getTypes()) {
                if (b.getType() == Type.NULL) {
                    nullable = true;
                } else {
                    branches.add(b);
                }
            }
            if (branches.size() != 1) {
                return new Column(name, ColumnType.JSON, describe(s), 0, 0, true);
            }
            t = branches.get(0);
        }
        LogicalType lt = t.getLogicalType();
        String lname = lt == null ? "" : lt.getName();
        ColumnType type;
        int precision = 0;
        int scale = 0;
        switch (lname) {
            case "decimal" -> {
                type = ColumnType.DECIMAL;
                precision = ((LogicalTypes.Decimal) lt).getPrecision();
                scale = ((LogicalTypes.Decimal) lt).getScale();
            }
            case "date" -> type = ColumnType.DATE;
            case "time-millis", "time-micros" -> type = ColumnType.TIME;
            case "timestamp-millis", "timestamp-micros", "timestamp-nanos" -> type = ColumnType.TIMESTAMP_TZ;
            case "local-timestamp-millis", "local-timestamp-micros", "local-timestamp-nanos" -> type = ColumnType.TIMESTAMP;
            case "uuid" -> type = ColumnType.UUID;
            default -> type = switch (t.getType()) {
                case BOOLEAN -> ColumnType.BOOLEAN;
                case INT -> ColumnType.INT;
                case LONG -> ColumnType.LONG;
                case FLOAT -> ColumnType.FLOAT;
                case DOUBLE -> ColumnType.DOUBLE;
                case STRING, ENUM -> ColumnType.STRING;
                case BYTES, FIXED -> ColumnType.BYTES;
                default -> ColumnType.JSON;
            };
        }
        return new Column(name, type, describe(t), precision, scale, nullable);
    }

    /** A short name of an Avro type, e.g. {@code long(timestamp-micros)}, used as the native type. */
    public static String describe(org.apache.avro.Schema s) {
        if (s.getType() == Type.UNION) {
            return s.getTypes().stream().map(AvroSchemas::describe).toList().toString();
        }
        String base = s.getType().getName();
        if (s.getLogicalType() instanceof LogicalTypes.Decimal d) {
            return base + "(decimal(" + d.getPrecision() + "," + d.getScale() + "))";
        }
        return s.getLogicalType() == null ? base : base + "(" + s.getLogicalType().getName() + ")";
    }

    /** A valid Avro name for {@code name}: other characters become {@code _}; a leading digit gets a {@code _}. */
    public static String sanitize(String name) {
        StringBuilder sb = new StringBuilder(name.length() + 1);
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || i > 0 && c >= '0' && c <= '9';
            if (!ok && i == 0 && c >= '0' && c <= '9') {
                sb.append('_').append(c);
            } else {
                sb.append(ok ? c : '_');
            }
        }
        return sb.length() == 0 ? "_" : sb.toString();
    }

    private static String unique(String name, Set<String> used) {
        String n = name;
        int i = 2;
        while (!used.add(n)) {
            n = name + "_" + i++;
        }
        return n;
    }
}
