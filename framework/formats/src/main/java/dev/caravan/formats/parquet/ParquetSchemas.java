package dev.caravan.formats.parquet;

import dev.caravan.api.record.Column;
import dev.caravan.api.record.ColumnType;
import dev.caravan.api.record.Schema;
import java.util.ArrayList;
import java.util.List;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.DecimalLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.IntLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.TimeUnit;
import org.apache.parquet.schema.LogicalTypeAnnotation.TimestampLogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Types;

/**
 * Our {@link Schema} to a flat Parquet message and back. Column names are kept as they are. Writing:
 * BOOLEAN, INT32, INT64, FLOAT, DOUBLE; STRING and JSON as BINARY with the STRING / JSON annotation; BYTES as
 * BINARY; DECIMAL(p,s) as INT32 (p &le; 9), INT64 (p &le; 18) or FIXED_LEN_BYTE_ARRAY with the DECIMAL annotation
 * (an unbounded DECIMAL as a STRING, restored from our metadata); DATE as INT32 DATE; TIME as TIME(unit, local);
 * TIMESTAMP as TIMESTAMP(unit, isAdjustedToUTC=false), TIMESTAMP_TZ as TIMESTAMP(unit, true); UUID as
 * FIXED_LEN_BYTE_ARRAY(16) UUID. Nullable columns are OPTIONAL, the others REQUIRED.
 */
public final class ParquetSchemas {
    private ParquetSchemas() {
    }

    /** The message type of {@code schema}. */
    public static MessageType toParquet(Schema schema, TimeUnit unit) {
        List<Type> fields = new ArrayList<>();
        for (Column c : schema.columns()) {
            fields.add(field(c, unit));
        }
        String name = schema.name() == null || schema.name().isBlank() ? "records" : schema.name();
        return new MessageType(name, fields);
    }

    /** One column as a Parquet field. */
    public static PrimitiveType field(Column c, TimeUnit unit) {
        Type.Repetition rep = c.nullable() ? Type.Repetition.OPTIONAL : Type.Repetition.REQUIRED;
        return switch (c.type()) {
            case BOOLEAN -> Types.primitive(PrimitiveTypeName.BOOLEAN, rep).named(c.name());
            case INT -> Types.primitive(PrimitiveTypeName.INT32, rep).named(c.name());
            case LONG -> Types.primitive(PrimitiveTypeName.INT64, rep).named(c.name());
            case FLOAT -> Types.primitive(PrimitiveTypeName.FLOAT, rep).named(c.name());
            case DOUBLE -> Types.primitive(PrimitiveTypeName.DOUBLE, rep).named(c.name());
            case STRING -> Types.primitive(PrimitiveTypeName.BINARY, rep).as(LogicalTypeAnnotation.stringType())
                    .named(c.name());
            case JSON -> Types.primitive(PrimitiveTypeName.BINARY, rep).as(LogicalTypeAnnotation.jsonType())
                    .named(c.name());
            case BYTES -> Types.primitive(PrimitiveTypeName.BINARY, rep).named(c.name());
            case DECIMAL -> decimal(c, rep);
            case DATE -> Types.primitive(PrimitiveTypeName.INT32, rep).as(LogicalTypeAnnotation.dateType())
                    .named(c.name());
            case TIME -> Types.primitive(unit == TimeUnit.MILLIS ? PrimitiveTypeName.INT32 : PrimitiveTypeName.INT64, rep)
                    .as(LogicalTypeAnnotation.timeType(false, unit)).named(c.name());
            case TIMESTAMP -> Types.primitive(PrimitiveTypeName.INT64, rep)
                    .as(LogicalTypeAnnotation.timestampType(false, unit)).named(c.name());
            case TIMESTAMP_TZ -> Types.primitive(PrimitiveTypeName.INT64, rep)
                    .as(LogicalTypeAnnotation.timestampType(true, unit)).named(c.name());
            case UUID -> Types.primitive(PrimitiveTypeName.FIXED_LEN_BYTE_ARRAY, rep).length(16)
                    .as(LogicalTypeAnnotation.uuidType()).named(c.name());
        };
    }

