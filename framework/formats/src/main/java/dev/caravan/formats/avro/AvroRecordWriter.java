package dev.caravan.formats.avro;

import dev.caravan.api.config.Config;
import dev.caravan.api.record.Column;
import dev.caravan.api.record.Schema;
import dev.caravan.formats.AbstractFormatWriter;
import dev.caravan.formats.CountingOutputStream;
import dev.caravan.formats.FormatErrors;
import dev.caravan.formats.SchemaJson;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.function.Function;
import org.apache.avro.file.CodecFactory;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;

/** Writes an Avro object container file; the last block and the flush happen on commit. */
final class AvroRecordWriter extends AbstractFormatWriter {
    private final CountingOutputStream counted;
    private final DataFileWriter<GenericRecord> writer;
    private final GenericData.Record record;
    private final List<Function<Object, Object>> toAvro;

    AvroRecordWriter(OutputStream out, String name, Schema schema, Config config) {
        super(schema, name);
        boolean millis = AvroCodec.millis(config);
        org.apache.avro.Schema avro = AvroSchemas.toAvro(schema, millis);
        this.toAvro = schema.columns().stream().map((Column c) -> AvroValues.writer(c, millis)).toList();
        this.record = new GenericData.Record(avro);
        this.counted = new CountingOutputStream(out);
        this.writer = new DataFileWriter<>(new GenericDatumWriter<>(avro));
        try {
            writer.setCodec(codec(config.string(AvroCodec.COMPRESSION.name())));
            writer.setSyncInterval((int) Math.min(Integer.MAX_VALUE / 2,
                    config.size(AvroCodec.SYNC_INTERVAL.name()).orElse(64L * 1024)));
            writer.setMeta(SchemaJson.METADATA_KEY, SchemaJson.toJson(schema));
            writer.create(avro, counted);
        } catch (IOException | RuntimeException e) {
            throw FormatErrors.writing(e, name);
        }
    }

    private static CodecFactory codec(String name) {
        return switch (name) {
            case "snappy" -> PureJavaAvroCodecs.snappy();
            case "zstandard" -> PureJavaAvroCodecs.zstandard();
            default -> CodecFactory.fromString(name);
        };
    }

    @Override
    protected void emit(Object[] values) throws IOException {
        for (int i = 0; i < values.length; i++) {
            record.put(i, values[i] == null ? null : toAvro.get(i).apply(values[i]));
        }
        writer.append(record);
    }

    @Override
    protected void finish() throws IOException {
        writer.close();
    }

    @Override
    protected void discard() {
        // the unwritten block is dropped with the writer; the caller owns (and discards) the stream
    }

    @Override
    public long bytesWritten() {
        return counted.count();
    }
}
