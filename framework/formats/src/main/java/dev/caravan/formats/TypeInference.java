package dev.caravan.formats;

import dev.caravan.api.record.Column;
import dev.caravan.api.record.ColumnType;
import java.math.BigDecimal;
import java.util.regex.Pattern;

/**
 * Infers column types from a sample of values (CSV text, JSON values). Rules, applied per value and then widened
 * over the sample:
 *
 * <ul>
 *   <li>{@code true}/{@code false}, {@code yes}/{@code no}, {@code on}/{@code off} and the letters {@code t}/{@code f},
 *       {@code y}/{@code n} (any case, text only: a JSON string stays a string): BOOLEAN, read with
 *       {@link TextValues#parseBoolean(String)}.</li>
 *   <li>Integers: LONG up to 18 digits, else DECIMAL(38,0) up to 38 digits. Integers with a leading zero
 *       ({@code 007}, zip codes) stay STRING so no digit is lost.</li>
 *   <li>Plain decimals ({@code 12.50}): DECIMAL(38, s) with s the largest scale seen, when s is at most 18 and the
 *       digits fit 38, else an unbounded (exact) DECIMAL, never a DOUBLE that would round them; numbers with an
 *       exponent: DOUBLE. With {@code inferDecimals=false} every fraction is DOUBLE.</li>
 *   <li>{@code 2024-02-29}: DATE; {@code 13:45:00}: TIME; date and time: TIMESTAMP; with an offset or {@code Z}:
 *       TIMESTAMP_TZ; 8-4-4-4-12 hex: UUID.</li>
 *   <li>JSON objects and arrays (JSON Lines only): JSON.</li>
 *   <li>Widening: LONG+DECIMAL = DECIMAL, any number+DOUBLE = DOUBLE (but an unbounded DECIMAL when an exact number
 *       of the sample has more than 15 digits, which a DOUBLE would round), DATE+TIMESTAMP = TIMESTAMP, JSON absorbs
 *       everything, any other mix = STRING. A column with only NULLs is STRING. Inferred columns are nullable.</li>
 * </ul>
 * A later value that does not fit the inferred type fails with a {@link DataError} that says which type was
 * inferred; give that column's type explicitly (the {@code schema} option) to fix it.
 */
