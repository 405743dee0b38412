package dev.caravan.formats.jsonl;

import dev.caravan.api.config.Config;
import dev.caravan.api.config.OptionDef;
import dev.caravan.api.config.OptionType;
import dev.caravan.api.config.Options;
import dev.caravan.api.record.Column;
import dev.caravan.api.record.Schema;
import dev.caravan.formats.BinaryEncoding;
import dev.caravan.formats.CommonOptions;
import dev.caravan.formats.FormatCodec;
import dev.caravan.formats.FormatReader;
import dev.caravan.formats.FormatWriter;
import java.io.Closeable;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * JSON Lines (also called NDJSON): one JSON object per line, UTF-8. Each top-level field is a column. Without a
 * schema, types are inferred from a sample (JSON numbers, booleans and strings that look like dates, times or
 * UUIDs get typed; objects and arrays become JSON columns). A bad line is a recoverable error: the reader goes on
 * with the next line.
 */
public final class JsonLinesCodec extends FormatCodec {
    public static final String NAME = "jsonl";

    static final OptionDef UNKNOWN_FIELDS = OptionDef.of("unknownFields", OptionType.ENUM,
            "Reading: what to do with a field that is not a column of the schema: 'fail' (the record is rejected, "
                    + "nothing is lost silently) or 'ignore'.").withDefault("fail").withAllowed("fail", "ignore");
    static final OptionDef JSON_COLUMNS = OptionDef.of("jsonColumns", OptionType.ENUM,
            "How JSON columns appear in a line: 'nested' (as JSON values, the default) or 'string' (as a string "
                    + "holding the JSON text).").withDefault("nested").withAllowed("nested", "string");

    private static final Options OPTIONS = Options.of("format jsonl", CommonOptions.SCHEMA, UNKNOWN_FIELDS,
            JSON_COLUMNS, CommonOptions.INFER_SAMPLE, CommonOptions.INFER_DECIMALS, CommonOptions.BINARY_ENCODING,
            CommonOptions.BATCH_SIZE);

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
        return "jsonl";
    }

    @Override
    public String contentType() {
        return "application/x-ndjson";
    }

    @Override
    public String physicalType(Column column, Config config) {
        Config c = resolve(config);
        BinaryEncoding binary = BinaryEncoding.of(c.string(CommonOptions.BINARY_ENCODING.name()));
        return switch (column.type()) {
            case BOOLEAN -> "true / false";
            case INT, LONG -> "number (integer)";
            case DECIMAL -> "number (exact, plain notation)";
            case FLOAT, DOUBLE -> "number (NaN, Infinity as strings)";
            case STRING -> "string";
            case BYTES -> "string (" + binary.name().toLowerCase(java.util.Locale.ROOT) + ")";
            case DATE, TIME, TIMESTAMP, TIMESTAMP_TZ -> "string (ISO-8601)";
            case JSON -> "string".equals(c.string(JSON_COLUMNS.name())) ? "string (JSON text)" : "nested JSON value";
            case UUID -> "string (8-4-4-4-12)";
        };
    }

    @Override
    protected FormatReader decode(InputStream in, Closeable owned, String name, Schema schema, Config config) {
        return new JsonLinesReader(in, owned, name, CommonOptions.givenSchema(schema, config, baseName(name)), config);
    }

    @Override
    protected FormatWriter encode(OutputStream out, String name, Schema schema, Config config) {
        return new JsonLinesWriter(out, name, schema, config);
    }

    static String baseName(String name) {
        String n = name.substring(name.lastIndexOf('/') + 1);
        int dot = n.indexOf('.');
        return dot > 0 ? n.substring(0, dot) : n;
    }
}
