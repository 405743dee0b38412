package dev.caravan.formats.parquet;

import dev.caravan.api.record.Column;
import dev.caravan.api.record.ColumnType;
import dev.caravan.api.record.Schema;
import dev.caravan.formats.SchemaJson;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.conf.ParquetConfiguration;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.LogicalTypeAnnotation.TimeUnit;
import org.apache.parquet.schema.MessageType;

/** Writes normalized value arrays (see {@link dev.caravan.formats.Values}) as flat Parquet records. */
final class RecordWriteSupport extends WriteSupport<Object[]> {
    /** Emits one non-null value of a column. */
    private interface FieldWriter {
        void write(RecordConsumer consumer, Object value);
    }

    private final Schema schema;
    private final MessageType message;
    private final String[] names;
    private final FieldWriter[] writers;
    private final TimeUnit unit;
    /** Indexes of the TIMESTAMP and TIMESTAMP_TZ columns, whose values may not fit the unit's int64. */
    private final int[] timestamps;
    private RecordConsumer consumer;

    RecordWriteSupport(Schema schema, TimeUnit unit) {
        this.schema = schema;
        this.unit = unit;
        this.message = ParquetSchemas.toParquet(schema, unit);
        this.names = schema.columns().stream().map(Column::name).toArray(String[]::new);
        this.writers = schema.columns().stream().map(c -> writer(c, unit)).toArray(FieldWriter[]::new);
        this.timestamps = IntStream.range(0, names.length)
                .filter(i -> schema.columns().get(i).type() == ColumnType.TIMESTAMP
                        || schema.columns().get(i).type() == ColumnType.TIMESTAMP_TZ).toArray();
    }

    /**
     * Why a value of these normalized values cannot be written (a timestamp beyond the int64 of the unit), with the
     * index of its column, or {@code null}. Checked before a record is emitted, since a record cut short would
     * leave the row group broken.
     */
    Map.Entry<Integer, String> unwritable(Object[] values) {
        for (int i : timestamps) {
            if (values[i] != null) {
                try {
                    epoch(instant(values[i]), unit);
                } catch (ArithmeticException e) {
                    return Map.entry(i, values[i] + " is outside the range of Parquet TIMESTAMP(" + unit + ") ("
                            + Instant.EPOCH.plus(Long.MIN_VALUE, unitOf(unit)) + " to "
                            + Instant.EPOCH.plus(Long.MAX_VALUE, unitOf(unit)) + ")"
                            + (unit == TimeUnit.NANOS ? "; write it with timestampPrecision=micros" : ""));
                } catch (DateTimeException e) {
                    return Map.entry(i, values[i] + " is outside the range of Parquet TIMESTAMP(" + unit + ")");
                }
            }
        }
        return null;
    }

    private static Instant instant(Object v) {
        return v instanceof LocalDateTime t ? t.toInstant(ZoneOffset.UTC) : ((OffsetDateTime) v).toInstant();
    }

    private static ChronoUnit unitOf(TimeUnit unit) {
        return switch (unit) {
            case MILLIS -> ChronoUnit.MILLIS;
            case MICROS -> ChronoUnit.MICROS;
            case NANOS -> ChronoUnit.NANOS;
        };
    }

    MessageType message() {
        return message;
    }

    @Override
    public WriteContext init(Configuration configuration) {
        return context();
    }

    @Override
    public WriteContext init(ParquetConfiguration configuration) {
        return context();
    }

    private WriteContext context() {
        return new WriteContext(message, Map.of(SchemaJson.METADATA_KEY, SchemaJson.toJson(schema)));
    }

    @Override
    public void prepareForWrite(RecordConsumer recordConsumer) {
        this.consumer = recordConsumer;
    }

    @Override
    public void write(Object[] values) {
        consumer.startMessage();
        for (int i = 0; i < values.length; i++) {
            if (values[i] != null) {
                consumer.startField(names[i], i);
                writers[i].write(consumer, values[i]);
                consumer.endField(names[i], i);
            }
        }
        consumer.endMessage();
    }

    @Override
    public String getName() {
        return "caravan";
    }

    private static FieldWriter writer(Column c, TimeUnit unit) {
        return switch (c.type()) {
            case BOOLEAN -> (rc, v) -> rc.addBoolean((Boolean) v);
            case INT -> (rc, v) -> rc.addInteger((Integer) v);
            case LONG -> (rc, v) -> rc.addLong((Long) v);
            case FLOAT -> (rc, v) -> rc.addFloat((Float) v);
            case DOUBLE -> (rc, v) -> rc.addDouble((Double) v);
            case STRING, JSON -> (rc, v) -> rc.addBinary(Binary.fromString((String) v));
            case BYTES -> (rc, v) -> rc.addBinary(Binary.fromConstantByteArray((byte[]) v));
            case DECIMAL -> decimalWriter(c.precision());
            case DATE -> (rc, v) -> rc.addInteger((int) ((LocalDate) v).toEpochDay());
            case TIME -> switch (unit) {
                case MILLIS -> (rc, v) -> rc.addInteger((int) (((LocalTime) v).toNanoOfDay() / 1_000_000L));
                case MICROS -> (rc, v) -> rc.addLong(((LocalTime) v).toNanoOfDay() / 1_000L);
                case NANOS -> (rc, v) -> rc.addLong(((LocalTime) v).toNanoOfDay());
            };
            case TIMESTAMP, TIMESTAMP_TZ -> (rc, v) -> rc.addLong(epoch(instant(v), unit));
            case UUID -> (rc, v) -> {
                UUID u = (UUID) v;
                rc.addBinary(Binary.fromConstantByteArray(ByteBuffer.allocate(16).putLong(u.getMostSignificantBits())
                        .putLong(u.getLeastSignificantBits()).array()));
            };
        };
    }

    private static FieldWriter decimalWriter(int precision) {
        if (precision <= 0) {
            return (rc, v) -> rc.addBinary(Binary.fromString(((BigDecimal) v).toPlainString()));
        }
        if (precision <= 9) {
            return (rc, v) -> rc.addInteger(((BigDecimal) v).unscaledValue().intValueExact());
        }
        if (precision <= 18) {
            return (rc, v) -> rc.addLong(((BigDecimal) v).unscaledValue().longValueExact());
        }
        int length = ParquetSchemas.fixedLength(precision);
        return (rc, v) -> rc.addBinary(Binary.fromConstantByteArray(fixed(((BigDecimal) v).unscaledValue(), length)));
    }

    /** Two's complement, big-endian, sign-extended to {@code length} bytes. */
    static byte[] fixed(BigInteger unscaled, int length) {
        byte[] raw = unscaled.toByteArray();
        byte[] out = new byte[length];
        byte pad = (byte) (unscaled.signum() < 0 ? 0xFF : 0x00);
        int offset = length - raw.length;
        for (int i = 0; i < offset; i++) {
            out[i] = pad;
        }
        System.arraycopy(raw, 0, out, offset, raw.length);
        return out;
    }

    static long epoch(Instant i, TimeUnit unit) {
        return switch (unit) {
            case MILLIS -> Math.addExact(Math.multiplyExact(i.getEpochSecond(), 1_000L), i.getNano() / 1_000_000);
            case MICROS -> Math.addExact(Math.multiplyExact(i.getEpochSecond(), 1_000_000L), i.getNano() / 1_000);
            case NANOS -> Math.addExact(Math.multiplyExact(i.getEpochSecond(), 1_000_000_000L), i.getNano());
        };
    }
}
