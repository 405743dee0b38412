package dev.caravan.formats.csv;

import dev.caravan.api.config.Config;
import dev.caravan.api.config.OptionDef;
import dev.caravan.api.config.OptionType;
import dev.caravan.api.config.Options;
import dev.caravan.api.record.Column;
import dev.caravan.api.record.ColumnType;
import dev.caravan.api.record.Schema;
import dev.caravan.formats.BinaryEncoding;
import dev.caravan.formats.CommonOptions;
import dev.caravan.formats.FormatCodec;
import dev.caravan.formats.FormatReader;
import dev.caravan.formats.FormatWriter;
import java.io.Closeable;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.Charset;

/**
 * CSV (RFC 4180 and its common variants), read by {@link CsvReader} ({@link CsvLexer}) and written by
 * {@link CsvWriter}. A NULL
 * is written as the NULL string (empty by default) without quotes, while an empty string is always quoted
 * ({@code ""}), so NULL and empty text survive a round trip, as in PostgreSQL's CSV format.
 */
public final class CsvCodec extends FormatCodec {
    public static final String NAME = "csv";

    static final OptionDef HEADER = OptionDef.of("header", OptionType.BOOLEAN,
            "The first line holds the column names (read: used as names; write: written).").withDefault("true");
    static final OptionDef DELIMITER = OptionDef.of("delimiter", OptionType.STRING,
            "Field delimiter: one character, or \\t / tab.").withDefault(",").withValidator(CsvSettings::checkChar);
    static final OptionDef QUOTE = OptionDef.of("quote", OptionType.STRING,
            "Quote character; empty or 'none' disables quoting.").withDefault("\"")
            .withValidator(CsvSettings::checkOptionalChar);
    static final OptionDef ESCAPE = OptionDef.of("escape", OptionType.STRING,
            "Escape character (e.g. \\\\) for quotes and delimiters inside values; none by default (quotes are "
                    + "doubled).").withValidator(CsvSettings::checkOptionalChar);
    static final OptionDef CHARSET = OptionDef.of("charset", OptionType.STRING,
            "Character set of the file; bytes that are not valid in it are an error, not replaced.")
            .withDefault("UTF-8").withValidator(v -> Charset.isSupported(v.trim()) ? null : "unknown charset " + v);
    static final OptionDef NULL_STRING = OptionDef.of("nullString", OptionType.STRING,
            "Unquoted field text that means NULL (a quoted one is the literal text); empty by default, e.g. \\N.")
            .withDefault("");
    static final OptionDef INFER_TYPES = OptionDef.of("inferTypes", OptionType.BOOLEAN,
            "Infer column types from the first inferSample records when no schema is given; false reads every "
                    + "column as STRING.").withDefault("true");
    static final OptionDef UNKNOWN_COLUMNS = OptionDef.of("unknownColumns", OptionType.ENUM,
            "Reading with a schema: what to do with a header column that is not in the schema: 'fail' (nothing is "
                    + "dropped silently) or 'ignore' (read only the schema's columns).").withDefault("fail")
            .withAllowed("fail", "ignore");
    static final OptionDef QUOTE_MODE = OptionDef.of("quoteMode", OptionType.ENUM,
            "Writing: 'minimal' quotes only fields that need it (delimiter, quote, line break, empty string, text "
                    + "equal to the NULL string); 'all' quotes every non-NULL field.").withDefault("minimal")
            .withAllowed("minimal", "all");
    static final OptionDef LINE_SEPARATOR = OptionDef.of("lineSeparator", OptionType.ENUM,
            "Writing: record separator (reading accepts both).").withDefault("lf").withAllowed("lf", "crlf");

    private static final Options OPTIONS = Options.of("format csv", HEADER, DELIMITER, QUOTE, ESCAPE, CHARSET,
            NULL_STRING, CommonOptions.SCHEMA, UNKNOWN_COLUMNS, INFER_TYPES, CommonOptions.INFER_SAMPLE,
            CommonOptions.INFER_DECIMALS, QUOTE_MODE, LINE_SEPARATOR, CommonOptions.BINARY_ENCODING, CommonOptions.BATCH_SIZE);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Options options() {
        return OPTIONS;
    }

    @Override
    public String extension() {
        return "csv";
    }

    @Override
    public String contentType() {
        return "text/csv";
    }

    @Override
    public String physicalType(Column column, Config config) {
        BinaryEncoding binary = BinaryEncoding.of(resolve(config).string(CommonOptions.BINARY_ENCODING.name()));
        return "text: " + textForm(column.type(), binary);
    }

    /** The text form of each type, as data (documented in docs/formats.md). */
    static String textForm(ColumnType type, BinaryEncoding binary) {
        return switch (type) {
            case BOOLEAN -> "true / false";
            case INT, LONG -> "digits, e.g. -42";
            case DECIMAL -> "plain decimal, e.g. 1234.50";
            case FLOAT, DOUBLE -> "shortest round-trip, e.g. 0.1, 1.0E10, NaN";
            case STRING -> "the text";
            case BYTES -> binary == BinaryEncoding.HEX ? "hex, e.g. 00ff10" : "base64, e.g. AP8Q";
            case DATE -> "2024-02-29";
            case TIME -> "13:45:00.123456";
            case TIMESTAMP -> "2024-02-29T13:45:00.5";
            case TIMESTAMP_TZ -> "2024-02-29T13:45:00+01:00";
            case JSON -> "JSON text";
            case UUID -> "8-4-4-4-12 hex";
        };
    }

    @Override
    protected FormatReader decode(InputStream in, Closeable owned, String name, Schema schema, Config config) {
        return new CsvReader(in, owned, name, CommonOptions.givenSchema(schema, config, baseName(name)),
                CsvSettings.of(config));
    }

    @Override
    protected FormatWriter encode(OutputStream out, String name, Schema schema, Config config) {
        return new CsvWriter(out, name, schema, CsvSettings.of(config));
    }

    static String baseName(String name) {
        String n = name.substring(name.lastIndexOf('/') + 1);
        int dot = n.indexOf('.');
        return dot > 0 ? n.substring(0, dot) : n;
    }
}
