package dev.caravan.formats.parquet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.caravan.formats.TextValues;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.function.LongFunction;
import org.apache.parquet.column.Dictionary;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.PrimitiveConverter;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.DecimalLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.IntLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.TimeLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.TimeUnit;
import org.apache.parquet.schema.LogicalTypeAnnotation.TimestampLogicalTypeAnnotation;
import org.apache.parquet.schema.PrimitiveType;

/**
 * Turns the values of one Parquet primitive column into the Java values of {@link ParquetSchemas#column}
 * (logical types applied; INT96 timestamps as instants), with dictionary pages decoded once per row group.
 */
final class NaturalConverter extends PrimitiveConverter {
    private static final long JULIAN_EPOCH_DAY = 2_440_588L;

    private final PrimitiveType type;
    private final Consumer<Object> sink;
    private final IntFunction<Object> ints;
    private final LongFunction<Object> longs;
    private final Function<Binary, Object> binaries;
    private Object[] dictionary;

    NaturalConverter(PrimitiveType type, Consumer<Object> sink) {
        this.type = type;
        this.sink = sink;
        LogicalTypeAnnotation a = type.getLogicalTypeAnnotation();
        this.ints = ints(a);
        this.longs = longs(a);
        this.binaries = binaries(type, a);
    }

    private static IntFunction<Object> ints(LogicalTypeAnnotation a) {
        if (a instanceof LogicalTypeAnnotation.DateLogicalTypeAnnotation) {
            return LocalDate::ofEpochDay;
        }
        if (a instanceof DecimalLogicalTypeAnnotation d) {
            int scale = d.getScale();
            return i -> BigDecimal.valueOf(i, scale);
        }
        if (a instanceof TimeLogicalTypeAnnotation) {
            return i -> LocalTime.ofNanoOfDay(i * 1_000_000L);
        }
        if (a instanceof IntLogicalTypeAnnotation i && !i.isSigned() && i.getBitWidth() == 32) {
            return v -> Integer.toUnsignedLong(v);
        }
        return Integer::valueOf;
    }

    private static LongFunction<Object> longs(LogicalTypeAnnotation a) {
        if (a instanceof TimestampLogicalTypeAnnotation t) {
            long perSecond = perSecond(t.getUnit());
            return t.isAdjustedToUTC() ? v -> instant(v, perSecond).atOffset(ZoneOffset.UTC)
                    : v -> LocalDateTime.ofInstant(instant(v, perSecond), ZoneOffset.UTC);
        }
        if (a instanceof TimeLogicalTypeAnnotation t) {
            long nanosPer = 1_000_000_000L / perSecond(t.getUnit());
            return v -> LocalTime.ofNanoOfDay(v * nanosPer);
        }
        if (a instanceof DecimalLogicalTypeAnnotation d) {
            int scale = d.getScale();
            return v -> BigDecimal.valueOf(v, scale);
        }
        if (a instanceof IntLogicalTypeAnnotation i && !i.isSigned()) {
            return v -> new BigDecimal(Long.toUnsignedString(v));
        }
        return Long::valueOf;
    }

    private static Function<Binary, Object> binaries(PrimitiveType type, LogicalTypeAnnotation a) {
        if (type.getPrimitiveTypeName() == PrimitiveType.PrimitiveTypeName.INT96) {
            return NaturalConverter::int96;
        }
        if (a instanceof DecimalLogicalTypeAnnotation d) {
            int scale = d.getScale();
            return b -> new BigDecimal(new BigInteger(b.getBytes()), scale);
        }
        if (a instanceof LogicalTypeAnnotation.StringLogicalTypeAnnotation
                || a instanceof LogicalTypeAnnotation.EnumLogicalTypeAnnotation
                || a instanceof LogicalTypeAnnotation.JsonLogicalTypeAnnotation) {
            return Binary::toStringUsingUTF8;
        }
        if (a instanceof LogicalTypeAnnotation.UUIDLogicalTypeAnnotation && type.getTypeLength() == 16) {
            return b -> {
                ByteBuffer bb = ByteBuffer.wrap(b.getBytes());
                return new UUID(bb.getLong(), bb.getLong());
            };
        }
        return Binary::getBytes;
    }

    private static long perSecond(TimeUnit unit) {
        return switch (unit) {
            case MILLIS -> 1_000L;
            case MICROS -> 1_000_000L;
            case NANOS -> 1_000_000_000L;
        };
    }

    private static Instant instant(long value, long perSecond) {
        return Instant.ofEpochSecond(Math.floorDiv(value, perSecond),
                Math.floorMod(value, perSecond) * (1_000_000_000L / perSecond));
    }

    /** Impala/Spark INT96: nanoseconds of the day then the Julian day, little-endian. */
    private static Object int96(Binary b) {
        ByteBuffer bb = ByteBuffer.wrap(b.getBytes()).order(ByteOrder.LITTLE_ENDIAN);
        long nanos = bb.getLong();
        long julianDay = Integer.toUnsignedLong(bb.getInt());
        return Instant.ofEpochSecond((julianDay - JULIAN_EPOCH_DAY) * 86_400L, nanos).atOffset(ZoneOffset.UTC);
    }

    /** A natural value as a JSON node (for nested columns). */
    static JsonNode node(Object v) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        if (v == null) {
            return f.nullNode();
        }
        if (v instanceof Boolean b) {
            return f.booleanNode(b);
        }
        if (v instanceof Integer i) {
            return f.numberNode(i);
        }
        if (v instanceof Long l) {
            return f.numberNode(l);
        }
        if (v instanceof Float x) {
            return f.numberNode(x);
        }
        if (v instanceof Double d) {
            return f.numberNode(d);
        }
        if (v instanceof BigDecimal d) {
            return f.numberNode(d);
        }
        if (v instanceof byte[] b) {
            return f.textNode(Base64.getEncoder().encodeToString(b));
        }
        return f.textNode(TextValues.format(v));
    }

    @Override
    public boolean hasDictionarySupport() {
        return true;
    }

    @Override
    public void setDictionary(Dictionary dict) {
        Object[] values = new Object[dict.getMaxId() + 1];
        for (int id = 0; id < values.length; id++) {
            values[id] = switch (type.getPrimitiveTypeName()) {
                case INT32 -> ints.apply(dict.decodeToInt(id));
                case INT64 -> longs.apply(dict.decodeToLong(id));
                case FLOAT -> dict.decodeToFloat(id);
                case DOUBLE -> dict.decodeToDouble(id);
                case BOOLEAN -> dict.decodeToBoolean(id);
                default -> binaries.apply(dict.decodeToBinary(id));
            };
        }
        this.dictionary = values;
    }

    @Override
    public void addValueFromDictionary(int id) {
        Object v = dictionary[id];
        sink.accept(v instanceof byte[] b ? b.clone() : v);
    }

    @Override
    public void addBinary(Binary value) {
        sink.accept(binaries.apply(value));
    }

    @Override
    public void addBoolean(boolean value) {
        sink.accept(value);
    }

    @Override
    public void addDouble(double value) {
        sink.accept(value);
    }

    @Override
    public void addFloat(float value) {
        sink.accept(value);
    }

    @Override
    public void addInt(int value) {
        sink.accept(ints.apply(value));
    }

    @Override
    public void addLong(long value) {
        sink.accept(longs.apply(value));
    }
}
