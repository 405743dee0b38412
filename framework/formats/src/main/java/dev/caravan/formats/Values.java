package dev.caravan.formats;

import dev.caravan.api.record.Column;
import dev.caravan.api.record.ColumnType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.UUID;

/**
 * The Java value of every {@link ColumnType} inside Caravan and the conversions (casts) between them. Codecs hand
 * out and accept exactly these types:
 *
 * <table>
 *   <caption>Java types of column values</caption>
 *   <tr><th>ColumnType</th><th>Java</th></tr>
 *   <tr><td>BOOLEAN</td><td>Boolean</td></tr>
 *   <tr><td>INT</td><td>Integer</td></tr>
 *   <tr><td>LONG</td><td>Long</td></tr>
 *   <tr><td>DECIMAL</td><td>BigDecimal, with the column's scale when it has a precision</td></tr>
 *   <tr><td>FLOAT</td><td>Float</td></tr>
 *   <tr><td>DOUBLE</td><td>Double</td></tr>
 *   <tr><td>STRING</td><td>String</td></tr>
 *   <tr><td>BYTES</td><td>byte[]</td></tr>
 *   <tr><td>DATE</td><td>LocalDate</td></tr>
 *   <tr><td>TIME</td><td>LocalTime</td></tr>
 *   <tr><td>TIMESTAMP</td><td>LocalDateTime (no zone)</td></tr>
 *   <tr><td>TIMESTAMP_TZ</td><td>OffsetDateTime (an instant; binary formats return it at UTC)</td></tr>
 *   <tr><td>JSON</td><td>String holding JSON text</td></tr>
 *   <tr><td>UUID</td><td>java.util.UUID</td></tr>
 * </table>
 *
 * <p>{@link #coerce} also accepts the neighbouring types a producer may hand over (any integral {@code Number} for
 * INT/LONG, {@code Instant} and {@code ZonedDateTime} for TIMESTAMP_TZ, strings for everything), and fails with an
 * {@link IllegalArgumentException} whose message says why a value does not fit, e.g.
 * {@code 123456.789 does not fit DECIMAL(8,2): it has more than 2 digits after the decimal point}. Nothing is
 * rounded or truncated silently, except: a TIMESTAMP_TZ cast to TIMESTAMP is taken at UTC; a TIMESTAMP (no zone)
 * cast to TIMESTAMP_TZ is taken as UTC; DOUBLE to FLOAT keeps the nearest float.
 */
public final class Values {
    private Values() {
    }

    /** {@link #coerce(Object, ColumnType, int, int)} with the column's type, precision and scale. */
    public static Object coerce(Object value, Column column) {
        return coerce(value, column.type(), column.precision(), column.scale());
    }

    /**
     * Converts {@code value} to the Java type of {@code type} (null stays null).
     *
     * @param precision for DECIMAL: total digits, {@code 0} for unbounded
     * @param scale     for DECIMAL with a precision: digits after the point (values are given exactly this scale)
     * @throws IllegalArgumentException when the value cannot be represented exactly
     */
    public static Object coerce(Object value, ColumnType type, int precision, int scale) {
        if (value == null) {
            return null;
        }
        return switch (type) {
            case BOOLEAN -> toBoolean(value);
            case INT -> toInt(value);
            case LONG -> toLong(value, "LONG");
            case DECIMAL -> fit(toDecimal(value, precision, scale), value, precision, scale);
            case FLOAT -> toFloat(value);
            case DOUBLE -> toDouble(value);
            case STRING -> toStringValue(value);
            case BYTES -> toBytes(value);
            case DATE -> toDate(value);
            case TIME -> toTime(value);
            case TIMESTAMP -> toTimestamp(value);
            case TIMESTAMP_TZ -> toTimestampTz(value);
            case JSON -> toJson(value);
            case UUID -> toUuid(value);
        };
    }

    /** The type name with precision and scale, e.g. {@code DECIMAL(12,2)}. */
    public static String typeName(ColumnType type, int precision, int scale) {
        return type == ColumnType.DECIMAL && precision > 0 ? "DECIMAL(" + precision + "," + scale + ")" : type.name();
    }

    private static Boolean toBoolean(Object v) {
        if (v instanceof Boolean b) {
            return b;
        }
        if (v instanceof String s) {
            return TextValues.parseBoolean(s);
        }
        if (v instanceof Number n && isIntegral(n)) {
            long l = n.longValue();
            if (l == 0 || l == 1) {
                return l == 1;
            }
        }
        throw cannot(v, "BOOLEAN", null);
    }

    private static Integer toInt(Object v) {
        if (v instanceof Integer i) {
            return i;
        }
        long l = toLong(v, "INT");
        if (l < Integer.MIN_VALUE || l > Integer.MAX_VALUE) {
            throw cannot(v, "INT", "it is out of range (" + Integer.MIN_VALUE + " to " + Integer.MAX_VALUE + ")");
        }
        return (int) l;
    }

