package dev.caravan.formats;

import dev.caravan.api.record.ColumnType;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The text form of every {@link ColumnType}, shared by CSV, JSON Lines (for values JSON has no type for) and
 * casts from strings. Writing always produces the canonical form; reading also accepts common variants:
 *
 * <ul>
 *   <li>BOOLEAN: writes {@code true}/{@code false}; reads also {@code t f yes no y n on off 1 0}, any case.</li>
 *   <li>INT, LONG: decimal digits with optional sign; surrounding spaces ignored.</li>
 *   <li>DECIMAL: plain notation, never an exponent ({@code 1234.50}); reads exponents too.</li>
 *   <li>FLOAT, DOUBLE: Java's shortest round-trip form ({@code 0.1}, {@code 1.0E10}, {@code NaN},
 *       {@code Infinity}); reads also {@code inf}, {@code -inf}, {@code nan}.</li>
 *   <li>DATE {@code 2024-02-29}; TIME {@code 13:45:00.123456}; TIMESTAMP {@code 2024-02-29T13:45:00.5} (reads a
 *       space instead of {@code T} too); TIMESTAMP_TZ {@code 2024-02-29T13:45:00+01:00} or {@code ...Z} (reads
 *       {@code +01}, {@code +0100} too; a value without offset is refused).</li>
 *   <li>UUID: canonical 8-4-4-4-12 hex; BYTES: see {@link BinaryEncoding}; STRING and JSON: the text itself.</li>
 * </ul>
 */
public final class TextValues {
    static final DateTimeFormatter TIMESTAMP_TZ_PARSER = new DateTimeFormatterBuilder().parseCaseInsensitive()
            .append(DateTimeFormatter.ISO_LOCAL_DATE).appendLiteral('T').append(DateTimeFormatter.ISO_LOCAL_TIME)
            .parseLenient().appendOffset("+HH:MM:ss", "Z").toFormatter(Locale.ROOT);
    private static final Pattern COMPACT_OFFSET = Pattern.compile(".*[+-]\\d{4}$");

    private TextValues() {
    }

    /** The canonical text of a normalized value (see {@link Values#coerce}) of type {@code type}. */
    public static String format(Object value, ColumnType type, BinaryEncoding binary) {
        if (value == null) {
            return null;
        }
        return switch (type) {
            case DECIMAL -> ((BigDecimal) value).toPlainString();
            case BYTES -> binary.encode((byte[]) value);
            case TIMESTAMP -> DateTimeFormatter.ISO_LOCAL_DATE_TIME.format((LocalDateTime) value);
            case TIMESTAMP_TZ -> DateTimeFormatter.ISO_OFFSET_DATE_TIME.format((OffsetDateTime) value);
            case TIME -> DateTimeFormatter.ISO_LOCAL_TIME.format((LocalTime) value);
            default -> value.toString();
        };
    }

