package dev.caravan.formats.parquet;

import dev.caravan.api.config.Config;
import dev.caravan.api.config.OptionDef;
import dev.caravan.api.config.OptionType;
import dev.caravan.api.config.Options;
import dev.caravan.api.record.Column;
import dev.caravan.api.record.Schema;
import dev.caravan.formats.ByteSource;
import dev.caravan.formats.CommonOptions;
import dev.caravan.formats.FormatCodec;
import dev.caravan.formats.FormatErrors;
import dev.caravan.formats.FormatReader;
import dev.caravan.formats.FormatWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.schema.LogicalTypeAnnotation.TimeUnit;

/**
 * Parquet files, read and written with parquet-java without a Hadoop file system or configuration. Writing
 * buffers one row group in memory ({@code rowGroupSize}) and writes the footer on commit. Reading from a
 * {@link ByteSource} uses ranged reads (footer first, then one row group at a time); reading from a plain stream
 * first spools it to a temporary file, because Parquet's footer is at the end.
 */
public final class ParquetCodec extends FormatCodec {
    public static final String NAME = "parquet";

    static final OptionDef COMPRESSION = OptionDef.of("compression", OptionType.ENUM,
            "Page compression when writing (pure Java; reading also handles every one of these).")
            .withDefault("snappy").withAllowed("snappy", "zstd", "gzip", "lz4_raw", "none");
    static final OptionDef ROW_GROUP_SIZE = OptionDef.of("rowGroupSize", OptionType.SIZE,
            "Target size of a row group; one row group is buffered in memory when writing and read at once when "
                    + "reading, so this bounds the memory of both.").withDefault("32M");
    static final OptionDef PAGE_SIZE = OptionDef.of("pageSize", OptionType.SIZE, "Target size of a data page.")
            .withDefault("1M");
    static final OptionDef DICTIONARY = OptionDef.of("dictionary", OptionType.BOOLEAN,
            "Dictionary-encode columns while their dictionary stays small.").withDefault("true");
    static final OptionDef WRITER_VERSION = OptionDef.of("writerVersion", OptionType.ENUM,
            "Data page format: v1 (readable everywhere) or v2.").withDefault("v1").withAllowed("v1", "v2");
    static final OptionDef TIMESTAMP_PRECISION = OptionDef.of("timestampPrecision", OptionType.ENUM,
            "Unit of TIME, TIMESTAMP and TIMESTAMP_TZ values written (finer digits are truncated); nanos keeps "
                    + "every digit but not every reader supports it.").withDefault("micros")
            .withAllowed("millis", "micros", "nanos");

    private static final Options OPTIONS = Options.of("format parquet", CommonOptions.SCHEMA, COMPRESSION,
            ROW_GROUP_SIZE, PAGE_SIZE, DICTIONARY, WRITER_VERSION, TIMESTAMP_PRECISION, CommonOptions.BATCH_SIZE);

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
        return "parquet";
    }

    @Override
    public String contentType() {
        return "application/vnd.apache.parquet";
    }

    @Override
    public String physicalType(Column column, Config config) {
        return ParquetSchemas.field(column, unit(resolve(config))).toString().replace(" " + column.name(), "")
                .replaceFirst("^(optional|required) ", "").trim();
    }

    static TimeUnit unit(Config config) {
        return TimeUnit.valueOf(config.string(TIMESTAMP_PRECISION.name()).toUpperCase(java.util.Locale.ROOT));
    }

    static CompressionCodecName compression(Config config) {
        return ParquetRecordWriter.codec(config.string(COMPRESSION.name()));
    }

    @Override
    public FormatReader decoder(ByteSource source, Schema schema, Config config) {
        Config c = resolve(config);
        return new ParquetRecordReader(new ByteSourceInputFile(source), null, source.name(),
                CommonOptions.givenSchema(schema, c, "records"), c);
    }

    @Override
    protected FormatReader decode(InputStream in, Closeable owned, String name, Schema schema, Config config) {
        Path spool;
        try {
            spool = Files.createTempFile("caravan-", ".parquet");
        } catch (IOException e) {
            throw FormatErrors.reading(e, name, 0, 0);
        }
        Closeable cleanup = () -> {
            try {
                Files.deleteIfExists(spool);
            } finally {
                if (owned != null) {
                    owned.close();
                }
            }
        };
        try {
            Files.copy(in, spool, StandardCopyOption.REPLACE_EXISTING);
            return new ParquetRecordReader(new LocalInputFile(spool), cleanup, name,
                    CommonOptions.givenSchema(schema, config, "records"), config);
        } catch (IOException | RuntimeException e) {
            try {
                cleanup.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e instanceof RuntimeException r ? r : FormatErrors.reading(e, name, 0, 0);
        }
    }

    @Override
    protected FormatWriter encode(OutputStream out, String name, Schema schema, Config config) {
        return new ParquetRecordWriter(out, name, schema, config);
    }
}
