package dev.caravan.formats;

import dev.caravan.api.config.Config;
import dev.caravan.api.config.OptionDef;
import dev.caravan.api.config.OptionType;
import dev.caravan.api.error.MigrationException;
import dev.caravan.api.record.Schema;

/** Options several codecs declare, with one description each. */
public final class CommonOptions {
    public static final OptionDef SCHEMA = OptionDef.of("schema", OptionType.STRING,
            "Columns and types as name:TYPE pairs, e.g. 'id:LONG NOT NULL, price:DECIMAL(12,2), \"order date\":DATE'. "
                    + "Reading: the columns to return, cast to these types (matched by name when the input names its "
                    + "columns); when absent the schema comes from the file (Avro, Parquet) or is inferred from a "
                    + "sample (CSV, JSON Lines).")
            .withValidator(CommonOptions::checkSchema);
    public static final OptionDef BATCH_SIZE = OptionDef.of("batchSize", OptionType.INT,
            "Records per batch handed to the record pipeline when reading.").withDefault("1000")
            .withValidator(v -> Integer.parseInt(v.trim()) > 0 ? null : "must be at least 1");
    public static final OptionDef INFER_SAMPLE = OptionDef.of("inferSample", OptionType.INT,
            "Records read ahead to infer column types when no schema is given (they are kept in memory).")
            .withDefault("1000").withValidator(v -> Integer.parseInt(v.trim()) > 0 ? null : "must be at least 1");
    public static final OptionDef INFER_DECIMALS = OptionDef.of("inferDecimals", OptionType.BOOLEAN,
            "Infer numbers with a fraction as exact decimals (true: DECIMAL(38,s), unbounded DECIMAL when wider) "
                    + "or as DOUBLE (false).").withDefault("true");
    public static final OptionDef BINARY_ENCODING = OptionDef.of("binaryEncoding", OptionType.ENUM,
            "Text form of BYTES values.").withDefault("base64").withAllowed("base64", "hex");
    public static final OptionDef TIMESTAMP_PRECISION = OptionDef.of("timestampPrecision", OptionType.ENUM,
            "Unit of TIME, TIMESTAMP and TIMESTAMP_TZ values written (finer digits are truncated).")
            .withDefault("micros").withAllowed("millis", "micros");

    private CommonOptions() {
    }

    /** The schema given as argument, else the one of the {@code schema} option, else {@code null}. */
    public static Schema givenSchema(Schema argument, Config config, String name) {
        if (argument != null) {
            return argument;
        }
        String text = config.options().find(SCHEMA.name()).isPresent() ? config.string(SCHEMA.name()) : null;
        return text == null || text.isBlank() ? null : SchemaText.parseSchema(name, text);
    }

    private static String checkSchema(String text) {
        try {
            SchemaText.parseColumns(text);
            return null;
        } catch (MigrationException e) {
            return e.getMessage();
        }
    }
}
