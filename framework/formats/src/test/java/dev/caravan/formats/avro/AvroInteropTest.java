package dev.caravan.formats.avro;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.api.record.Column;
import dev.caravan.api.record.ColumnType;
import dev.caravan.api.record.DataRecord;
import dev.caravan.formats.Codecs;
import dev.caravan.formats.FormatReader;
import dev.caravan.formats.Samples;
import dev.caravan.formats.TestIo;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.Conversions;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.data.TimeConversions;
import org.apache.avro.file.CodecFactory;
import org.apache.avro.file.DataFileStream;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.file.SeekableByteArrayInput;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Our Avro files read by the plain Avro API (with its logical-type conversions), and the other way round. */
class AvroInteropTest {

    @ParameterizedTest
    @ValueSource(strings = {"null", "deflate", "snappy", "zstandard"})
    void plainAvroReadsOurFiles(String compression) throws Exception {
        // snappy-java and zstd-jni are on the test class path: Avro decodes our pure-Java blocks with them
        byte[] bytes = TestIo.encode("avro", Samples.allTypes(), Samples.allTypesRecords(), Map.of("compression", compression));
        GenericData model = new GenericData();
        model.addLogicalTypeConversion(new Conversions.DecimalConversion());
        model.addLogicalTypeConversion(new Conversions.UUIDConversion());
        model.addLogicalTypeConversion(new TimeConversions.DateConversion());
        model.addLogicalTypeConversion(new TimeConversions.TimeMicrosConversion());
        model.addLogicalTypeConversion(new TimeConversions.TimestampMicrosConversion());
        model.addLogicalTypeConversion(new TimeConversions.LocalTimestampMicrosConversion());
        List<GenericRecord> records = new ArrayList<>();
        try (DataFileReader<GenericRecord> r = new DataFileReader<>(new SeekableByteArrayInput(bytes),
                new GenericDatumReader<>(null, null, model))) {
            assertThat(r.getMetaString("avro.codec")).isEqualTo(compression);
            r.forEach(records::add);
        }
        assertThat(records).hasSize(4);
        GenericRecord first = records.get(0);
        DataRecord expected = Samples.allTypesRecords().get(0);
        assertThat(first.get("id")).isEqualTo(1L);
        assertThat(first.get("amount")).isEqualTo(expected.get(3));
        assertThat(first.get("big")).isEqualTo(expected.get(4));
        assertThat(first.get("name").toString()).isEqualTo(expected.get(8));
        assertThat(first.get("day")).isEqualTo(expected.get(10));
        assertThat(first.get("at")).isEqualTo(expected.get(11));
        assertThat(first.get("local_ts")).as("sanitized name, local-timestamp-micros").isEqualTo(expected.get(12));
        assertThat(first.get("zoned_ts")).isEqualTo(((java.time.OffsetDateTime) expected.get(13)).toInstant());
        assertThat(first.get("uid")).isEqualTo(expected.get(15));
        assertThat(records.get(1).get("name")).isNull();
    }

