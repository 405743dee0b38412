package dev.caravan.formats.jsonl;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import dev.caravan.api.config.Config;
import dev.caravan.api.record.Column;
import dev.caravan.api.record.ColumnType;
import dev.caravan.api.record.Schema;
import dev.caravan.formats.AbstractFormatWriter;
import dev.caravan.formats.BinaryEncoding;
import dev.caravan.formats.CommonOptions;
import dev.caravan.formats.CountingOutputStream;
import dev.caravan.formats.DataError;
import dev.caravan.formats.FormatErrors;
import dev.caravan.formats.TextValues;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;

/** Writes one JSON object per line (UTF-8, {@code \n}); NULLs are written as {@code null}. */
final class JsonLinesWriter extends AbstractFormatWriter {
    private final CountingOutputStream counted;
    private final JsonGenerator gen;
    private final Column[] columns;
    private final boolean nestedJson;
    private final BinaryEncoding binary;

    JsonLinesWriter(OutputStream out, String name, Schema schema, Config config) {
        super(schema, name);
        this.counted = new CountingOutputStream(out);
        this.columns = schema.columns().toArray(new Column[0]);
        this.nestedJson = !"string".equals(config.string(JsonLinesCodec.JSON_COLUMNS.name()));
        this.binary = BinaryEncoding.of(config.string(CommonOptions.BINARY_ENCODING.name()));
        try {
            JsonFactory factory = JsonFactory.builder().enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
                    .disable(StreamWriteFeature.AUTO_CLOSE_TARGET).build();
            this.gen = factory.createGenerator(counted);
            gen.setRootValueSeparator(null);
        } catch (IOException e) {
            throw FormatErrors.writing(e, name);
        }
    }

    @Override
    protected void emit(Object[] values) throws IOException {
        JsonNode[] parsed = null;
        if (nestedJson) {
            for (int i = 0; i < columns.length; i++) {
                if (columns[i].type() == ColumnType.JSON && values[i] != null) {
                    if (parsed == null) {
                        parsed = new JsonNode[columns.length];
                    }
                    try {
                        parsed[i] = JsonLinesReader.STRICT.readTree((String) values[i]);
                    } catch (JsonProcessingException e) {
                        throw DataError.inRecord(target, recordsWritten() + 1, 0, columns[i].name(),
                                "not valid JSON text: " + JsonLinesReader.why(e));
                    }
                }
            }
        }
        gen.writeStartObject();
        for (int i = 0; i < columns.length; i++) {
            gen.writeFieldName(columns[i].name());
            Object v = values[i];
            if (v == null) {
                gen.writeNull();
                continue;
            }
            switch (columns[i].type()) {
                case BOOLEAN -> gen.writeBoolean((Boolean) v);
                case INT -> gen.writeNumber((Integer) v);
                case LONG -> gen.writeNumber((Long) v);
                case DECIMAL -> gen.writeNumber((BigDecimal) v);
                case FLOAT -> gen.writeNumber((Float) v);
                case DOUBLE -> gen.writeNumber((Double) v);
                case BYTES -> gen.writeString(binary.encode((byte[]) v));
                case JSON -> {
                    if (parsed != null && parsed[i] != null) {
                        JsonLinesReader.MAPPER.writeTree(gen, parsed[i]);
                    } else {
                        gen.writeString((String) v);
                    }
                }
                default -> gen.writeString(TextValues.format(v, columns[i].type(), binary));
            }
        }
        gen.writeEndObject();
        gen.writeRaw('\n');
    }

    @Override
    protected void finish() throws IOException {
        gen.flush();
    }

    @Override
    protected void discard() {
        // the generator only buffers; nothing to release
    }

    @Override
    public long bytesWritten() {
        return counted.count() + gen.getOutputBuffered();
    }
}
