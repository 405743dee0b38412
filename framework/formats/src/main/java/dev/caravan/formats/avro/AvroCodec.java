package dev.caravan.formats.avro;

import dev.caravan.api.config.Config;
import dev.caravan.api.config.OptionDef;
import dev.caravan.api.config.OptionType;
import dev.caravan.api.config.Options;
import dev.caravan.api.record.Column;
import dev.caravan.api.record.Schema;
import dev.caravan.formats.CommonOptions;
import dev.caravan.formats.FormatCodec;
import dev.caravan.formats.FormatReader;
import dev.caravan.formats.FormatWriter;
import java.io.Closeable;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Avro object container files. Reading takes the schema from the file (and our {@code caravan.schema} metadata
 * when Caravan wrote it); a given schema selects and casts columns by name. Writing generates the Avro schema from
 * ours with logical types: decimal (bytes), date, time-micros/millis, timestamp-micros/millis (with zone),
 * local-timestamp-micros/millis (without zone) and uuid. Files stream block by block.
 */
public final class AvroCodec extends FormatCodec {
    public static final String NAME = "avro";

    static final OptionDef COMPRESSION = OptionDef.of("compression", OptionType.ENUM,
            "Block compression when writing (reading handles every codec Avro knows, snappy and zstandard in "
                    + "pure Java).").withDefault("snappy").withAllowed("null", "deflate", "snappy", "zstandard", "bzip2");
    static final OptionDef SYNC_INTERVAL = OptionDef.of("syncInterval", OptionType.SIZE,
            "Approximate uncompressed size of a block when writing.").withDefault("64k");

    private static final Options OPTIONS = Options.of("format avro", CommonOptions.SCHEMA, COMPRESSION, SYNC_INTERVAL,
            CommonOptions.TIMESTAMP_PRECISION, CommonOptions.BATCH_SIZE);

    static {
        PureJavaAvroCodecs.register();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Options options() {
        return OPTIONS;
    }

    @Override
    public boolean skipsUnrequestedColumns() {
        return true;
    }

    @Override
    public String extension() {
        return "avro";
    }

    @Override
    public String contentType() {
        return "application/avro";
    }

    @Override
    public String physicalType(Column column, Config config) {
        org.apache.avro.Schema t = AvroSchemas.fieldType(column, millis(resolve(config)));
        return t.toString();
    }

    static boolean millis(Config c) {
        return "millis".equals(c.string(CommonOptions.TIMESTAMP_PRECISION.name()));
    }

    @Override
    protected FormatReader decode(InputStream in, Closeable owned, String name, Schema schema, Config config) {
        return new AvroRecordReader(in, owned, name, CommonOptions.givenSchema(schema, config, "records"), config);
    }

    @Override
    protected FormatWriter encode(OutputStream out, String name, Schema schema, Config config) {
        return new AvroRecordWriter(out, name, schema, config);
    }
}
