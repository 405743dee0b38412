package dev.caravan.connector.jdbc.dialect;

import dev.caravan.api.record.ColumnType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.Year;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Converts values between the Java types records carry and the Java type a logical {@link ColumnType} needs:
 * {@code Boolean}, {@code Long}, {@code BigDecimal}, {@code Double}, {@code String}, {@code byte[]},
 * {@code LocalDate}, {@code LocalTime}, {@code LocalDateTime}, {@code OffsetDateTime}. Stateless.
 *
 * <p>A value that cannot be converted raises {@link BadValue}: the row is the problem, not the load (writers
 * send it to the reject file).
 */
public final class Values {
    private Values() {
    }

    /** A value that does not fit its column's type. */
    public static final class BadValue extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public BadValue(String message) {
            super(message, null, false, false);
        }
    }

    /** Why {@code database} cannot hold {@code v}, PostgreSQL's infinite date or timestamp; else {@code null}. */
    public static String infinity(Object v, String database) {
        return isInfinity(v) ? "the date " + (isPositiveInfinity(v) ? "infinity" : "-infinity")
                + " (PostgreSQL's) has no value in " + database : null;
    }

    /** {@link #infinity}, else {@link #beforeYearOne}: the dates a target that counts years from 1 refuses. */
    public static String datesBeyond(Object v, String database) {
        String infinity = infinity(v, database);
        return infinity != null ? infinity : beforeYearOne(v, database);
    }

    /**
     * Why a target that counts years from 1 (MariaDB, SQLite: no BC, and no year 0 that means 1 BC) cannot hold
     * {@code v}: a date, timestamp or zoned timestamp before the year 1, named as PostgreSQL writes it
     * ({@code the date 0044-03-15 BC}); {@code null} for any other value. Test {@link #isInfinity} first.
     */
    public static String beforeYearOne(Object v, String database) {
        LocalDate d = v instanceof LocalDate x ? x : v instanceof LocalDateTime t ? t.toLocalDate()
                : v instanceof OffsetDateTime t ? t.toLocalDate() : null;
        if (d == null || d.getYear() >= 1) {
            return null;
        }
        return String.format("the %s %04d-%02d-%02d BC is before the year 1, which %s does not hold",
                v instanceof LocalDate ? "date" : "timestamp", 1 - d.getYear(), d.getMonthValue(), d.getDayOfMonth(),
                database);
    }

    /**
     * Whether a value is PostgreSQL's {@code infinity} or {@code -infinity} date or timestamp, which its driver reads
     * as java.time's MAX or MIN.
     */
    public static boolean isInfinity(Object v) {
        int year = v instanceof LocalDate d ? d.getYear() : v instanceof LocalDateTime t ? t.getYear()
                : v instanceof OffsetDateTime t ? t.getYear() : 0;
        if (year != Year.MAX_VALUE && year != Year.MIN_VALUE) { // the cheap test on the hot path
            return false;
        }
        return isPositiveInfinity(v) || LocalDate.MIN.equals(v) || LocalDateTime.MIN.equals(v)
                || OffsetDateTime.MIN.equals(v);
    }

    /** Whether a value is PostgreSQL's {@code infinity} date or timestamp (java.time's MAX). */
    public static boolean isPositiveInfinity(Object v) {
        return LocalDate.MAX.equals(v) || LocalDateTime.MAX.equals(v) || OffsetDateTime.MAX.equals(v);
    }

    /** The value as the Java type of {@code type}; {@code null} stays {@code null}. */
    public static Object convert(Object v, ColumnType type) {
        if (v == null) {
            return null;
        }
        return switch (type) {
            case BOOLEAN -> toBoolean(v);
            case INT, LONG -> toLong(v);
            case DECIMAL -> toDecimal(v);
            case FLOAT, DOUBLE -> toDouble(v);
            case STRING, JSON -> toText(v);
            case UUID -> toText(v).toLowerCase(Locale.ROOT);
            case BYTES -> toBytes(v);
            case DATE -> toDate(v);
            case TIME -> toTime(v);
            case TIMESTAMP -> toTimestamp(v);
            case TIMESTAMP_TZ -> toTimestampTz(v);
        };
    }

    /**
     * The class {@link #convert} returns for {@code type}, when a value of exactly that class is returned as it is
     * (so a caller may skip the call for such values), else {@code null} (UUID: text is lower-cased).
     */
    public static Class<?> passThrough(ColumnType type) {
        return switch (type) {
            case BOOLEAN -> Boolean.class;
            case INT, LONG -> Long.class;
            case DECIMAL -> BigDecimal.class;
            case FLOAT, DOUBLE -> Double.class;
            case STRING, JSON -> String.class;
            case UUID -> null;
            case BYTES -> byte[].class;
            case DATE -> LocalDate.class;
            case TIME -> LocalTime.class;
            case TIMESTAMP -> LocalDateTime.class;
            case TIMESTAMP_TZ -> OffsetDateTime.class;
        };
    }

    static Boolean toBoolean(Object v) {
        if (v instanceof Boolean b) {
            return b;
        }
        if (v instanceof Number n) {
            return n.doubleValue() != 0;
        }
        String s = v.toString().trim().toLowerCase(Locale.ROOT);
        return switch (s) {
            case "t", "true", "1", "y", "yes", "on" -> Boolean.TRUE;
            case "f", "false", "0", "n", "no", "off" -> Boolean.FALSE;
            default -> throw new BadValue("not a boolean: '" + v + "'");
        };
    }

    static Long toLong(Object v) {
        if (v instanceof Long l) {
            return l;
        }
        if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return ((Number) v).longValue();
        }
        if (v instanceof Boolean b) {
            return b ? 1L : 0L;
        }
        try {
            if (v instanceof BigDecimal d) {
                return d.longValueExact();
            }
            if (v instanceof BigInteger i) {
                return i.longValueExact();
            }
            if (v instanceof Double || v instanceof Float) {
                double d = ((Number) v).doubleValue();
                if (d != Math.rint(d) || Double.isInfinite(d) || Math.abs(d) > 9.007199254740992E15) {
                    throw new BadValue("not an integer: " + v);
                }
                return (long) d;
            }
            return new BigDecimal(v.toString().trim()).longValueExact();
        } catch (ArithmeticException | NumberFormatException e) {
            throw new BadValue("not an integer: '" + v + "'");
        }
    }

    static BigDecimal toDecimal(Object v) {
        if (v instanceof BigDecimal d) {
            return d;
        }
        if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return BigDecimal.valueOf(((Number) v).longValue());
        }
        if (v instanceof BigInteger i) {
            return new BigDecimal(i);
        }
        if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw new BadValue("not a decimal number: " + v + " (of the targets, only PostgreSQL's numeric holds"
                        + " NaN and Infinity)");
            }
            return new BigDecimal(Double.toString(d));
        }
        try {
            return new BigDecimal(v.toString().trim());
        } catch (NumberFormatException e) {
            throw new BadValue("not a decimal number: '" + v + "'");
        }
    }

    static Double toDouble(Object v) {
        if (v instanceof Double d) {
            return d;
        }
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        String s = v.toString().trim();
        try {
            return switch (s.toLowerCase(Locale.ROOT)) {
                case "nan" -> Double.NaN;
                case "infinity", "inf", "+infinity" -> Double.POSITIVE_INFINITY;
                case "-infinity", "-inf" -> Double.NEGATIVE_INFINITY;
                default -> Double.parseDouble(s);
            };
        } catch (NumberFormatException e) {
            throw new BadValue("not a number: '" + v + "'");
        }
    }

    static String toText(Object v) {
        if (v instanceof String s) {
            return s;
        }
        if (v instanceof byte[] b) {
            return new String(b, StandardCharsets.UTF_8);
        }
        if (v instanceof BigDecimal d) {
            return d.toPlainString();
        }
        return v.toString();
    }

    static byte[] toBytes(Object v) {
        if (v instanceof byte[] b) {
            return b;
        }
        if (v instanceof String s) {
            if (s.startsWith("\\x")) {
                try {
                    return HexFormat.of().parseHex(s.substring(2));
                } catch (IllegalArgumentException e) {
                    throw new BadValue("not hex bytes: '" + s + "'");
                }
            }
            return s.getBytes(StandardCharsets.UTF_8);
        }
        throw new BadValue("not bytes: " + v.getClass().getSimpleName());
    }

    static LocalDate toDate(Object v) {
        if (v instanceof LocalDate d) {
            return d;
        }
        if (v instanceof LocalDateTime t) {
            return t.toLocalDate();
        }
        if (v instanceof java.sql.Date d) {
            return d.toLocalDate();
        }
        if (v instanceof Double d) { // a Julian day number (SQLite's REAL representation)
            return julian(d).toLocalDate();
        }
        if (v instanceof Number n) {
            return epoch(n.longValue()).atOffset(ZoneOffset.UTC).toLocalDate();
        }
        String s = v.toString().trim();
        try {
            return s.length() > 10 ? parseLocalDateTime(s).toLocalDate() : LocalDate.parse(s);
        } catch (DateTimeParseException e) {
            throw new BadValue("not a date: '" + v + "'");
        }
    }

    /** Below this an integer date or time is Unix seconds, from it milliseconds (see {@link #epoch}). */
    static final long MILLIS_FROM = 100_000_000_000L;

    /**
     * An integer date or time: Unix seconds, SQLite's convention for INTEGER dates ("INTEGER as Unix Time"), unless it
     * is {@value #MILLIS_FROM} or more (as seconds after the year 5000): then milliseconds, as sqlite-jdbc writes
     * {@code java.sql} dates. (Read as milliseconds, 1700000000, 2023-11-14 22:13:20, became 1970-01-20.)
     */
    static Instant epoch(long n) {
        return n > -MILLIS_FROM && n < MILLIS_FROM ? Instant.ofEpochSecond(n) : Instant.ofEpochMilli(n);
    }

    /** A Julian day number (SQLite's REAL dates) as a UTC date and time. */
    static LocalDateTime julian(double day) {
        long millis = Math.round((day - 2440587.5) * 86_400_000d);
        return LocalDateTime.ofInstant(Instant.ofEpochMilli(millis), ZoneOffset.UTC);
    }

    static LocalTime toTime(Object v) {
        if (v instanceof LocalTime t) {
            return t;
        }
        if (v instanceof java.sql.Time t) {
            return t.toLocalTime();
        }
        try {
            return LocalTime.parse(v.toString().trim());
        } catch (DateTimeParseException e) {
            throw new BadValue("not a time: '" + v + "'");
        }
    }

    static LocalDateTime toTimestamp(Object v) {
        if (v instanceof LocalDateTime t) {
            return t;
        }
        if (v instanceof OffsetDateTime t) {
            return t.withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime();
        }
        if (v instanceof ZonedDateTime t) {
            return t.withZoneSameInstant(ZoneOffset.UTC).toLocalDateTime();
        }
        if (v instanceof Instant i) {
            return LocalDateTime.ofInstant(i, ZoneOffset.UTC);
        }
        if (v instanceof java.sql.Timestamp t) {
            return t.toLocalDateTime();
        }
        if (v instanceof LocalDate d) {
            return d.atStartOfDay();
        }
        if (v instanceof Long || v instanceof Integer) {
            return LocalDateTime.ofInstant(epoch(((Number) v).longValue()), ZoneOffset.UTC);
        }
        if (v instanceof Double d) { // a Julian day number (SQLite's REAL representation)
            return julian(d);
        }
        try {
            return parseLocalDateTime(v.toString().trim());
        } catch (DateTimeParseException | StringIndexOutOfBoundsException e) {
            throw new BadValue("not a timestamp: '" + v + "'");
        }
    }

    static OffsetDateTime toTimestampTz(Object v) {
        if (v instanceof OffsetDateTime t) {
            return t;
        }
        if (v instanceof ZonedDateTime t) {
            return t.toOffsetDateTime();
        }
        if (v instanceof Instant i) {
            return i.atOffset(ZoneOffset.UTC);
        }
        if (v instanceof String s) {
            String t = s.trim().replace(' ', 'T');
            try {
                if (t.endsWith("Z") || t.matches(".*[+-]\\d\\d(:?\\d\\d)?$") && t.indexOf('T') > 0) {
                    return OffsetDateTime.parse(normalizeOffset(t));
                }
            } catch (DateTimeParseException e) {
                throw new BadValue("not a timestamp with time zone: '" + v + "'");
            }
        }
        return toTimestamp(v).atOffset(ZoneOffset.UTC); // no zone given: the value is UTC
    }

    private static String normalizeOffset(String t) {
        // "+05" -> "+05:00", "+0530" -> "+05:30"
        int sign = Math.max(t.lastIndexOf('+'), t.lastIndexOf('-'));
        if (sign > t.indexOf('T')) {
            String off = t.substring(sign + 1);
            if (off.length() == 2) {
                return t + ":00";
            }
            if (off.length() == 4 && off.indexOf(':') < 0) {
                return t.substring(0, sign + 3) + ":" + off.substring(2);
            }
        }
        return t;
    }

    /**
     * Parses {@code YYYY-MM-DD[( |T)HH:MM[:SS[.fffffffff]]]} quickly (SQLite and CSV-style text timestamps).
     */
    public static LocalDateTime parseLocalDateTime(String s) {
        return parseLocalDateTime(s, null);
    }

    /**
     * Like {@link #parseLocalDateTime(String)}, but takes the date of {@code previous} (may be null) when the text
     * has the same one: rows read in key order often repeat dates, so this makes fewer objects, and java.time's
     * month-length checks, whose branches change with the data (day 29, a leap year) and made the JIT recompile
     * the reading loop each time, run only for a new date, out of line.
     */
    public static LocalDateTime parseLocalDateTime(String s, LocalDateTime previous) {
        int n = s.length();
        if (n == 10) {
            return LocalDate.parse(s).atStartOfDay();
        }
        if (n < 16 || s.charAt(4) != '-' || s.charAt(7) != '-' || (s.charAt(10) != ' ' && s.charAt(10) != 'T')
                || s.charAt(13) != ':') {
            throw new DateTimeParseException("not a timestamp", s, 0);
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 7);
        int day = digits(s, 8, 10);
        int hour = digits(s, 11, 13);
        int minute = digits(s, 14, 16);
        int second = 0;
        int nanos = 0;
        if (n > 16) {
            if (s.charAt(16) != ':' || n < 19) {
                throw new DateTimeParseException("not a timestamp", s, 16);
            }
            second = digits(s, 17, 19);
            if (n > 19) {
                if (s.charAt(19) != '.' || n > 29 || n == 20) {
                    throw new DateTimeParseException("not a timestamp", s, 19);
                }
                nanos = digits(s, 20, n);
                for (int i = n - 20; i < 9; i++) {
                    nanos *= 10;
                }
            }
        }
        try {
            LocalDate date = previous != null && previous.getDayOfMonth() == day
                    && previous.getMonthValue() == month && previous.getYear() == year
                    ? previous.toLocalDate() : LocalDate.of(year, month, day);
            return LocalDateTime.of(date, LocalTime.of(hour, minute, second, nanos));
        } catch (java.time.DateTimeException e) {
            throw new DateTimeParseException(e.getMessage(), s, 0);
        }
    }

    private static int digits(String s, int from, int to) {
        int v = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                throw new DateTimeParseException("not a digit", s, i);
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }
}
