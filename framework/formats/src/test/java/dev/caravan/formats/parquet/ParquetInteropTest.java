package dev.caravan.formats.parquet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.api.record.Column;
import dev.caravan.api.record.ColumnType;
import dev.caravan.api.record.DataRecord;
import dev.caravan.api.record.Schema;
import dev.caravan.api.store.ObjectStore;
import dev.caravan.api.store.PutRequest;
import dev.caravan.formats.ByteSource;
import dev.caravan.formats.Codecs;
import dev.caravan.formats.FormatReader;
import dev.caravan.formats.Samples;
import dev.caravan.formats.SchemaText;
import dev.caravan.formats.TestIo;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.avro.Conversions;
import org.apache.avro.LogicalTypes;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.data.TimeConversions;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.OutputFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Our Parquet files read by parquet-avro (upstream), files written by parquet-avro read by us, codec bytes. */
class ParquetInteropTest {

    private static GenericData model() {
        GenericData model = new GenericData();
        model.addLogicalTypeConversion(new Conversions.DecimalConversion());
        model.addLogicalTypeConversion(new TimeConversions.DateConversion());
        model.addLogicalTypeConversion(new TimeConversions.TimestampMicrosConversion());
        model.addLogicalTypeConversion(new TimeConversions.TimestampMillisConversion());
        model.addLogicalTypeConversion(new TimeConversions.LocalTimestampMicrosConversion());
        model.addLogicalTypeConversion(new TimeConversions.TimeMicrosConversion());
        return model;
    }

    @ParameterizedTest
    @ValueSource(strings = {"none", "snappy", "zstd"})
    void parquetAvroReadsOurFiles(String compression) throws IOException {
        byte[] bytes = TestIo.encode("parquet", Samples.allTypes(), Samples.allTypesRecords(), Map.of("compression", compression));
        InputFile file = new ByteSourceInputFile(TestIo.source("ours.parquet", bytes));
        List<GenericRecord> rows = new ArrayList<>();
        PlainParquetConfiguration conf = new PlainParquetConfiguration();
        conf.set("parquet.avro.readInt96AsFixed", "true");
        AvroParquetReader.Builder<GenericRecord> b = AvroParquetReader.<GenericRecord>builder(file, conf).withDataModel(model());
        if (!compression.equals("none")) {
            b.withCodecFactory(PureJavaCodecFactory.INSTANCE); // parquet's own factory needs a Hadoop runtime
        }
        // Parquet allows any column name; parquet-avro maps them to Avro names, so relax Avro's name rule for "local ts"
        org.apache.avro.NameValidator saved = org.apache.avro.Schema.getNameValidator();
        org.apache.avro.Schema.setNameValidator(org.apache.avro.NameValidator.NO_VALIDATION);
        try (ParquetReader<GenericRecord> r = b.build()) {
            GenericRecord g;
            while ((g = r.read()) != null) {
                rows.add(g);
            }
        } finally {
            org.apache.avro.Schema.setNameValidator(saved);
        }
        assertThat(rows).hasSize(4);
        DataRecord expected = Samples.allTypesRecords().get(0);
        GenericRecord first = rows.get(0);
        assertThat(first.get("id")).isEqualTo(1L);
        assertThat(first.get("small")).isEqualTo(42);
        assertThat(first.get("amount")).isEqualTo(expected.get(3));
        assertThat(first.get("big")).isEqualTo(expected.get(4));
        assertThat(first.get("name").toString()).isEqualTo(expected.get(8));
        assertThat(first.get("day")).isEqualTo(expected.get(10));
        assertThat(first.get("local ts")).as("original column name kept").isEqualTo(expected.get(12));
        assertThat(first.get("zoned_ts")).isEqualTo(((OffsetDateTime) expected.get(13)).toInstant());
        assertThat(rows.get(1).get("amount")).isNull();
    }