    /** The canonical text of any supported Java value (used for casts to STRING). */
    public static String format(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof BigDecimal d) {
            return d.toPlainString();
        }
        if (value instanceof LocalDateTime t) {
            return DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(t);
        }
        if (value instanceof OffsetDateTime t) {
            return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(t);
        }
        if (value instanceof LocalTime t) {
            return DateTimeFormatter.ISO_LOCAL_TIME.format(t);
        }
        if (value instanceof byte[] b) {
            return BinaryEncoding.BASE64.encode(b);
        }
        return value.toString();
    }

    /** The words read as a BOOLEAN (lower case), besides the digits {@code 1} and {@code 0}. */
    private static final Map<String, Boolean> BOOLEAN_WORDS = Map.of("true", true, "t", true, "yes", true, "y", true,
            "on", true, "false", false, "f", false, "no", false, "n", false, "off", false);

    public static boolean parseBoolean(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        Boolean b = t.equals("1") ? Boolean.TRUE : t.equals("0") ? Boolean.FALSE : BOOLEAN_WORDS.get(t);
        if (b == null) {
            throw new IllegalArgumentException("'" + abbreviate(text) + "' is not a BOOLEAN (use true or false)");
        }
        return b;
    }

    /**
     * Whether {@code text} is exactly one of the words {@link #parseBoolean(String)} reads ({@code true false t f yes no
     * y n on off}, any case, no spaces around); the digits {@code 1} and {@code 0} are not words (they are numbers).
     */
    public static boolean isBooleanWord(String text) {
        return text.length() <= 5 && BOOLEAN_WORDS.containsKey(text.toLowerCase(Locale.ROOT));
    }

    public static long parseLong(String text, String typeName) {
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            try {
                BigDecimal d = new BigDecimal(text.trim());
                if (d.stripTrailingZeros().scale() > 0) {
                    throw new IllegalArgumentException("'" + abbreviate(text) + "' is not a " + typeName
                            + ": it has a fractional part");
                }
                throw new IllegalArgumentException("'" + abbreviate(text) + "' is out of range for " + typeName);
            } catch (NumberFormatException notNumber) {
                throw new IllegalArgumentException("'" + abbreviate(text) + "' is not a " + typeName);
            }
        }
    }

    public static BigDecimal parseDecimal(String text, String typeName) {
        try {
            return new BigDecimal(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + abbreviate(text) + "' is not a " + typeName);
        }
    }

    public static double parseDouble(String text, String typeName) {
        String t = text.trim();
        switch (t.toLowerCase(Locale.ROOT)) {
            case "nan":
                return Double.NaN;
            case "inf", "+inf", "infinity", "+infinity":
                return Double.POSITIVE_INFINITY;
            case "-inf", "-infinity":
                return Double.NEGATIVE_INFINITY;
            default:
                break;
        }
        char last = t.isEmpty() ? ' ' : Character.toLowerCase(t.charAt(t.length() - 1));
        if (last == 'd' || last == 'f' || t.startsWith("0x") || t.startsWith("-0x")) {
            throw new IllegalArgumentException("'" + abbreviate(text) + "' is not a " + typeName);
        }
        try {
            return Double.parseDouble(t);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + abbreviate(text) + "' is not a " + typeName);
        }
    }

    /**
     * Index of the first char of {@code text} that is half of a UTF-16 surrogate pair without its other half (no
     * Unicode encoding can write it: encoders replace it with '?'), or -1.
     */
    public static int unpairedSurrogate(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                    i++;
                } else {
                    return i;
                }
            }
        }
        return -1;
    }

    /** Whether the text is one of the NaN or infinity spellings {@link #parseDouble} reads. */
    static boolean isInfinityOrNaN(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        return t.equals("nan") || t.replace("+", "").replace("-", "").equals("inf")
                || t.replace("+", "").replace("-", "").equals("infinity");
    }

    /** Whether a number's text has a digit other than 0 before its exponent (so it is not zero). */
    static boolean hasNonZeroDigit(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == 'e' || c == 'E') {
                return false;
            }
            if (c >= '1' && c <= '9') {
                return true;
            }
        }
        return false;
    }

    public static LocalDate parseDate(String text) {
        if (text.length() == 10 && isoDate(text)) {
            try {
                return LocalDate.of(num(text, 0, 4), num(text, 5, 7), num(text, 8, 10));
            } catch (java.time.DateTimeException e) {
                throw new IllegalArgumentException("'" + abbreviate(text) + "' is not a DATE (use 2024-02-29)");
            }
        }
        try {
            return LocalDate.parse(text.trim());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("'" + abbreviate(text) + "' is not a DATE (use 2024-02-29)");
        }
    }

    public static LocalTime parseTime(String text) {
        try {
            return LocalTime.parse(text.trim());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("'" + abbreviate(text) + "' is not a TIME (use 13:45:00 or 13:45:00.123456)");
        }
    }

    public static LocalDateTime parseTimestamp(String text) {
        LocalDateTime fast = fastTimestamp(text);
        if (fast != null) {
            return fast;
        }
        String t = isoSeparator(text.trim());
        try {
            if (t.length() == 10) {
                return LocalDate.parse(t).atStartOfDay();
            }
            return LocalDateTime.parse(t);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("'" + abbreviate(text) + "' is not a TIMESTAMP (use 2024-02-29T13:45:00"
                    + (hasOffset(t) ? "; it has a UTC offset: use TIMESTAMP_TZ for it" : "") + ")");
        }
    }

    public static OffsetDateTime parseTimestampTz(String text) {
        String t = isoSeparator(text.trim());
        if (t.endsWith(" UTC")) {
            t = t.substring(0, t.length() - 4) + "Z";
        }
        if (COMPACT_OFFSET.matcher(t).matches() && t.length() > 15) {
            t = t.substring(0, t.length() - 2) + ":" + t.substring(t.length() - 2);
        }
        try {
            return OffsetDateTime.parse(t, TIMESTAMP_TZ_PARSER);
        } catch (DateTimeParseException e) {
            boolean local = !hasOffset(t);
            throw new IllegalArgumentException("'" + abbreviate(text) + "' is not a TIMESTAMP_TZ (use "
                    + "2024-02-29T13:45:00+01:00 or ...Z" + (local ? "; it has no UTC offset: use TIMESTAMP for it" : "")
                    + ")");
        }
    }

    public static UUID parseUuid(String text) {
        String t = text.trim();
        if (t.length() != 36 || t.charAt(8) != '-' || t.charAt(13) != '-' || t.charAt(18) != '-' || t.charAt(23) != '-') {
            throw new IllegalArgumentException("'" + abbreviate(text) + "' is not a UUID (use the 8-4-4-4-12 hex form)");
        }
        try {
            return UUID.fromString(t);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + abbreviate(text) + "' is not a UUID (use the 8-4-4-4-12 hex form)");
        }
    }

    /**
     * The common case without a formatter: {@code yyyy-MM-dd[T ]HH:mm:ss[.f{1,9}]}; {@code null} for anything else
     * (including invalid dates, which the formatter then reports).
     */
    private static LocalDateTime fastTimestamp(String t) {
        int n = t.length();
        if (n < 19 || n > 29 || !isoDate(t) || (t.charAt(10) != 'T' && t.charAt(10) != ' ') || t.charAt(13) != ':'
                || t.charAt(16) != ':' || !digits(t, 11, 13) || !digits(t, 14, 16) || !digits(t, 17, 19)) {
            return null;
        }
        int nano = 0;
        if (n > 19) {
            if (t.charAt(19) != '.' || n == 20 || !digits(t, 20, n)) {
                return null;
            }
            nano = num(t, 20, n);
            for (int i = n - 20; i < 9; i++) {
                nano *= 10;
            }
        }
        try {
            return LocalDateTime.of(num(t, 0, 4), num(t, 5, 7), num(t, 8, 10), num(t, 11, 13), num(t, 14, 16),
                    num(t, 17, 19), nano);
        } catch (java.time.DateTimeException e) {
            return null;
        }
    }

    private static boolean isoDate(String t) {
        return t.charAt(4) == '-' && t.charAt(7) == '-' && digits(t, 0, 4) && digits(t, 5, 7) && digits(t, 8, 10);
    }

    private static boolean digits(String t, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = t.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    private static int num(String t, int from, int to) {
        int v = 0;
        for (int i = from; i < to; i++) {
            v = v * 10 + (t.charAt(i) - '0');
        }
        return v;
    }

    /** At most 60 characters of a value, for error messages. */
    public static String abbreviate(String text) {
        if (text == null) {
            return "null";
        }
        return text.length() <= 60 ? text : text.substring(0, 57) + "...";
    }

    private static String isoSeparator(String t) {
        if (t.length() > 10 && t.charAt(10) == ' ') {
            return t.substring(0, 10) + 'T' + t.substring(11);
        }
        return t;
    }

    private static boolean hasOffset(String t) {
        if (t.length() <= 19) {
            return false;
        }
        String tail = t.substring(19);
        return tail.endsWith("Z") || tail.endsWith("z") || tail.contains("+") || tail.contains("-");
    }
}
