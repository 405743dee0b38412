package dev.caravan.formats.csv;

import dev.caravan.api.record.Column;
import dev.caravan.api.record.ColumnType;
import dev.caravan.api.record.DataRecord;
import dev.caravan.api.record.Schema;
import dev.caravan.formats.AbstractFormatReader;
import dev.caravan.formats.DataError;
import dev.caravan.formats.DecodingReader;
import dev.caravan.formats.FormatErrors;
import dev.caravan.formats.TypeInference;
import dev.caravan.formats.Values;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackReader;
import java.io.Reader;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Streams records out of CSV text ({@link CsvLexer}); only the inference sample is held in memory. */
final class CsvReader extends AbstractFormatReader {
    /**
     * One parsed line. {@code blank}: an empty line, which is a NULL (or, with a nullString, an empty text) in a file
     * of one column, where our writer and PostgreSQL write a NULL so, and nothing in a file of several columns.
     */
    private record Raw(CsvLexer.Row row, boolean blank) {
        String[] fields() {
            return row.fields();
        }

        long line() {
            return row.line();
        }
    }

    private final CsvSettings settings;
    private final CsvLexer lexer;
    private final Deque<Raw> sample = new ArrayDeque<>();
    private final Schema schema;
    private final Column[] columns;
    private final int[] fieldOf;
    private final int expectedFields;
    private final boolean inferred;
    /** Records the parser returned so far, the header included (the inference sample reads ahead of position()). */
    private long fetched;
    /** Blank lines the parser returned so far (records only in a file of one column). */
    private long blanks;
    /** Fields per line once known (the header, the schema or the first line), else -1. */
    private int width = -1;
    /** The text of the record last returned or refused. */
    private String current;
    /** The line where that record starts. */
    private long currentLine;

    CsvReader(InputStream in, Closeable owned, String source, Schema given, CsvSettings settings) {
        super(CsvCodec.NAME, source, settings.batchSize(), owned);
        this.settings = settings;
        try {
            this.lexer = new CsvLexer(textReader(in, settings), settings);
        } catch (IOException e) {
            throw FormatErrors.reading(e, source, 0, 1);
        }
        List<String> header = null;
        if (settings.header()) {
            Raw first = fetchNonBlank(null);
            header = first == null ? List.of() : names(first.fields());
            width = header.size();
        }
        String tableName = given != null ? given.name() : CsvCodec.baseName(source);
        if (given != null) {
            this.schema = new Schema(tableName, given.columns(), given.keyColumns());
            this.expectedFields = header == null ? given.columns().size() : header.size();
            width = expectedFields;
            this.fieldOf = header == null ? positions(given.columns().size()) : match(given, header);
            this.inferred = false;
        } else {
            List<Column> cols = settings.inferTypes() ? infer(header) : strings(header);
            this.schema = new Schema(tableName, cols, List.of());
            this.fieldOf = positions(cols.size());
            this.expectedFields = cols.size();
            width = expectedFields;
            this.inferred = settings.inferTypes();
        }
        this.columns = schema.columns().toArray(new Column[0]);
    }

    private static Reader textReader(InputStream in, CsvSettings s) throws IOException {
        PushbackReader pb = new PushbackReader(new DecodingReader(in, s.charset()), 1);
        int first = pb.read();
        if (first != -1 && first != '\uFEFF') {
            pb.unread(first);
        }
        return pb;
    }

    @Override
    public Schema schema() {
        return schema;
    }

    @Override
    protected DataRecord read() {
        Raw raw;
        do {
            raw = sample.isEmpty() ? fetch() : sample.poll();
        } while (raw != null && raw.blank() && expectedFields != 1);
        if (raw == null) {
            return null;
        }
        current = raw.row().raw();
        currentLine = raw.line();
        return convert(raw);
    }

    /** The text of the record last returned or refused, as in the file (without its line break). */
    @Override
    public String rawRecord() {
        return current;
    }

    @Override
    public long line() {
        return currentLine;
    }

    /** The next line that is not blank; blank ones are kept in {@code keep} (when given) or dropped. */
    private Raw fetchNonBlank(Deque<Raw> keep) {
        Raw raw;
        while ((raw = fetch()) != null && raw.blank()) {
            if (keep != null) {
                keep.add(raw);
            }
        }
        return raw;
    }

    private Raw fetch() {
        try {
            CsvLexer.Row row = lexer.next();
            if (row == null) {
                return null;
            }
            String[] f = row.fields();
            // a blank line: one field, NULL (the default nullString) or empty (another nullString, or a quoted "")
            boolean blank = f.length == 1 && (f[0] == null || f[0].isEmpty() && !settings.nullString().isEmpty());
            fetched++;
            blanks += blank ? 1 : 0;
            return new Raw(row, blank);
        } catch (CsvLexer.Malformed e) {
            throw DataError.fatal(source, fetching(), e.line, "malformed CSV: " + e.getMessage(), e);
        } catch (IOException | RuntimeException e) {
            throw FormatErrors.reading(e, source, fetching(), lexer.line());
        }
    }

    /** The number of the record being fetched ({@code 0}: the header). */
    private long fetching() {
        return fetched + 1 - (settings.header() ? 1 : 0) - (width == 1 ? 0 : blanks);
    }

