package dev.caravan.connector.jdbc;

import dev.caravan.connector.jdbc.dialect.Values;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;

/**
 * Encodes rows in PostgreSQL's COPY text format straight into UTF-8 bytes: {@code \N} for NULL, tab between
 * columns, newline after a row, backslash escapes for backslash, tab, newline and carriage return; numbers, dates
 * and times written by hand (no intermediate strings on the hot path). A lone surrogate is written as its 3-byte
 * form, which PostgreSQL refuses as invalid UTF-8, so the row is rejected instead of silently altered. Not
 * thread-safe; reused per writer.
 */
final class CopyText {
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private byte[] buf = new byte[1 << 18];
    private int pos;

    int size() {
        return pos;
    }

    byte[] bytes() {
        return buf;
    }

    void clear() {
        pos = 0;
    }

    private void ensure(int more) {
        if (pos + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + more));
        }
    }

    private void ascii(String s) {
        int n = s.length();
        ensure(n);
        for (int i = 0; i < n; i++) {
            buf[pos++] = (byte) s.charAt(i);
        }
    }

    void row(Object[] values) {
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                ensure(1);
                buf[pos++] = '\t';
            }
            value(values[i]);
        }
        ensure(1);
        buf[pos++] = '\n';
    }

    void value(Object v) {
        if (v == null) {
            ensure(2);
            buf[pos++] = '\\';
            buf[pos++] = 'N';
        } else if (v instanceof String s) {
            text(s);
        } else if (v instanceof Long l) {
            number(l);
        } else if (v instanceof Integer n) {
            number(n);
        } else if (v instanceof Double d) {
            ascii(d.isNaN() ? "NaN" : d.isInfinite() ? (d > 0 ? "Infinity" : "-Infinity") : Double.toString(d));
        } else if (v instanceof Boolean b) {
            ensure(1);
            buf[pos++] = (byte) (b ? 't' : 'f');
        } else if (v instanceof LocalDateTime t) {
            dateTime(t);
        } else if (v instanceof OffsetDateTime t) {
            dateTime(t);
        } else if (v instanceof LocalDate d) {
            date(d);
        } else if (v instanceof LocalTime t) {
            time(t);
        } else if (v instanceof BigDecimal d) {
            ascii(d.toPlainString());
        } else if (v instanceof byte[] b) {
            ensure(3 + 2 * b.length);
            buf[pos++] = '\\';
            buf[pos++] = '\\';
            buf[pos++] = 'x';
            for (byte x : b) {
                buf[pos++] = HEX[(x >> 4) & 0xf];
                buf[pos++] = HEX[x & 0xf];
            }
        } else {
            text(v.toString());
        }
    }

    private void number(long l) {
        if (l == Long.MIN_VALUE) {
            ascii(Long.toString(l));
            return;
        }
        ensure(20);
        if (l < 0) {
            buf[pos++] = '-';
            l = -l;
        }
        int start = pos;
        do {
            buf[pos++] = (byte) ('0' + l % 10);
            l /= 10;
        } while (l != 0);
        for (int i = start, j = pos - 1; i < j; i++, j--) {
            byte t = buf[i];
            buf[i] = buf[j];
            buf[j] = t;
        }
    }

    private void digits(int v, int width) {
        for (int i = width - 1; i >= 0; i--) {
            buf[pos + i] = (byte) ('0' + v % 10);
            v /= 10;
        }
        pos += width;
    }

    /**
     * A date as PostgreSQL reads it: {@code infinity}/{@code -infinity} for java.time's MAX/MIN (what the driver reads
     * them as), {@code 0044-03-15 BC} for the ISO year -43 (a signed year was taken for a zone offset).
     */
    private void date(LocalDate d) {
        if (!infinity(d) && dateDigits(d)) {
            bc(d.getYear());
        }
    }

    /** Writes {@code infinity} or {@code -infinity} for java.time's MAX or MIN. */
    private boolean infinity(Object v) {
        if (!Values.isInfinity(v)) {
            return false;
        }
        ascii(Values.isPositiveInfinity(v) ? "infinity" : "-infinity");
        return true;
    }

    /** {@code YYYY-MM-DD} with the year counted from 1 BC backwards before year 1; false (ISO form) past 4 digits. */
    private boolean dateDigits(LocalDate d) {
        int y = d.getYear();
        int shown = y < 1 ? 1 - y : y;
        if (shown > 9999) {
            ascii(d.toString()); // PostgreSQL refuses it: a reject, not a changed date
            return false;
        }
        ensure(10);
        digits(shown, 4);
        buf[pos++] = '-';
        digits(d.getMonthValue(), 2);
        buf[pos++] = '-';
        digits(d.getDayOfMonth(), 2);
        return true;
    }

    private void bc(int year) {
        if (year < 1) {
            ascii(" BC");
        }
    }

    private void time(LocalTime t) {
        ensure(15);
        digits(t.getHour(), 2);
        buf[pos++] = ':';
        digits(t.getMinute(), 2);
        buf[pos++] = ':';
        digits(t.getSecond(), 2);
        int nanos = t.getNano();
        if (nanos != 0) {
            buf[pos++] = '.';
            digits(nanos, 9);
            while (buf[pos - 1] == '0') {
                pos--;
            }
        }
    }

    private void dateTime(LocalDateTime t) {
        if (infinity(t) || !dateDigits(t.toLocalDate())) {
            return;
        }
        ensure(1);
        buf[pos++] = ' ';
        time(t.toLocalTime());
        bc(t.getYear());
    }

    /** A timestamp with a zone: ISO text, in UTC with {@code BC} before year 1. */
    private void dateTime(OffsetDateTime t) {
        if (infinity(t)) {
            return;
        }
        LocalDateTime utc = t.withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime();
        if (utc.getYear() >= 1) {
            text(t.toString());
            return;
        }
        if (dateDigits(utc.toLocalDate())) {
            ensure(1);
            buf[pos++] = ' ';
            time(utc.toLocalTime());
            ascii("+00 BC");
        }
    }

    private void text(String s) {
        int n = s.length();
        ensure(n * 2);
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                switch (c) {
                    case '\\' -> {
                        buf[pos++] = '\\';
                        buf[pos++] = '\\';
                    }
                    case '\t' -> {
                        buf[pos++] = '\\';
                        buf[pos++] = 't';
                    }
                    case '\n' -> {
                        buf[pos++] = '\\';
                        buf[pos++] = 'n';
                    }
                    case '\r' -> {
                        buf[pos++] = '\\';
                        buf[pos++] = 'r';
                    }
                    default -> buf[pos++] = (byte) c;
                }
            } else {
                ensure(4 + (n - i) * 2);
                if (c < 0x800) {
                    buf[pos++] = (byte) (0xc0 | (c >> 6));
                    buf[pos++] = (byte) (0x80 | (c & 0x3f));
                } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                    int cp = Character.toCodePoint(c, s.charAt(++i));
                    buf[pos++] = (byte) (0xf0 | (cp >> 18));
                    buf[pos++] = (byte) (0x80 | ((cp >> 12) & 0x3f));
                    buf[pos++] = (byte) (0x80 | ((cp >> 6) & 0x3f));
                    buf[pos++] = (byte) (0x80 | (cp & 0x3f));
                } else {
                    buf[pos++] = (byte) (0xe0 | (c >> 12));
                    buf[pos++] = (byte) (0x80 | ((c >> 6) & 0x3f));
                    buf[pos++] = (byte) (0x80 | (c & 0x3f));
                }
            }
        }
    }
}