public final class TypeInference {
    private static final Pattern INTEGER = Pattern.compile("[+-]?\\d+");
    private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+\\.\\d*|\\.\\d+)");
    private static final Pattern EXPONENT = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)[eE][+-]?\\d+");
    private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
    private static final Pattern TIME = Pattern.compile("\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,9})?)?");
    private static final Pattern TIMESTAMP = Pattern.compile("\\d{4}-\\d{2}-\\d{2}[T ]\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,9})?)?");
    private static final Pattern TIMESTAMP_TZ = Pattern.compile(
            "\\d{4}-\\d{2}-\\d{2}[T ]\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,9})?)?\\s?([zZ]|[+-]\\d{2}(:?\\d{2})?)");
    private static final Pattern UUID = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final int MAX_DECIMAL_SCALE = 18;
    /** Significant decimal digits every DOUBLE keeps. */
    private static final int DOUBLE_DIGITS = 15;

    private TypeInference() {
    }

    /** The evidence about one column. Not thread-safe. */
    public static final class Guess {
        private ColumnType type;
        private int maxScale;
        private int maxIntDigits;
        private boolean tooWide;

        /** A value in text form (CSV): every rule applies. */
        public void observeText(String text) {
            if (text == null) {
                return;
            }
            String t = text.trim();
            if (t.isEmpty() || !t.equals(text) && !INTEGER.matcher(t).matches() && !DECIMAL.matcher(t).matches()) {
                observe(t.isEmpty() ? ColumnType.STRING : classifyString(text));
                return;
            }
            if (TextValues.isBooleanWord(t)) {
                observe(ColumnType.BOOLEAN);
            } else if (INTEGER.matcher(t).matches()) {
                String digits = t.startsWith("+") || t.startsWith("-") ? t.substring(1) : t;
                if (digits.length() > 1 && digits.charAt(0) == '0') {
                    observe(ColumnType.STRING);
                } else if (digits.length() <= 18) {
                    observeDigits(digits.length(), 0);
                    observe(ColumnType.LONG);
                } else if (digits.length() <= 38) {
                    observeDigits(digits.length(), 0);
                    observe(ColumnType.DECIMAL);
                } else {
                    observe(ColumnType.STRING);
                }
            } else if (DECIMAL.matcher(t).matches()) {
                BigDecimal d = new BigDecimal(t);
                observeDigits(Math.max(d.precision() - d.scale(), 0), d.scale());
                observe(ColumnType.DECIMAL);
            } else if (EXPONENT.matcher(t).matches()) {
                observe(ColumnType.DOUBLE);
            } else {
                observe(classifyString(t));
            }
        }

        /** A JSON string: only the date, time and UUID rules apply (a quoted number stays a string). */
        public void observeString(String text) {
            if (text != null) {
                observe(classifyString(text));
            }
        }

        /** An exact decimal number. */
        public void observeDecimal(BigDecimal d) {
            if (d.scale() < 0) {
                observe(ColumnType.DOUBLE);
                return;
            }
            observeDigits(Math.max(d.precision() - d.scale(), 0), d.scale());
            observe(d.scale() == 0 && d.precision() <= 18 ? ColumnType.LONG : ColumnType.DECIMAL);
        }

        /** A value whose type is known (JSON booleans, objects ...). */
        public void observe(ColumnType t) {
            type = merge(type, t);
        }

        private void observeDigits(int intDigits, int scale) {
            maxIntDigits = Math.max(maxIntDigits, intDigits);
            maxScale = Math.max(maxScale, scale);
            if (scale > MAX_DECIMAL_SCALE || maxIntDigits + maxScale > 38) {
                tooWide = true;
            }
        }

        /** The inferred column (always nullable). */
        public Column toColumn(String name, boolean inferDecimals) {
            ColumnType t = type == null ? ColumnType.STRING : type;
            if (t == ColumnType.DOUBLE && maxIntDigits + maxScale > DOUBLE_DIGITS && (inferDecimals || maxScale == 0)) {
                // exact numbers with more digits than a DOUBLE keeps, next to exponents: exact, unbounded
                return new Column(name, ColumnType.DECIMAL, null, 0, 0, true);
            }
            if (t == ColumnType.DECIMAL) {
                if (!inferDecimals && maxScale > 0) { // integers of more than 18 digits stay exact
                    t = ColumnType.DOUBLE;
                } else {
                    // too wide for DECIMAL(38,s): unbounded, so that no digit is rounded away
                    return new Column(name, t, null, tooWide ? 0 : 38, tooWide ? 0 : maxScale, true);
                }
            }
            return new Column(name, t, null, 0, 0, true);
        }
    }

    private static ColumnType classifyString(String s) {
        int n = s.length();
        if (n == 10 && DATE.matcher(s).matches() && parses(() -> TextValues.parseDate(s))) {
            return ColumnType.DATE;
        }
        if (n >= 5 && n <= 18 && TIME.matcher(s).matches() && parses(() -> TextValues.parseTime(s))) {
            return ColumnType.TIME;
        }
        if (n >= 16 && n <= 29 && TIMESTAMP.matcher(s).matches() && parses(() -> TextValues.parseTimestamp(s))) {
            return ColumnType.TIMESTAMP;
        }
        if (n >= 17 && n <= 36 && TIMESTAMP_TZ.matcher(s).matches() && parses(() -> TextValues.parseTimestampTz(s))) {
            return ColumnType.TIMESTAMP_TZ;
        }
        if (n == 36 && UUID.matcher(s).matches()) {
            return ColumnType.UUID;
        }
        return ColumnType.STRING;
    }

    private static boolean parses(Runnable parse) {
        try {
            parse.run();
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    static ColumnType merge(ColumnType a, ColumnType b) {
        if (a == null) {
            return b;
        }
        if (b == null || a == b) {
            return a;
        }
        if (a == ColumnType.JSON || b == ColumnType.JSON) {
            return ColumnType.JSON;
        }
        if (numeric(a) && numeric(b)) {
            return a == ColumnType.DOUBLE || b == ColumnType.DOUBLE ? ColumnType.DOUBLE : ColumnType.DECIMAL;
        }
        if ((a == ColumnType.DATE || a == ColumnType.TIMESTAMP) && (b == ColumnType.DATE || b == ColumnType.TIMESTAMP)) {
            return ColumnType.TIMESTAMP;
        }
        return ColumnType.STRING;
    }

    private static boolean numeric(ColumnType t) {
        return t == ColumnType.LONG || t == ColumnType.DECIMAL || t == ColumnType.DOUBLE;
    }
}
