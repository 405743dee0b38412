package dev.caravan.formats.jsonl;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.caravan.api.config.Config;
import dev.caravan.api.record.Column;
import dev.caravan.api.record.ColumnType;
import dev.caravan.api.record.DataRecord;
import dev.caravan.api.record.Schema;
import dev.caravan.formats.AbstractFormatReader;
import dev.caravan.formats.BinaryEncoding;
import dev.caravan.formats.CommonOptions;
import dev.caravan.formats.DataError;
import dev.caravan.formats.DecodingReader;
import dev.caravan.formats.FormatErrors;
import dev.caravan.formats.TextValues;
import dev.caravan.formats.TypeInference;
import dev.caravan.formats.Values;
import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Streams records out of JSON Lines; only the inference sample is held in memory. */
final class JsonLinesReader extends AbstractFormatReader {
    static final ObjectMapper MAPPER = mapper(false);
    /** Reading lines: a field given twice is an error (Jackson would keep the last value and drop the others). */
    static final ObjectMapper STRICT = mapper(true);

    /** One line: its object, or the error it gave (reported when its turn comes), and its text. */
    private record Line(ObjectNode node, long number, String error, String text) {
    }

    private final BufferedReader lines;
    private final Deque<Line> sample = new ArrayDeque<>();
    private final Schema schema;
    private final Column[] columns;
    private final Map<String, Integer> index = new HashMap<>();
    /** Columns by lower-case name, for fields that match no column exactly. */
    private final Map<String, Integer> folded = new HashMap<>();
    private final boolean failOnUnknown;
    private final boolean nestedJson;
    private final BinaryEncoding binary;
    private final boolean inferred;
    private final int inferSample;
    private long lineNumber;
    /** Records (non-blank lines) fetched so far (the inference sample reads ahead of position()). */
    private long fetched;
    /** The text of the line last returned or refused. */
    private String current;
    /** Its line number. */
    private long currentLine;

    JsonLinesReader(InputStream in, Closeable owned, String source, Schema given, Config config) {
        super(JsonLinesCodec.NAME, source, config.intValue(CommonOptions.BATCH_SIZE.name(), 1000), owned);
        this.lines = new BufferedReader(new DecodingReader(in, StandardCharsets.UTF_8), 1 << 16);
        this.failOnUnknown = "fail".equals(config.string(JsonLinesCodec.UNKNOWN_FIELDS.name()));
        this.nestedJson = !"string".equals(config.string(JsonLinesCodec.JSON_COLUMNS.name()));
        this.binary = BinaryEncoding.of(config.string(CommonOptions.BINARY_ENCODING.name()));
        this.inferSample = config.intValue(CommonOptions.INFER_SAMPLE.name(), 1000);
        if (given != null) {
            this.schema = given;
            this.inferred = false;
        } else {
            this.schema = new Schema(JsonLinesCodec.baseName(source),
                    infer(config.bool(CommonOptions.INFER_DECIMALS.name())), List.of());
            this.inferred = true;
        }
        this.columns = schema.columns().toArray(new Column[0]);
        for (int i = 0; i < columns.length; i++) {
            index.put(columns[i].name(), i);
            folded.putIfAbsent(columns[i].name().toLowerCase(Locale.ROOT), i);
        }
    }

    /** What is wrong with JSON text, as the parser says it (a field given twice explained). */
    static String why(JsonProcessingException e) {
        String why = e.getOriginalMessage();
        if (why != null && why.startsWith("Duplicate field ")) {
            why = "duplicate field " + why.substring("Duplicate field ".length())
                    + " (a value would be lost; each field may appear once in an object)";
        }
        return why;
    }