    private static long toLong(Object v, String type) {
        if (v instanceof Long l) {
            return l;
        }
        if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return ((Number) v).longValue();
        }
        if (v instanceof String s) {
            return TextValues.parseLong(s, type);
        }
        if (v instanceof Boolean b) {
            return b ? 1 : 0;
        }
        if (v instanceof BigInteger bi) {
            if (bi.bitLength() > 63) {
                throw cannot(v, type, "it is out of range");
            }
            return bi.longValue();
        }
        if (v instanceof BigDecimal bd) {
            try {
                return bd.longValueExact();
            } catch (ArithmeticException e) {
                throw cannot(v, type, bd.stripTrailingZeros().scale() > 0 ? "it has a fractional part"
                        : "it is out of range");
            }
        }
        if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d) || d != Math.rint(d)) {
                throw cannot(v, type, "it is not a whole number");
            }
            if (d < -0x1p63 || d >= 0x1p63) {
                throw cannot(v, type, "it is out of range");
            }
            return (long) d;
        }
        throw cannot(v, type, null);
    }

    private static BigDecimal toDecimal(Object v, int precision, int scale) {
        String type = typeName(ColumnType.DECIMAL, precision, scale);
        if (v instanceof BigDecimal d) {
            return d;
        }
        if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return BigDecimal.valueOf(((Number) v).longValue());
        }
        if (v instanceof BigInteger bi) {
            return new BigDecimal(bi);
        }
        if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw cannot(v, type, "DECIMAL has no NaN or infinity");
            }
            return v instanceof Float f ? new BigDecimal(Float.toString(f)) : BigDecimal.valueOf(d);
        }
        if (v instanceof String s) {
            return TextValues.parseDecimal(s, type);
        }
        throw cannot(v, type, null);
    }

    /** Gives a decimal the column's scale (never rounding) and checks its precision; unbounded when precision is 0. */
    public static BigDecimal fitDecimal(BigDecimal d, int precision, int scale) {
        return fit(d, d, precision, scale);
    }

    private static BigDecimal fit(BigDecimal d, Object original, int precision, int scale) {
        if (precision <= 0) {
            return d;
        }
        BigDecimal r = d;
        if (r.scale() != scale) {
            try {
                r = r.setScale(scale, RoundingMode.UNNECESSARY);
            } catch (ArithmeticException e) {
                throw cannot(original, typeName(ColumnType.DECIMAL, precision, scale), scale == 0 ? "it has a fractional part"
                        : "it has more than " + scale + " digits after the decimal point");
            }
        }
        if (r.precision() - r.scale() > precision - scale && r.signum() != 0) {
            throw cannot(original, typeName(ColumnType.DECIMAL, precision, scale), "it needs more than "
                    + (precision - scale) + " digits before the decimal point");
        }
        return r;
    }

    private static Float toFloat(Object v) {
        if (v instanceof Float f) {
            return f;
        }
        double d = toDouble(v, "FLOAT");
        float f = (float) d;
        if (Float.isInfinite(f) && !Double.isInfinite(d)) {
            throw cannot(v, "FLOAT", "it is out of range");
        }
        if (f == 0 && d != 0) {
            throw cannot(v, "FLOAT", "it is nearer to 0 than the smallest FLOAT (" + Float.MIN_VALUE + ")");
        }
        return f;
    }

    private static Double toDouble(Object v) {
        return toDouble(v, "DOUBLE");
    }

    private static Double toDouble(Object v, String type) {
        if (v instanceof Double d) {
            return d;
        }
        if (v instanceof Float f) {
            // keep the decimal value the float prints as (0.1f becomes 0.1, not 0.10000000149011612)
            return Float.isFinite(f) ? Double.parseDouble(Float.toString(f)) : f.doubleValue();
        }
        if (v instanceof Number || v instanceof String) {
            // a finite number that becomes an infinity or 0 would change silently: refused instead
            double d = v instanceof String s ? TextValues.parseDouble(s, type) : ((Number) v).doubleValue();
            boolean finite = v instanceof String s ? !TextValues.isInfinityOrNaN(s) : !(v instanceof Double);
            if (Double.isInfinite(d) && finite) {
                throw cannot(v, type, "it is beyond the largest DOUBLE (about 1.8E308)");
            }
            if (d == 0 && (v instanceof String s ? TextValues.hasNonZeroDigit(s) : signum((Number) v) != 0)) {
                throw cannot(v, type, "it is nearer to 0 than the smallest DOUBLE (" + Double.MIN_VALUE + ")");
            }
            return d;
        }
        throw cannot(v, type, null);
    }

    private static int signum(Number n) {
        if (n instanceof BigDecimal b) {
            return b.signum();
        }
        if (n instanceof java.math.BigInteger b) {
            return b.signum();
        }
        return Double.compare(n.doubleValue(), 0.0) == 0 ? 0 : 1; // int, long ...: exact enough to tell zero
    }

    private static String toStringValue(Object v) {
        if (v instanceof String s) {
            return s;
        }
        if (v instanceof byte[] b) {
            try {
                return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b)).toString();
            } catch (CharacterCodingException e) {
                throw cannot(v, "STRING", "the bytes are not valid UTF-8");
            }
        }
        return TextValues.format(v);
    }

    private static byte[] toBytes(Object v) {
        if (v instanceof byte[] b) {
            return b;
        }
        if (v instanceof ByteBuffer bb) {
            byte[] out = new byte[bb.remaining()];
            bb.duplicate().get(out);
            return out;
        }
        if (v instanceof String s) {
            return s.getBytes(StandardCharsets.UTF_8);
        }
        if (v instanceof UUID u) {
            return ByteBuffer.allocate(16).putLong(u.getMostSignificantBits()).putLong(u.getLeastSignificantBits())
                    .array();
        }
        throw cannot(v, "BYTES", null);
    }

    private static LocalDate toDate(Object v) {
        if (v instanceof LocalDate d) {
            return d;
        }
        if (v instanceof LocalDateTime t) {
            return t.toLocalDate();
        }
        if (v instanceof OffsetDateTime t) {
            return t.toLocalDate();
        }
        if (v instanceof String s) {
            return TextValues.parseDate(s);
        }
        throw cannot(v, "DATE", null);
    }

    private static LocalTime toTime(Object v) {
        if (v instanceof LocalTime t) {
            return t;
        }
        if (v instanceof LocalDateTime t) {
            return t.toLocalTime();
        }
        if (v instanceof OffsetTime t) {
            return t.toLocalTime();
        }
        if (v instanceof String s) {
            return TextValues.parseTime(s);
        }
        throw cannot(v, "TIME", null);
    }

    private static LocalDateTime toTimestamp(Object v) {
        if (v instanceof LocalDateTime t) {
            return t;
        }
        if (v instanceof LocalDate d) {
            return d.atStartOfDay();
        }
        if (v instanceof OffsetDateTime t) {
            return t.withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime();
        }
        if (v instanceof Instant i) {
            return LocalDateTime.ofInstant(i, ZoneOffset.UTC);
        }
        if (v instanceof ZonedDateTime z) {
            return z.withZoneSameInstant(ZoneOffset.UTC).toLocalDateTime();
        }
        if (v instanceof String s) {
            return TextValues.parseTimestamp(s);
        }
        throw cannot(v, "TIMESTAMP", null);
    }

    private static OffsetDateTime toTimestampTz(Object v) {
        if (v instanceof OffsetDateTime t) {
            return t;
        }
        if (v instanceof Instant i) {
            return i.atOffset(ZoneOffset.UTC);
        }
        if (v instanceof ZonedDateTime z) {
            return z.toOffsetDateTime();
        }
        if (v instanceof LocalDateTime t) {
            return t.atOffset(ZoneOffset.UTC);
        }
        if (v instanceof LocalDate d) {
            return d.atStartOfDay().atOffset(ZoneOffset.UTC);
        }
        if (v instanceof String s) {
            return TextValues.parseTimestampTz(s);
        }
        throw cannot(v, "TIMESTAMP_TZ", null);
    }

    private static String toJson(Object v) {
        if (v instanceof String s) {
            return s;
        }
        if (v instanceof Number || v instanceof Boolean) {
            return v instanceof BigDecimal d ? d.toPlainString() : v.toString();
        }
        if (v instanceof CharSequence cs) {
            return cs.toString();
        }
        throw cannot(v, "JSON", "give JSON text as a String");
    }

    private static UUID toUuid(Object v) {
        if (v instanceof UUID u) {
            return u;
        }
        if (v instanceof String s) {
            return TextValues.parseUuid(s);
        }
        if (v instanceof byte[] b && b.length == 16) {
            ByteBuffer bb = ByteBuffer.wrap(b);
            return new UUID(bb.getLong(), bb.getLong());
        }
        throw cannot(v, "UUID", null);
    }

    private static boolean isIntegral(Number n) {
        return n instanceof Long || n instanceof Integer || n instanceof Short || n instanceof Byte
                || n instanceof BigInteger;
    }

    /** 1234.50 as it is; 1E+400 in scientific notation rather than as 401 digits. */
    private static String plainUnlessHuge(BigDecimal d) {
        String plain = d.toPlainString();
        return plain.length() <= 60 ? plain : d.toString();
    }

    private static IllegalArgumentException cannot(Object v, String type, String why) {
        String shown = v instanceof String s ? "'" + TextValues.abbreviate(s) + "'"
                : v instanceof byte[] b ? "a " + b.length + "-byte binary value"
                : v instanceof BigDecimal d ? plainUnlessHuge(d) : TextValues.abbreviate(String.valueOf(v));
        String what = v instanceof String || v instanceof Number ? "" : " (" + v.getClass().getSimpleName() + ")";
        return new IllegalArgumentException(shown + what + " does not fit " + type + (why == null ? "" : ": " + why));
    }
}