    @Test
    void weReadFilesWrittenWithThePlainAvroApi() throws Exception {
        Schema decimal = LogicalTypes.decimal(10, 3).addToSchema(Schema.create(Schema.Type.BYTES));
        Schema date = LogicalTypes.date().addToSchema(Schema.create(Schema.Type.INT));
        Schema ts = LogicalTypes.timestampMillis().addToSchema(Schema.create(Schema.Type.LONG));
        Schema uuid = LogicalTypes.uuid().addToSchema(Schema.create(Schema.Type.STRING));
        Schema color = SchemaBuilder.enumeration("Color").symbols("RED", "GREEN");
        Schema schema = SchemaBuilder.record("Order").fields()
                .requiredLong("id")
                .name("price").type(decimal).noDefault()
                .name("day").type(date).noDefault()
                .name("at").type(ts).noDefault()
                .name("ref").type(uuid).noDefault()
                .name("color").type(color).noDefault()
                .name("lines").type().array().items().record("Line").fields().requiredString("sku").requiredInt("qty")
                .endRecord().noDefault()
                .name("attrs").type().map().values().longType().noDefault()
                .optionalString("note")
                .name("either").type().unionOf().nullType().and().intType().and().stringType().endUnion().nullDefault()
                .endRecord();
        GenericData.Record rec = new GenericData.Record(schema);
        rec.put("id", 7L);
        rec.put("price", new Conversions.DecimalConversion().toBytes(new BigDecimal("12.345"), decimal, decimal.getLogicalType()));
        rec.put("day", (int) LocalDate.of(2024, 5, 1).toEpochDay());
        rec.put("at", Instant.parse("2024-05-01T10:00:00.123Z").toEpochMilli());
        rec.put("ref", "123e4567-e89b-12d3-a456-426614174000");
        rec.put("color", new GenericData.EnumSymbol(color, "GREEN"));
        GenericData.Record line = new GenericData.Record(schema.getField("lines").schema().getElementType());
        line.put("sku", "A-1");
        line.put("qty", 3);
        rec.put("lines", List.of(line));
        rec.put("attrs", Map.of("w", 5L));
        rec.put("note", null);
        rec.put("either", "text");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (DataFileWriter<GenericRecord> w = new DataFileWriter<>(new GenericDatumWriter<>(schema))) {
            w.setCodec(CodecFactory.snappyCodec());
            w.create(schema, out);
            w.append(rec);
        }
        byte[] bytes = out.toByteArray();

        for (boolean pureJava : new boolean[] {false, true}) {
            CodecFactory previous = pureJava ? CodecFactory.addCodec("snappy", PureJavaAvroCodecs.snappy()) : null;
            try (FormatReader r = Codecs.get("avro").decoder(TestIo.source("o.avro", bytes), null, null)) {
                assertThat(r.schema().columns()).extracting(Column::type).containsExactly(ColumnType.LONG,
                        ColumnType.DECIMAL, ColumnType.DATE, ColumnType.TIMESTAMP_TZ, ColumnType.UUID, ColumnType.STRING,
                        ColumnType.JSON, ColumnType.JSON, ColumnType.STRING, ColumnType.JSON);
                assertThat(r.schema().columns().get(1).precision()).isEqualTo(10);
                assertThat(r.schema().columns().get(0).nullable()).isFalse();
                assertThat(r.schema().columns().get(8).nullable()).isTrue();
                Object[] v = r.next().values();
                assertThat(v).containsExactly(7L, new BigDecimal("12.345"), LocalDate.of(2024, 5, 1),
                        Instant.parse("2024-05-01T10:00:00.123Z").atOffset(ZoneOffset.UTC),
                        UUID.fromString("123e4567-e89b-12d3-a456-426614174000"), "GREEN",
                        "[{\"sku\":\"A-1\",\"qty\":3}]", "{\"w\":5}", null, "\"text\"");
                assertThat(r.next()).isNull();
            } finally {
                if (previous != null) {
                    CodecFactory.addCodec("snappy", previous);
                }
            }
        }
    }

    @Test
    void ourZstandardBlocksMatchTheNativeCodecBothWays() throws Exception {
        Schema s = SchemaBuilder.record("r").fields().requiredString("s").endRecord();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (DataFileWriter<GenericRecord> w = new DataFileWriter<>(new GenericDatumWriter<>(s))) {
            w.setCodec(CodecFactory.zstandardCodec(3));
            w.create(s, out);
            for (int i = 0; i < 10_000; i++) {
                GenericData.Record r = new GenericData.Record(s);
                r.put("s", "value " + i);
                w.append(r);
            }
        }
        CodecFactory previous = CodecFactory.addCodec("zstandard", PureJavaAvroCodecs.zstandard());
        try (FormatReader r = Codecs.get("avro").decoder(TestIo.source("z.avro", out.toByteArray()), null, null)) {
            long n = 0;
            DataRecord rec;
            while ((rec = r.next()) != null) {
                assertThat(rec.get(0)).isEqualTo("value " + n++);
            }
            assertThat(n).isEqualTo(10_000);
        } finally {
            CodecFactory.addCodec("zstandard", previous);
        }
        try (DataFileStream<GenericRecord> in = new DataFileStream<>(new java.io.ByteArrayInputStream(
                TestIo.encode("avro", dev.caravan.formats.SchemaText.parseSchema("r", "s:STRING NOT NULL"),
                        List.of(new DataRecord(new Object[] {"x"})), Map.of("compression", "zstandard"))),
                new GenericDatumReader<>())) {
            assertThat(in.next().get("s").toString()).isEqualTo("x");
        }
    }
}
