package dev.caravan.formats.csv;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits CSV text into records of fields (RFC 4180, with the variants the options allow: another delimiter, another
 * or no quote character, an escape character), keeping each record's raw text and the line it starts on. CR, LF and
 * CRLF all end a line. An unquoted field equal to the NULL string is {@code null}; a quoted one is its text. An empty
 * line is a record of one unquoted empty field. With an escape character, {@code \r \n \t \b \f} stand for those
 * characters, the escape before the delimiter, the quote, itself or a line break for that character, and before any
 * other character it is kept with it (Apache Commons CSV's rules, which this reader used before).
 *
 * <p>Strict where RFC 4180 is, so that no text is changed silently: after a closing quote only the delimiter, a line
 * break or the end of the input may follow (a space there is refused, not dropped), and a quote that is never closed
 * is reported at the line and column where it opened, not where the input ends. Both are {@link Malformed}: the
 * reader cannot tell where the next record starts. Memory: one record. Not thread-safe.
 */
final class CsvLexer {
    /**
     * One record.
     *
     * @param fields its fields ({@code null}: NULL)
     * @param line   1-based line it starts on
     * @param raw    its text as in the input, line breaks inside quoted fields included, the line break ending it not
     */
    record Row(String[] fields, long line, String raw) {
    }

    /** Text that is not CSV; {@link #line} and {@link #column} (1-based) say where the problem is. */
    static final class Malformed extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final long line;
        final long column;

        Malformed(long line, long column, String reason) {
            super(reason);
            this.line = line;
            this.column = column;
        }
    }

    private static final int EOF = -1;

    private final Reader in;
    private final char delimiter;
    private final int quote;
    private final int escape;
    private final String nullString;
    private final char[] buffer = new char[1 << 16];
    private int pos;
    private int limit;
    private boolean ended;
    /** Line and column of the next character. */
    private long line = 1;
    private long column = 1;
    private boolean afterCr;
    private final StringBuilder raw = new StringBuilder(256);
    private final StringBuilder field = new StringBuilder(64);

    CsvLexer(Reader in, CsvSettings settings) {
        this.in = in;
        this.delimiter = settings.delimiter();
        this.quote = settings.quote() == null ? Integer.MIN_VALUE : settings.quote();
        this.escape = settings.escape() == null ? Integer.MIN_VALUE : settings.escape();
        this.nullString = settings.nullString();
    }

    /** The line the next character is on (where reading stopped). */
    long line() {
        return line;
    }

    /**
     * The next record, or {@code null} at the end of the input.
     *
     * @throws Malformed   for text that is not CSV
     * @throws IOException from the reader underneath (undecodable bytes, a failed read)
     */
    Row next() throws IOException {
        raw.setLength(0);
        long start = line;
        int c = read();
        if (c == EOF) {
            return null;
        }
        List<String> fields = new ArrayList<>();
        while (true) {
            field.setLength(0);
            boolean quoted = c == quote;
            c = quoted ? quotedField() : plainField(c);
            String text = field.toString();
            fields.add(!quoted && text.equals(nullString) ? null : text);
            if (c == delimiter) {
                c = read();
                continue;
            }
            if (c == '\r' || c == '\n') {
                raw.setLength(raw.length() - 1);
                if (c == '\r' && peek() == '\n') {
                    read();
                    raw.setLength(raw.length() - 1);
                }
            }
            return new Row(fields.toArray(new String[0]), start, raw.toString());
        }
    }

    /** Reads an unquoted field starting with {@code first}; returns what ends it (delimiter, line break, EOF). */
    private int plainField(int first) throws IOException {
        int c = first;
        while (c != EOF && c != delimiter && c != '\r' && c != '\n') {
            if (c == escape) {
                escaped();
            } else {
                field.append((char) c);
            }
            c = read();
        }
        return c;
    }

    /** Reads a quoted field whose opening quote was just read; returns what follows its closing quote. */
    private int quotedField() throws IOException {
        long openLine = line;
        long openColumn = column - 1;
        while (true) {
            int c = read();
            if (c == EOF) {
                throw new Malformed(openLine, openColumn, "the quote that opens at column " + openColumn + " is never"
                        + " closed (the input ends inside it)");
            }
            if (c == escape) {
                escaped();
            } else if (c == quote) {
                if (peek() == quote) {
                    field.append((char) read());
                    continue;
                }
                int after = read();
                if (after == EOF || after == delimiter || after == '\r' || after == '\n') {
                    return after;
                }
                throw new Malformed(line, column - 1, "column " + (column - 1) + ": " + describe(after) + " after the"
                        + " closing quote of the field that opens at " + (openLine == line ? "" : "line " + openLine
                        + ", ") + "column " + openColumn + ": only the delimiter '" + printable(delimiter) + "' or a"
                        + " line break may follow it (RFC 4180); put " + (after == ' ' || after == '\t' ? "it" : "the"
                        + " whole value") + " inside the quotes, or remove it");
            } else {
                field.append((char) c);
            }
        }
    }

    /** The character after an escape character (just read), as Commons CSV reads it. */
    private void escaped() throws IOException {
        int e = read();
        switch (e) {
            case EOF -> throw new Malformed(line, column, "the input ends right after the escape character '"
                    + printable(escape) + "'");
            case 'r' -> field.append('\r');
            case 'n' -> field.append('\n');
            case 't' -> field.append('\t');
            case 'b' -> field.append('\b');
            case 'f' -> field.append('\f');
            case '\r', '\n', '\t', '\b', '\f' -> field.append((char) e);
            default -> {
                if (e != delimiter && e != escape && e != quote) {
                    field.append((char) escape);
                }
                field.append((char) e);
            }
        }
    }

    private int peek() throws IOException {
        return fill() ? buffer[pos] : EOF;
    }

    private int read() throws IOException {
        if (!fill()) {
            return EOF;
        }
        char c = buffer[pos++];
        raw.append(c);
        if (c == '\n' && afterCr) { // the LF of a CRLF: the line was counted at the CR
            afterCr = false;
        } else if (c == '\r' || c == '\n') {
            line++;
            column = 1;
            afterCr = c == '\r';
        } else {
            column++;
            afterCr = false;
        }
        return c;
    }

    private boolean fill() throws IOException {
        while (pos == limit) {
            if (ended) {
                return false;
            }
            int n = in.read(buffer, 0, buffer.length);
            if (n < 0) {
                ended = true;
                return false;
            }
            pos = 0;
            limit = n;
        }
        return true;
    }

    /** A delimiter or escape character as the options write it. */
    static String printable(int c) {
        return c == '\t' ? "\\t" : String.valueOf((char) c);
    }

    private static String describe(int c) {
        return switch (c) {
            case ' ' -> "a space";
            case '\t' -> "a tab";
            default -> "'" + (char) c + "'";
        };
    }
}
