package dev.caravan.formats.avro;

import dev.caravan.api.config.Config;
import dev.caravan.api.record.Column;
import dev.caravan.api.record.DataRecord;
import dev.caravan.api.record.Schema;
import dev.caravan.formats.AbstractFormatReader;
import dev.caravan.formats.CommonOptions;
import dev.caravan.formats.DataError;
import dev.caravan.formats.FormatErrors;
import dev.caravan.formats.SchemaJson;
import dev.caravan.formats.Values;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import org.apache.avro.Schema.Type;
import org.apache.avro.file.DataFileStream;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;

/** Streams an Avro object container file block by block. */
final class AvroRecordReader extends AbstractFormatReader {
    private final EndCheckingInputStream input;
    private final DataFileStream<GenericRecord> stream;
    private final Schema schema;
    private final Column[] columns;
    private final int[] fieldOf;
    private final List<Function<Object, Object>> natural;
    private final boolean[] cast;
    private GenericRecord reuse;

    AvroRecordReader(InputStream in, Closeable owned, String source, Schema given, Config config) {
        super(AvroCodec.NAME, source, config.intValue(CommonOptions.BATCH_SIZE.name(), 1000), owned);
        try {
            this.input = new EndCheckingInputStream(in);
            this.stream = new DataFileStream<>(input, new GenericDatumReader<>());
        } catch (IOException | RuntimeException e) {
            throw DataError.fatal(source, 0, 0, "not an Avro object container file: " + FormatErrors.describe(e), e);
        }
        org.apache.avro.Schema avro = stream.getSchema();
        if (avro.getType() != Type.RECORD) {
            throw DataError.fatal(source, 0, 0, "the Avro file holds " + avro.getType().getName()
                    + " values; only records can be read as columns", null);
        }
        Schema fileSchema = AvroSchemas.toSchema(avro);
        Optional<Schema> declared = SchemaJson.fromJson(stream.getMetaString(SchemaJson.METADATA_KEY))
                .filter(d -> d.columns().size() == fileSchema.columns().size());
        Schema base = declared.orElse(fileSchema);
        this.schema = given != null ? given : base;
        this.columns = schema.columns().toArray(new Column[0]);
        this.fieldOf = new int[columns.length];
        this.cast = new boolean[columns.length];
        this.natural = new java.util.ArrayList<>();
        for (int i = 0; i < columns.length; i++) {
            int f = indexOf(base, columns[i].name());
            if (f < 0 && !columns[i].nullable()) {
                throw DataError.fatal(source, 0, 0, "column '" + columns[i].name() + "' is not in the file (columns: "
                        + base.columns().stream().map(Column::name).toList() + ")", null);
            }
            fieldOf[i] = f;
            natural.add(f < 0 ? v -> null : AvroValues.reader(avro.getFields().get(f).schema()));
            Column nat = f < 0 ? null : fileSchema.columns().get(f);
            cast[i] = nat == null || nat.type() != columns[i].type() || nat.precision() != columns[i].precision()
                    || nat.scale() != columns[i].scale();
        }
    }

    private static int indexOf(Schema s, String name) {
        int i = s.indexOf(name);
        if (i >= 0) {
            return i;
        }
        for (int j = 0; j < s.columns().size(); j++) {
            if (s.columns().get(j).name().toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
                return j;
            }
        }
        return -1;
    }

    @Override
    public Schema schema() {
        return schema;
    }

    @Override
    protected DataRecord read() {
        long number = position() + 1;
        try {
            if (!stream.hasNext()) {
                if (!input.endsWithSync()) {
                    throw DataError.fatal(source, number, 0, "the Avro file ends in the middle of a block (truncated?); "
                            + "the records of that block cannot be read", null);
                }
                return null;
            }
            reuse = stream.next(reuse);
        } catch (IOException | RuntimeException e) {
            throw FormatErrors.reading(e, source, number, 0);
        }
        Object[] values = new Object[columns.length];
        for (int i = 0; i < columns.length; i++) {
            if (fieldOf[i] < 0) {
                continue;
            }
            Object raw = reuse.get(fieldOf[i]);
            if (raw == null) {
                if (!columns[i].nullable()) {
                    throw DataError.inRecord(source, number, 0, columns[i].name(), "NULL in a NOT NULL column");
                }
                continue;
            }
            try {
                Object v = natural.get(i).apply(raw);
                values[i] = cast[i] ? Values.coerce(v, columns[i]) : v;
            } catch (IllegalArgumentException | ArithmeticException | java.time.DateTimeException e) {
                throw DataError.inRecord(source, number, 0, columns[i].name(), FormatErrors.describe(e));
            }
        }
        return new DataRecord(values);
    }
}