    private DataRecord convert(Raw raw) {
        String[] rec = raw.fields();
        long number = position() + 1;
        if (rec.length != expectedFields) {
            throw DataError.inRecord(source, number, raw.line(), null, "expected " + expectedFields + " fields, found "
                    + rec.length + " (check the delimiter '" + CsvLexer.printable(settings.delimiter())
                    + "' and quoting)");
        }
        Object[] values = new Object[columns.length];
        for (int i = 0; i < columns.length; i++) {
            String text = rec[fieldOf[i]];
            Column c = columns[i];
            if (text == null) {
                if (!c.nullable()) {
                    throw DataError.inRecord(source, number, raw.line(), c.name(), "NULL in a NOT NULL column");
                }
                continue;
            }
            try {
                values[i] = switch (c.type()) {
                    case STRING -> text;
                    case BYTES -> settings.binary().decode(text);
                    default -> Values.coerce(text, c);
                };
            } catch (IllegalArgumentException e) {
                throw DataError.inRecord(source, number, raw.line(), c.name(), e.getMessage() + (inferred
                        ? " (type inferred from the first " + settings.inferSample()
                                + " records; give the column's type with the schema option)" : ""));
            }
        }
        return new DataRecord(values);
    }

    private List<Column> infer(List<String> header) {
        int nonBlank = 0;
        while (nonBlank < settings.inferSample()) {
            Raw raw = fetch();
            if (raw == null) {
                break;
            }
            sample.add(raw);
            nonBlank += raw.blank() ? 0 : 1;
        }
        int fields = header != null ? header.size() : sample.stream().filter(r -> !r.blank()).findFirst()
                .map(r -> r.fields().length).orElse(0);
        TypeInference.Guess[] guesses = new TypeInference.Guess[fields];
        for (int i = 0; i < fields; i++) {
            guesses[i] = new TypeInference.Guess();
        }
        for (Raw raw : sample) {
            if (raw.fields().length != fields) {
                continue; // reported when the record is read
            }
            for (int i = 0; i < fields; i++) {
                guesses[i].observeText(raw.fields()[i]);
            }
        }
        List<Column> cols = new ArrayList<>(fields);
        for (int i = 0; i < fields; i++) {
            Column c = guesses[i].toColumn(header != null ? header.get(i) : "column" + (i + 1), settings.inferDecimals());
            cols.add(new Column(c.name(), c.type(), "csv", c.precision(), c.scale(), true));
        }
        return cols;
    }

    private List<Column> strings(List<String> header) {
        int fields;
        if (header != null) {
            fields = header.size();
        } else {
            Raw first = fetchNonBlank(sample);
            if (first != null) {
                sample.add(first);
            }
            fields = first == null ? 0 : first.fields().length;
        }
        List<Column> cols = new ArrayList<>(fields);
        for (int i = 0; i < fields; i++) {
            cols.add(new Column(header != null ? header.get(i) : "column" + (i + 1), ColumnType.STRING, "csv", 0, 0, true));
        }
        return cols;
    }

    /**
     * The header's names, made unique: a blank name becomes {@code columnN} (N its position), a repeated one gets
     * {@code _2}, {@code _3} ..., each skipping names another column of the header already has.
     */
    private static List<String> names(String[] header) {
        Set<String> used = new HashSet<>();
        for (String n : header) {
            if (n != null && !n.isBlank()) {
                used.add(n);
            }
        }
        List<String> names = new ArrayList<>(header.length);
        Set<String> kept = new HashSet<>();
        Map<String, Integer> next = new HashMap<>();
        for (int i = 0; i < header.length; i++) {
            String given = header[i];
            boolean blank = given == null || given.isBlank();
            String n = blank ? "column" + (i + 1) : given;
            if (kept.contains(n) || blank && used.contains(n)) {
                String base = n;
                int k = next.getOrDefault(base, 2);
                while (used.contains(base + "_" + k)) {
                    k++;
                }
                next.put(base, k + 1);
                n = base + "_" + k;
            }
            used.add(n);
            kept.add(n);
            names.add(n);
        }
        return names;
    }

    private int[] match(Schema given, List<String> header) {
        int[] idx = new int[given.columns().size()];
        for (int i = 0; i < idx.length; i++) {
            String want = given.columns().get(i).name();
            int found = header.indexOf(want);
            if (found < 0) {
                for (int j = 0; j < header.size() && found < 0; j++) {
                    if (header.get(j).toLowerCase(Locale.ROOT).equals(want.toLowerCase(Locale.ROOT))) {
                        found = j;
                    }
                }
            }
            if (found < 0) {
                throw DataError.fatal(source, 0, 1, "column '" + want + "' of the schema is not in the header "
                        + header, null);
            }
            idx[i] = found;
        }
        if (!settings.ignoreUnknownColumns()) {
            for (int j = 0; j < header.size(); j++) {
                int col = j;
                if (java.util.Arrays.stream(idx).noneMatch(k -> k == col)) {
                    throw DataError.fatal(source, 0, 1, "header column '" + header.get(j) + "' is not in the schema "
                            + given.columns().stream().map(Column::name).toList()
                            + " (set unknownColumns=ignore to read only the schema's columns)", null);
                }
            }
        }
        return idx;
    }

    private static int[] positions(int n) {
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        return idx;
    }

}