    private static ObjectMapper mapper(boolean strict) {
        JsonFactory factory = JsonFactory.builder().configure(StreamReadFeature.STRICT_DUPLICATE_DETECTION, strict).build();
        return new ObjectMapper(factory)
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false);
    }

    @Override
    public Schema schema() {
        return schema;
    }

    /** The line last returned or refused, as in the file. */
    @Override
    public String rawRecord() {
        return current;
    }

    @Override
    public long line() {
        return currentLine;
    }

    @Override
    protected DataRecord read() {
        Line line = sample.isEmpty() ? fetch() : sample.poll();
        if (line == null) {
            return null;
        }
        current = line.text();
        currentLine = line.number();
        long record = position() + 1;
        if (line.error() != null) {
            throw DataError.inRecord(source, record, line.number(), null, line.error());
        }
        Object[] values = new Object[columns.length];
        String[] givenBy = new String[columns.length];
        Iterator<Map.Entry<String, JsonNode>> fields = line.node().fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> f = fields.next();
            Integer i = index.get(f.getKey());
            if (i == null) {
                i = folded.get(f.getKey().toLowerCase(Locale.ROOT)); // as the other readers: any case as a fallback
            }
            if (i != null && givenBy[i] != null) {
                throw DataError.inRecord(source, record, line.number(), columns[i].name(), "the fields '" + givenBy[i]
                        + "' and '" + f.getKey() + "' both give this column");
            }
            if (i != null) {
                givenBy[i] = f.getKey();
            }
            if (i == null) {
                if (failOnUnknown) {
                    throw DataError.inRecord(source, record, line.number(), f.getKey(), "field is not a column of the "
                            + "schema " + index.keySet() + " (set unknownFields=ignore to drop such fields)");
                }
                continue;
            }
            try {
                values[i] = value(f.getValue(), columns[i]);
            } catch (IllegalArgumentException e) {
                throw DataError.inRecord(source, record, line.number(), columns[i].name(), e.getMessage() + (inferred
                        ? " (type inferred from the first " + inferSample
                                + " lines; give the column's type with the schema option)" : ""));
            }
            // a \\uD800 escape alone: every writer would turn it into '?' (Parquet, Avro, UTF-8 text)
            int half = values[i] instanceof String text ? TextValues.unpairedSurrogate(text) : -1;
            if (half >= 0) {
                String text = (String) values[i];
                throw DataError.inRecord(source, record, line.number(), columns[i].name(), String.format(
                        "the text holds half of a UTF-16 surrogate pair (\\u%04x) at character %d, which no Unicode"
                                + " encoding can write", (int) text.charAt(half), half + 1));
            }
        }
        for (int i = 0; i < columns.length; i++) {
            if (values[i] == null && !columns[i].nullable()) {
                throw DataError.inRecord(source, record, line.number(), columns[i].name(),
                        "NULL or missing in a NOT NULL column");
            }
        }
        return new DataRecord(values);
    }

    private Object value(JsonNode n, Column c) {
        if (n == null || n.isNull()) {
            return null;
        }
        ColumnType t = c.type();
        if (t == ColumnType.JSON) {
            return n.isTextual() && !nestedJson ? n.textValue() : n.toString();
        }
        if (n.isContainerNode()) {
            if (t == ColumnType.STRING) {
                return n.toString();
            }
            throw new IllegalArgumentException("a JSON " + (n.isObject() ? "object" : "array") + " does not fit "
                    + Values.typeName(t, c.precision(), c.scale()));
        }
        if (n.isTextual()) {
            String s = n.textValue();
            return switch (t) {
                case STRING -> s;
                case BYTES -> binary.decode(s);
                default -> Values.coerce(s, c);
            };
        }
        if (n.isNumber()) {
            if (t == ColumnType.STRING) {
                return n.isBigDecimal() ? n.decimalValue().toPlainString() : n.asText();
            }
            return switch (t) {
                case INT, LONG, DECIMAL, FLOAT, DOUBLE -> Values.coerce(n.numberValue(), c);
                default -> throw new IllegalArgumentException("the number " + n.asText() + " does not fit "
                        + Values.typeName(t, c.precision(), c.scale()));
            };
        }
        if (n.isBoolean()) {
            return t == ColumnType.STRING ? n.asText() : Values.coerce(n.booleanValue(), c);
        }
        throw new IllegalArgumentException("unsupported JSON value " + TextValues.abbreviate(n.toString()));
    }

    private Line fetch() {
        while (true) {
            String text;
            try {
                text = lines.readLine();
            } catch (IOException e) {
                throw FormatErrors.reading(e, source, fetched + 1, lineNumber + 1);
            }
            if (text == null) {
                return null;
            }
            lineNumber++;
            if (lineNumber == 1 && text.startsWith("\uFEFF")) {
                text = text.substring(1); // a UTF-8 byte-order mark
            }
            if (text.isBlank()) {
                continue;
            }
            fetched++;
            try {
                JsonNode node = STRICT.readTree(text);
                if (node instanceof ObjectNode o) {
                    return new Line(o, lineNumber, null, text);
                }
                return new Line(null, lineNumber, "the line is not a JSON object but " + TextValues.abbreviate(text),
                        text);
            } catch (JsonProcessingException e) {
                return new Line(null, lineNumber, "invalid JSON: " + why(e), text);
            }
        }
    }

    private List<Column> infer(boolean inferDecimals) {
        Map<String, TypeInference.Guess> guesses = new LinkedHashMap<>();
        while (sample.size() < inferSample) {
            Line line = fetch();
            if (line == null) {
                break;
            }
            sample.add(line);
            if (line.node() == null) {
                continue;
            }
            line.node().fields().forEachRemaining(f -> observe(guesses.computeIfAbsent(f.getKey(),
                    k -> new TypeInference.Guess()), f.getValue()));
        }
        List<Column> cols = new ArrayList<>();
        guesses.forEach((name, g) -> {
            Column c = g.toColumn(name, inferDecimals);
            cols.add(new Column(name, c.type(), "json", c.precision(), c.scale(), true));
        });
        return cols;
    }

    private static void observe(TypeInference.Guess g, JsonNode n) {
        if (n.isNull()) {
            return;
        }
        if (n.isContainerNode()) {
            g.observe(ColumnType.JSON);
        } else if (n.isBoolean()) {
            g.observe(ColumnType.BOOLEAN);
        } else if (n.isIntegralNumber()) {
            if (n.canConvertToLong()) {
                g.observe(ColumnType.LONG);
            } else {
                g.observeDecimal(n.decimalValue());
            }
        } else if (n.isNumber()) {
            g.observeDecimal(n.decimalValue());
        } else if (n.isTextual()) {
            g.observeString(n.textValue());
        } else {
            g.observe(ColumnType.STRING);
        }
    }
}