    @Test
    void weReadNestedFilesWrittenByParquetAvro() throws IOException {
        org.apache.avro.Schema decimal = LogicalTypes.decimal(9, 2).addToSchema(org.apache.avro.Schema.create(org.apache.avro.Schema.Type.BYTES));
        org.apache.avro.Schema ts = LogicalTypes.timestampMillis().addToSchema(org.apache.avro.Schema.create(org.apache.avro.Schema.Type.LONG));
        org.apache.avro.Schema date = LogicalTypes.date().addToSchema(org.apache.avro.Schema.create(org.apache.avro.Schema.Type.INT));
        org.apache.avro.Schema schema = SchemaBuilder.record("Order").fields()
                .requiredLong("id")
                .name("price").type(decimal).noDefault()
                .name("at").type(ts).noDefault()
                .name("day").type(date).noDefault()
                .optionalString("note")
                .name("tags").type().array().items().stringType().noDefault()
                .name("attrs").type().map().values().intType().noDefault()
                .name("customer").type().record("Customer").fields().requiredString("name").optionalInt("age").endRecord().noDefault()
                .endRecord();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PlainParquetConfiguration conf = new PlainParquetConfiguration();
        conf.set("parquet.avro.write-old-list-structure", "false");
        try (ParquetWriter<GenericRecord> w = AvroParquetWriter.<GenericRecord>builder(outputFile(out)).withSchema(schema)
                .withConf(conf).withDataModel(GenericData.get()).withCompressionCodec(CompressionCodecName.UNCOMPRESSED).build()) {
            for (int i = 0; i < 3; i++) {
                GenericData.Record r = new GenericData.Record(schema);
                r.put("id", (long) i);
                r.put("price", new Conversions.DecimalConversion().toBytes(new BigDecimal("10.2" + i), decimal, decimal.getLogicalType()));
                r.put("at", Instant.parse("2024-05-01T10:00:00Z").plusSeconds(i).toEpochMilli());
                r.put("day", (int) LocalDate.of(2024, 5, 1 + i).toEpochDay());
                r.put("note", i == 1 ? null : "n" + i);
                r.put("tags", i == 2 ? List.of() : List.of("a", "b" + i));
                r.put("attrs", Map.of("k", i));
                GenericData.Record c = new GenericData.Record(schema.getField("customer").schema());
                c.put("name", "Zoë " + i);
                c.put("age", i == 0 ? null : 30 + i);
                r.put("customer", c);
                w.write(r);
            }
        }
        try (FormatReader r = Codecs.get("parquet").decoder(TestIo.source("theirs.parquet", out.toByteArray()), null, null)) {
            assertThat(r.schema().columns()).extracting(Column::type).containsExactly(ColumnType.LONG, ColumnType.DECIMAL,
                    ColumnType.TIMESTAMP_TZ, ColumnType.DATE, ColumnType.STRING, ColumnType.JSON, ColumnType.JSON, ColumnType.JSON);
            Object[] v0 = r.next().values();
            assertThat(v0).containsExactly(0L, new BigDecimal("10.20"), OffsetDateTime.of(2024, 5, 1, 10, 0, 0, 0, ZoneOffset.UTC),
                    LocalDate.of(2024, 5, 1), "n0", "[\"a\",\"b0\"]", "{\"k\":0}", "{\"name\":\"Zoë 0\"}");
            Object[] v1 = r.next().values();
            assertThat(v1[4]).isNull();
            assertThat(v1[7]).isEqualTo("{\"name\":\"Zoë 1\",\"age\":31}");
            assertThat(r.next().get(5)).isEqualTo("[]");
            assertThat(r.next()).isNull();
        }
    }

    @Test
    void pureJavaCodecsProduceWhatTheNativeLibrariesRead() throws IOException {
        byte[] data = new byte[200_000];
        Random rnd = new Random(1);
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) ("caravan parquet ".charAt(i % 16) + (rnd.nextInt(50) == 0 ? 1 : 0));
        }
        for (CompressionCodecName codec : List.of(CompressionCodecName.SNAPPY, CompressionCodecName.ZSTD)) {
            byte[] ours = PureJavaCodecFactory.INSTANCE.getCompressor(codec)
                    .compress(org.apache.parquet.bytes.BytesInput.from(data)).toByteArray();
            byte[] nativeOut = codec == CompressionCodecName.SNAPPY ? org.xerial.snappy.Snappy.uncompress(ours)
                    : com.github.luben.zstd.Zstd.decompress(ours, data.length);
            assertThat(nativeOut).as(codec + " ours -> native").isEqualTo(data);
            byte[] theirs = codec == CompressionCodecName.SNAPPY ? org.xerial.snappy.Snappy.compress(data)
                    : com.github.luben.zstd.Zstd.compress(data, 3);
            byte[] back = PureJavaCodecFactory.INSTANCE.getDecompressor(codec)
                    .decompress(org.apache.parquet.bytes.BytesInput.from(theirs), data.length).toByteArray();
            assertThat(back).as(codec + " native -> ours").isEqualTo(data);
        }
    }

    @Test
    void readsStoreObjectsWithRangedReadsAndSkipsRowGroups(@TempDir Path dir) {
        Schema s = SchemaText.parseSchema("t", "id:LONG NOT NULL, text:STRING");
        List<DataRecord> rows = new ArrayList<>();
        for (long i = 0; i < 50_000; i++) {
            rows.add(new DataRecord(new Object[] {i, "row " + i + " " + "x".repeat((int) (i % 50))}));
        }
        byte[] bytes = TestIo.encode("parquet", s, rows, Map.of("rowGroupSize", "64k", "pageSize", "8k"));
        ObjectStore store = TestIo.store(dir);
        store.put("t.parquet", new ByteArrayInputStream(bytes), PutRequest.ofSize(bytes.length));
        ByteSource src = ByteSource.of(store, store.stat("t.parquet").orElseThrow());
        try (FormatReader r = Codecs.get("parquet").decoder(src, null, null)) {
            r.skip(31_234);
            assertThat(r.position()).isEqualTo(31_234);
            assertThat(r.next().get(0)).isEqualTo(31_234L);
            long expect = 31_235;
            DataRecord rec;
            while ((rec = r.next()) != null) {
                assertThat(rec.values()).containsExactly(rows.get((int) expect).values());
                expect++;
            }
            assertThat(expect).isEqualTo(50_000);
        }
        // a projection by name reads only the requested column
        try (FormatReader r = Codecs.get("parquet").decoder(src, SchemaText.parseSchema("p", "text:STRING, missing:INT"), null)) {
            assertThat(r.next().values()).containsExactly("row 0 ", null);
        }
        assertThat(new String(bytes, 0, 4, StandardCharsets.US_ASCII)).isEqualTo("PAR1");
    }

    private static OutputFile outputFile(ByteArrayOutputStream out) {
        return new StreamOutputFile(out, "theirs.parquet");
    }
}
