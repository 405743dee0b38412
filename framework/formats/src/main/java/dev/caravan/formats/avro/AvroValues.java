package dev.caravan.formats.avro;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import dev.caravan.api.record.Column;
import dev.caravan.formats.TextValues;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Collection;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema.Field;
import org.apache.avro.Schema.Type;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.IndexedRecord;

/**
 * Value conversions between our Java values (see {@link dev.caravan.formats.Values}) and Avro's generic data
 * (no Avro conversions registered: decimals are two's-complement bytes, times are epoch numbers).
 */
public final class AvroValues {
    private static final JsonFactory JSON = JsonFactory.builder().enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN).build();

    private AvroValues() {
    }

    /** A converter from a normalized value of {@code column} to the Avro datum of {@link AvroSchemas#fieldType}. */
    public static Function<Object, Object> writer(Column column, boolean millis) {
        return switch (column.type()) {
            case DECIMAL -> column.precision() > 0
                    ? v -> ByteBuffer.wrap(((BigDecimal) v).unscaledValue().toByteArray())
                    : v -> ((BigDecimal) v).toPlainString();
            case BYTES -> v -> ByteBuffer.wrap((byte[]) v);
            case DATE -> v -> (int) ((LocalDate) v).toEpochDay();
            case TIME -> millis ? v -> (int) (((LocalTime) v).toNanoOfDay() / 1_000_000L)
                    : v -> ((LocalTime) v).toNanoOfDay() / 1_000L;
            case TIMESTAMP -> v -> epoch(((LocalDateTime) v).toInstant(ZoneOffset.UTC), millis);
            case TIMESTAMP_TZ -> v -> epoch(((OffsetDateTime) v).toInstant(), millis);
            case UUID -> Object::toString;
            default -> Function.identity();
        };
    }

    /** Microseconds (or milliseconds) since the epoch; sub-unit digits are dropped (floor). */
    static long epoch(Instant i, boolean millis) {
        if (millis) {
            return Math.addExact(Math.multiplyExact(i.getEpochSecond(), 1000L), i.getNano() / 1_000_000);
        }
        return Math.addExact(Math.multiplyExact(i.getEpochSecond(), 1_000_000L), i.getNano() / 1_000);
    }

    /** A converter from an Avro datum of {@code schema} to the Java value of {@link AvroSchemas#column}. */
    public static Function<Object, Object> reader(org.apache.avro.Schema schema) {
        org.apache.avro.Schema t = schema;
        if (schema.getType() == Type.UNION) {
            long nonNull = schema.getTypes().stream().filter(b -> b.getType() != Type.NULL).count();
            if (nonNull != 1) {
                return v -> json(v, schema);
            }
            t = schema.getTypes().stream().filter(b -> b.getType() != Type.NULL).findFirst().orElseThrow();
        }
        return natural(t);
    }

    private static Function<Object, Object> natural(org.apache.avro.Schema t) {
        LogicalType lt = t.getLogicalType();
        String name = lt == null ? "" : lt.getName();
        switch (name) {
            case "decimal" -> {
                int scale = ((LogicalTypes.Decimal) lt).getScale();
                return v -> new BigDecimal(new BigInteger(bytes(v)), scale);
            }
            case "date" -> {
                return v -> LocalDate.ofEpochDay(((Number) v).longValue());
            }
            case "time-millis" -> {
                return v -> LocalTime.ofNanoOfDay(((Number) v).longValue() * 1_000_000L);
            }
            case "time-micros" -> {
                return v -> LocalTime.ofNanoOfDay(((Number) v).longValue() * 1_000L);
            }
            case "timestamp-millis", "timestamp-micros", "timestamp-nanos" -> {
                long perSecond = perSecond(name);
                return v -> instant((Long) v, perSecond).atOffset(ZoneOffset.UTC);
            }
            case "local-timestamp-millis", "local-timestamp-micros", "local-timestamp-nanos" -> {
                long perSecond = perSecond(name);
                return v -> LocalDateTime.ofInstant(instant((Long) v, perSecond), ZoneOffset.UTC);
            }
            case "uuid" -> {
                return t.getType() == Type.FIXED ? v -> {
                    ByteBuffer b = ByteBuffer.wrap(bytes(v));
                    return new UUID(b.getLong(), b.getLong());
                } : v -> UUID.fromString(v.toString());
            }
            default -> {
                // plain types below
            }
        }
        return switch (t.getType()) {
            case BOOLEAN, INT, LONG, FLOAT, DOUBLE -> Function.identity();
            case STRING, ENUM -> Object::toString;
            case BYTES, FIXED -> AvroValues::bytes;
            default -> v -> json(v, t);
        };
    }

    private static long perSecond(String logicalName) {
        return logicalName.endsWith("millis") ? 1_000L : logicalName.endsWith("micros") ? 1_000_000L : 1_000_000_000L;
    }

    private static Instant instant(long value, long perSecond) {
        long seconds = Math.floorDiv(value, perSecond);
        long fraction = Math.floorMod(value, perSecond);
        return Instant.ofEpochSecond(seconds, fraction * (1_000_000_000L / perSecond));
    }

    static byte[] bytes(Object v) {
        if (v instanceof ByteBuffer bb) {
            byte[] out = new byte[bb.remaining()];
            bb.duplicate().get(out);
            return out;
        }
        if (v instanceof GenericFixed f) {
            return f.bytes().clone();
        }
        return (byte[]) v;
    }

    /** Any Avro datum as JSON text (records, arrays, maps, nested logical types as their text form). */
    public static String json(Object datum, org.apache.avro.Schema schema) {
        StringWriter sw = new StringWriter();
        try (JsonGenerator gen = JSON.createGenerator(sw)) {
            writeJson(gen, datum, schema);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return sw.toString();
    }

    private static void writeJson(JsonGenerator gen, Object v, org.apache.avro.Schema s) throws IOException {
        if (v == null) {
            gen.writeNull();
            return;
        }
        switch (s.getType()) {
            case UNION -> writeJson(gen, v, s.getTypes().get(GenericData.get().resolveUnion(s, v)));
            case RECORD -> {
                gen.writeStartObject();
                IndexedRecord r = (IndexedRecord) v;
                for (Field f : s.getFields()) {
                    gen.writeFieldName(f.name());
                    writeJson(gen, r.get(f.pos()), f.schema());
                }
                gen.writeEndObject();
            }
            case ARRAY -> {
                gen.writeStartArray();
                for (Object e : (Collection<?>) v) {
                    writeJson(gen, e, s.getElementType());
                }
                gen.writeEndArray();
            }
            case MAP -> {
                gen.writeStartObject();
                for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
                    gen.writeFieldName(e.getKey().toString());
                    writeJson(gen, e.getValue(), s.getValueType());
                }
                gen.writeEndObject();
            }
            default -> writeScalar(gen, natural(s).apply(v));
        }
    }

    private static void writeScalar(JsonGenerator gen, Object n) throws IOException {
        if (n instanceof Boolean b) {
            gen.writeBoolean(b);
        } else if (n instanceof Integer i) {
            gen.writeNumber(i);
        } else if (n instanceof Long l) {
            gen.writeNumber(l);
        } else if (n instanceof Float f) {
            gen.writeNumber(f);
        } else if (n instanceof Double d) {
            gen.writeNumber(d);
        } else if (n instanceof BigDecimal d) {
            gen.writeNumber(d);
        } else if (n instanceof byte[] b) {
            gen.writeString(Base64.getEncoder().encodeToString(b));
        } else {
            gen.writeString(TextValues.format(n));
        }
    }
}