    private static PrimitiveType decimal(Column c, Type.Repetition rep) {
        int p = c.precision();
        if (p <= 0) {
            return Types.primitive(PrimitiveTypeName.BINARY, rep).as(LogicalTypeAnnotation.stringType()).named(c.name());
        }
        LogicalTypeAnnotation dec = LogicalTypeAnnotation.decimalType(c.scale(), p);
        if (p <= 9) {
            return Types.primitive(PrimitiveTypeName.INT32, rep).as(dec).named(c.name());
        }
        if (p <= 18) {
            return Types.primitive(PrimitiveTypeName.INT64, rep).as(dec).named(c.name());
        }
        return Types.primitive(PrimitiveTypeName.FIXED_LEN_BYTE_ARRAY, rep).length(fixedLength(p)).as(dec).named(c.name());
    }

    /** Bytes of a FIXED_LEN_BYTE_ARRAY that hold every unscaled value of {@code precision} digits. */
    static int fixedLength(int precision) {
        int n = 1;
        while (Math.floor(Math.log10(Math.pow(2, 8 * n - 1) - 1)) < precision) {
            n++;
        }
        return n;
    }

    /** The columns a Parquet message naturally maps to; groups and repeated fields are JSON. */
    public static Schema toSchema(MessageType message) {
        List<Column> cols = new ArrayList<>();
        for (Type f : message.getFields()) {
            cols.add(column(f));
        }
        return new Schema(message.getName(), cols, List.of());
    }

    static Column column(Type f) {
        boolean nullable = !f.isRepetition(Type.Repetition.REQUIRED);
        if (!f.isPrimitive() || f.isRepetition(Type.Repetition.REPEATED)) {
            return new Column(f.getName(), ColumnType.JSON, f.toString().trim(), 0, 0, nullable);
        }
        PrimitiveType p = f.asPrimitiveType();
        LogicalTypeAnnotation a = p.getLogicalTypeAnnotation();
        String nativeType = p.getPrimitiveTypeName().name() + (a == null ? "" : " " + a);
        if (a instanceof DecimalLogicalTypeAnnotation d) {
            return new Column(f.getName(), ColumnType.DECIMAL, nativeType, d.getPrecision(), d.getScale(), nullable);
        }
        ColumnType type = switch (p.getPrimitiveTypeName()) {
            case BOOLEAN -> ColumnType.BOOLEAN;
            case INT32 -> a instanceof LogicalTypeAnnotation.DateLogicalTypeAnnotation ? ColumnType.DATE
                    : a instanceof LogicalTypeAnnotation.TimeLogicalTypeAnnotation ? ColumnType.TIME
                    : a instanceof IntLogicalTypeAnnotation i && !i.isSigned() && i.getBitWidth() == 32 ? ColumnType.LONG
                    : ColumnType.INT;
            case INT64 -> a instanceof TimestampLogicalTypeAnnotation t
                    ? (t.isAdjustedToUTC() ? ColumnType.TIMESTAMP_TZ : ColumnType.TIMESTAMP)
                    : a instanceof LogicalTypeAnnotation.TimeLogicalTypeAnnotation ? ColumnType.TIME
                    : a instanceof IntLogicalTypeAnnotation i && !i.isSigned() ? ColumnType.DECIMAL
                    : ColumnType.LONG;
            case INT96 -> ColumnType.TIMESTAMP_TZ;
            case FLOAT -> ColumnType.FLOAT;
            case DOUBLE -> ColumnType.DOUBLE;
            case BINARY -> a instanceof LogicalTypeAnnotation.JsonLogicalTypeAnnotation ? ColumnType.JSON
                    : a instanceof LogicalTypeAnnotation.StringLogicalTypeAnnotation
                            || a instanceof LogicalTypeAnnotation.EnumLogicalTypeAnnotation ? ColumnType.STRING
                    : ColumnType.BYTES;
            case FIXED_LEN_BYTE_ARRAY -> a instanceof LogicalTypeAnnotation.UUIDLogicalTypeAnnotation
                    && p.getTypeLength() == 16 ? ColumnType.UUID : ColumnType.BYTES;
        };
        int precision = type == ColumnType.DECIMAL ? 20 : 0;
        return new Column(f.getName(), type, nativeType, precision, 0, nullable);
    }
}
