package dev.caravan.formats.parquet;

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
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.filter2.compat.FilterCompat;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.FileMetaData;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.MessageColumnIO;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.Type;

/**
 * Reads a Parquet file one row group at a time (only the projected columns of the current row group and the
 * footer are in memory); resuming skips whole row groups without decoding them.
 */
final class ParquetRecordReader extends AbstractFormatReader {
    private final ParquetFileReader file;
    private final Schema schema;
    private final Column[] columns;
    private final int[] requestedIndex;
    private final boolean[] cast;
    private final MessageColumnIO io;
    private final RowMaterializer materializer;
    private RecordReader<Object[]> rows;
    private long rowsLeft;
    private int nextGroup;

    ParquetRecordReader(InputFile input, Closeable owned, String source, Schema given, Config config) {
        super(ParquetCodec.NAME, source, config.intValue(CommonOptions.BATCH_SIZE.name(), 1000), owned);
        ParquetReadOptions options = ParquetReadOptions.builder(new PlainParquetConfiguration())
                .withCodecFactory(PureJavaCodecFactory.INSTANCE).build();
        try {
            this.file = ParquetFileReader.open(input, options);
        } catch (IOException | RuntimeException e) {
            throw DataError.fatal(source, 0, 0, "not a readable Parquet file: " + FormatErrors.describe(e), e);
        }
        FileMetaData meta = file.getFooter().getFileMetaData();
        MessageType fileSchema = meta.getSchema();
        Schema natural = ParquetSchemas.toSchema(fileSchema);
        Optional<Schema> declared = SchemaJson.fromJson(meta.getKeyValueMetaData().get(SchemaJson.METADATA_KEY))
                .filter(d -> d.columns().stream().map(Column::name).toList()
                        .equals(natural.columns().stream().map(Column::name).toList()));
        Schema base = declared.orElse(natural);
        this.schema = given != null ? given : base;
        this.columns = schema.columns().toArray(new Column[0]);
        this.requestedIndex = new int[columns.length];
        this.cast = new boolean[columns.length];
        List<Type> requested = new ArrayList<>();
        for (int i = 0; i < columns.length; i++) {
            int f = indexOf(base, columns[i].name());
            if (f < 0) {
                if (!columns[i].nullable()) {
                    close();
                    throw DataError.fatal(source, 0, 0, "column '" + columns[i].name() + "' is not in the file "
                            + "(columns: " + base.columns().stream().map(Column::name).toList() + ")", null);
                }
                requestedIndex[i] = -1;
                continue;
            }
            Type field = fileSchema.getType(f);
            int r = requested.indexOf(field);
            if (r < 0) {
                requested.add(field);
                r = requested.size() - 1;
            }
            requestedIndex[i] = r;
            Column nat = natural.columns().get(f);
            cast[i] = nat.type() != columns[i].type() || nat.precision() != columns[i].precision()
                    || nat.scale() != columns[i].scale();
        }
        MessageType projection = new MessageType(fileSchema.getName(), requested);
        file.setRequestedSchema(projection);
        this.io = new ColumnIOFactory(meta.getCreatedBy()).getColumnIO(projection, fileSchema, true);
        this.materializer = new RowMaterializer(projection);
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

    private boolean nextGroup() throws IOException {
        PageReadStore pages = file.readNextRowGroup();
        if (pages == null) {
            return false;
        }
        nextGroup++;
        rowsLeft = pages.getRowCount();
        rows = io.getRecordReader(pages, materializer, FilterCompat.NOOP);
        return true;
    }

    @Override
    protected DataRecord read() {
        long number = position() + 1;
        Object[] raw;
        try {
            while (rowsLeft == 0) {
                if (!nextGroup()) {
                    return null;
                }
            }
            raw = rows.read();
            rowsLeft--;
        } catch (IOException | RuntimeException e) {
            throw FormatErrors.reading(e, source, number, 0);
        }
        Object[] values = new Object[columns.length];
        for (int i = 0; i < columns.length; i++) {
            Object v = requestedIndex[i] < 0 ? null : raw[requestedIndex[i]];
            if (v == null) {
                if (!columns[i].nullable()) {
                    throw DataError.inRecord(source, number, 0, columns[i].name(), "NULL in a NOT NULL column");
                }
                continue;
            }
            try {
                values[i] = cast[i] ? Values.coerce(v, columns[i]) : v;
            } catch (IllegalArgumentException e) {
                throw DataError.inRecord(source, number, 0, columns[i].name(), e.getMessage());
            }
        }
        return new DataRecord(values);
    }

    @Override
    public void skip(long count) {
        long left = count;
        while (left > 0 && rowsLeft == 0 && nextGroup < file.getRowGroups().size()
                && file.getRowGroups().get(nextGroup).getRowCount() <= left) {
            long n = file.getRowGroups().get(nextGroup).getRowCount();
            file.skipNextRowGroup();
            nextGroup++;
            advance(n);
            left -= n;
        }
        super.skip(left);
    }

    @Override
    protected void release() {
        try {
            file.close();
        } catch (IOException e) {
            // reading only
        }
    }
}
