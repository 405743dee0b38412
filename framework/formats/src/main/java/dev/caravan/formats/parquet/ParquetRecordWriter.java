package dev.caravan.formats.parquet;

import dev.caravan.api.config.Config;
import dev.caravan.api.record.Schema;
import dev.caravan.formats.AbstractFormatWriter;
import dev.caravan.formats.DataError;
import dev.caravan.formats.FormatErrors;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.column.ParquetProperties.WriterVersion;
import org.apache.parquet.conf.ParquetConfiguration;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.OutputFile;

/**
 * Writes a Parquet file to a stream: row groups are buffered in memory up to {@code rowGroupSize} and flushed as
 * they fill; the footer is written on commit. An aborted writer writes nothing more.
 */
final class ParquetRecordWriter extends AbstractFormatWriter {
    private final StreamOutputFile file;
    private final ParquetWriter<Object[]> writer;
    private final RecordWriteSupport support;

    ParquetRecordWriter(OutputStream out, String name, Schema schema, Config config) {
        super(schema, name);
        this.file = new StreamOutputFile(out, name);
        this.support = new RecordWriteSupport(schema, ParquetCodec.unit(config));
        try {
            this.writer = new Builder(file, support)
                    .withConf(new PlainParquetConfiguration())
                    .withCodecFactory(PureJavaCodecFactory.INSTANCE)
                    .withCompressionCodec(ParquetCodec.compression(config))
                    .withRowGroupSize(config.size(ParquetCodec.ROW_GROUP_SIZE.name()).orElse(32L << 20))
                    .withPageSize((int) (long) config.size(ParquetCodec.PAGE_SIZE.name()).orElse(1L << 20))
                    .withDictionaryEncoding(config.bool(ParquetCodec.DICTIONARY.name()))
                    .withWriterVersion("v2".equals(config.string(ParquetCodec.WRITER_VERSION.name()))
                            ? WriterVersion.PARQUET_2_0 : WriterVersion.PARQUET_1_0)
                    .withValidation(false)
                    .build();
        } catch (IOException | RuntimeException e) {
            throw FormatErrors.writing(e, name);
        }
    }

    @Override
    protected void emit(Object[] values) throws IOException {
        Map.Entry<Integer, String> bad = support.unwritable(values);
        if (bad != null) {
            throw DataError.inRecord(target, recordsWritten() + 1, 0, schema.columns().get(bad.getKey()).name(),
                    bad.getValue());
        }
        writer.write(values);
    }

    @Override
    protected void finish() throws IOException {
        writer.close();
    }

    @Override
    protected void discard() {
        // ParquetWriter has no abort: the buffered row group is dropped with it, nothing more is written
    }

    @Override
    public long bytesWritten() {
        return Math.max(writer.getDataSize(), file.position());
    }

    /** The builder parquet-java wants, bound to our write support (no Hadoop configuration is created). */
    private static final class Builder extends ParquetWriter.Builder<Object[], Builder> {
        private final WriteSupport<Object[]> support;

        Builder(OutputFile file, WriteSupport<Object[]> support) {
            super(file);
            this.support = support;
        }

        @Override
        protected Builder self() {
            return this;
        }

        @Override
        protected WriteSupport<Object[]> getWriteSupport(Configuration conf) {
            return support;
        }

        @Override
        protected WriteSupport<Object[]> getWriteSupport(ParquetConfiguration conf) {
            return support;
        }
    }

    static CompressionCodecName codec(String name) {
        return switch (name) {
            case "none" -> CompressionCodecName.UNCOMPRESSED;
            case "lz4_raw" -> CompressionCodecName.LZ4_RAW;
            default -> CompressionCodecName.valueOf(name.toUpperCase(java.util.Locale.ROOT));
        };
    }
}
