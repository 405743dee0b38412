package dev.caravan.formats.csv;

import dev.caravan.api.record.Column;
import dev.caravan.api.record.ColumnType;
import dev.caravan.api.record.Schema;
import dev.caravan.formats.AbstractFormatWriter;
import dev.caravan.formats.DataError;
import dev.caravan.formats.FormatErrors;
import dev.caravan.formats.TextValues;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;

/**
 * Writes CSV: fields are quoted when they contain the delimiter, the quote or escape character or a line break,
 * when they are empty (so an empty string is not read back as NULL) and when they equal the NULL string; NULL is
 * the NULL string unquoted. Quotes inside quoted fields are doubled, or escaped when an escape character is set.
 */
final class CsvWriter extends AbstractFormatWriter {
    private final CsvSettings settings;
    private final OutputStream out;
    private final CharsetEncoder encoder;
    private long bytes;
    private final ColumnType[] types;
    private final StringBuilder line = new StringBuilder(256);

    CsvWriter(OutputStream target, String name, Schema schema, CsvSettings settings) {
        super(schema, name);
        this.settings = settings;
        this.out = new BufferedOutputStream(target, 1 << 16);
        this.encoder = settings.charset().newEncoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        this.types = schema.columns().stream().map(Column::type).toArray(ColumnType[]::new);
        if (settings.header()) {
            String[] names = schema.columns().stream().map(Column::name).toArray(String[]::new);
            try {
                append(names, 0);
                writeLine(0, null);
            } catch (IOException e) {
                throw FormatErrors.writing(e, name);
            }
        }
    }

    @Override
    protected void emit(Object[] values) throws IOException {
        String[] fields = new String[values.length];
        for (int i = 0; i < values.length; i++) {
            fields[i] = TextValues.format(values[i], types[i], settings.binary());
        }
        append(fields, recordsWritten() + 1);
        writeLine(recordsWritten() + 1, fields);
    }

    /** Encodes the line (unmappable characters are a rejected record, not a replaced one) and writes it. */
    private void writeLine(long record, String[] fields) throws IOException {
        ByteBuffer encoded;
        try {
            encoded = encoder.encode(CharBuffer.wrap(line));
        } catch (CharacterCodingException e) {
            throw DataError.inRecord(target, record, 0, fields == null ? null : unencodable(fields),
                    "a value cannot be written in " + settings.charset() + "; use the UTF-8 charset");
        }
        out.write(encoded.array(), encoded.arrayOffset() + encoded.position(), encoded.remaining());
        bytes += encoded.remaining();
    }

    private String unencodable(String[] fields) {
        java.nio.charset.CharsetEncoder probe = settings.charset().newEncoder();
        for (int i = 0; i < fields.length; i++) {
            if (fields[i] != null && !probe.canEncode(fields[i])) {
                return schema.columns().get(i).name();
            }
        }
        return null;
    }

    private void append(String[] fields, long record) {
        line.setLength(0);
        for (int i = 0; i < fields.length; i++) {
            if (i > 0) {
                line.append(settings.delimiter());
            }
            String f = fields[i];
            if (f == null) {
                line.append(settings.nullString());
            } else if (settings.quoteAll() || needsQuotes(f)) {
                if (settings.quote() == null) {
                    appendEscaped(f, record, i);
                } else {
                    appendQuoted(f);
                }
            } else {
                line.append(f);
            }
        }
        line.append(settings.lineSeparator());
    }

    private boolean needsQuotes(String f) {
        if (f.isEmpty() || f.equals(settings.nullString())) {
            return true;
        }
        char d = settings.delimiter();
        Character q = settings.quote();
        Character e = settings.escape();
        for (int i = 0; i < f.length(); i++) {
            char c = f.charAt(i);
            if (c == d || c == '\n' || c == '\r' || q != null && c == q || e != null && c == e) {
                return true;
            }
        }
        return false;
    }

    private void appendQuoted(String f) {
        char q = settings.quote();
        Character e = settings.escape();
        line.append(q);
        for (int i = 0; i < f.length(); i++) {
            char c = f.charAt(i);
            if (c == q) {
                line.append(e != null ? e : q);
            } else if (e != null && c == e) {
                line.append(e);
            }
            line.append(c);
        }
        line.append(q);
    }

    private void appendEscaped(String f, long record, int column) {
        Character e = settings.escape();
        if (e == null || f.isEmpty() || f.equals(settings.nullString())) {
            throw DataError.inRecord(target, record, 0, schema.columns().get(column).name(), "the value '"
                    + TextValues.abbreviate(f) + "' needs quoting but quoting is disabled and no escape is set");
        }
        for (int i = 0; i < f.length(); i++) {
            char c = f.charAt(i);
            if (c == settings.delimiter() || c == e || c == '\n' || c == '\r') {
                line.append(e);
            }
            line.append(c);
        }
    }

    @Override
    protected void finish() throws IOException {
        out.flush();
    }

    @Override
    protected void discard() {
        line.setLength(0);
    }

    @Override
    public long bytesWritten() {
        return bytes;
    }
}
