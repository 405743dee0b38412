package dev.caravan.formats.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.record.Column;
import dev.caravan.api.record.ColumnType;
import dev.caravan.api.record.DataRecord;
import dev.caravan.api.record.Schema;
import dev.caravan.api.store.ObjectInfo;
import dev.caravan.api.store.ObjectStore;
import dev.caravan.api.store.PutRequest;
import dev.caravan.formats.ByteSource;
import dev.caravan.formats.Codecs;
import dev.caravan.formats.DataError;
import dev.caravan.formats.FormatReader;
import dev.caravan.formats.TestIo;
import dev.caravan.formats.mapping.RecordMapping;
import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FormatConversionTest {
    private static final String CSV_A = "id,name,price,created,tags\n"
            + "1,\"Müller, Hans\",12.50,2024-01-02 03:04:05.123456,\"{\"\"a\"\":1}\"\n"
            + "2,,0.99,2024-01-03T00:00:00,\n"
            + "3,\"\",-7.00,1999-12-31T23:59:59,[]\n";
    private static final String CSV_B = "id,name,price,created,tags\n"
            + "4,東京 🚀,1000000.01,2024-02-29T12:00:00,x\n";

    @TempDir
    Path dir;

    private static void put(ObjectStore store, String key, String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        store.put(key, new ByteArrayInputStream(b), PutRequest.ofSize(b.length));
    }

    private static List<String> keys(ObjectStore store, String prefix) {
        try (Stream<ObjectInfo> s = store.list(prefix)) {
            return s.map(ObjectInfo::key).toList();
        }
    }

    private static List<DataRecord> read(ObjectStore store, String prefix, String format, Schema schema) {
        List<DataRecord> out = new ArrayList<>();
        for (String k : keys(store, prefix)) {
            try (FormatReader r = Codecs.get(format).decoder(ByteSource.of(store, store.stat(k).orElseThrow()), schema, null)) {
                out.addAll(TestIo.readAll(r));
            }
        }
        return out;
    }

    /**
     * Schema drift: a later Avro or Parquet file with a column the first one has not. Its values were dropped without
     * a word (the readers read only the requested columns), while CSV and JSON Lines refuse such a column.
     */
    @Test
    void aColumnOnlyALaterAvroOrParquetFileHasFailsTheRunUnlessASchemaIsGiven() {
        for (String format : List.of("parquet", "avro")) {
            ObjectStore src = TestIo.store(dir.resolve("drift-" + format));
            ObjectStore dst = TestIo.store(dir.resolve("drift-out-" + format));
            put(src, "csv/1/a.csv", "id,name\n1,a\n");
            put(src, "csv/2/a.csv", "id,name,extra\n2,b,important\n");
            for (String part : List.of("1", "2")) {
                FormatConversion.builder().source(src, "csv/" + part + "/*.csv", "csv", Map.of())
                        .target(src, format + "/" + part, format, Map.of()).build().run();
            }
            FormatConversion all = FormatConversion.builder().source(src, format + "/**", format, Map.of())
                    .target(dst, "out", "jsonl", Map.of()).build();
            assertThatThrownBy(all::run).as(format).isInstanceOfSatisfying(DataError.class,
                    e -> assertThat(e.kind()).isEqualTo(ErrorKind.USER_DATA))
                    .hasMessage(format + "/2/part-00000." + format + ": column 'extra' is not in the schema [id, name]"
                            + " taken from the first object " + format + "/1/part-00000." + format + "; give the"
                            + " columns to read with the schema option (its columns are read, the others left out)");
            assertThat(keys(dst, "")).as("nothing published").isEmpty();

            ConversionReport some = FormatConversion.builder()
                    .source(src, format + "/**", format, Map.of("schema", "id:LONG, name:STRING"))
                    .target(dst, "out", "jsonl", Map.of()).build().run();
            assertThat(some.recordsOut()).as(format + ", with the schema option").isEqualTo(2);
        }
    }

    /** Each rerun read the parts of the previous run as input: 2 rows became 4, then 6, without a word. */
    @Test
    void aTargetWhosePartsTheSourceGlobWouldReadIsRefusedBeforeAnythingIsWritten() {
        ObjectStore src = TestIo.store(dir.resolve("same"));
        put(src, "a.csv", "id\n1\n2\n");
        for (ObjectStore target : List.of(src, TestIo.store(dir.resolve("same/out")))) {
            FormatConversion c = FormatConversion.builder().source(src, "*.csv", "csv", Map.of())
                    .target(target, "", "csv", Map.of()).build();
            assertThatThrownBy(c::run).isInstanceOfSatisfying(dev.caravan.api.error.MigrationException.class,
                    e -> assertThat(e.kind()).isEqualTo(ErrorKind.USER_CONFIG))
                    .hasMessageContaining("would match the source glob '*.csv'")
                    .hasMessageContaining(target == src ? "part-00000.csv" : "out/part-00000.csv");
            assertThatThrownBy(() -> c.sample(1)).hasMessageContaining("would match the source glob");
        }
        assertThat(keys(src, "")).containsExactly("a.csv");
        ObjectStore same = TestIo.store(dir.resolve("same"));
        FormatConversion.builder().source(src, "*.csv", "csv", Map.of()).target(same, "pq", "parquet", Map.of())
                .build().run();
        FormatConversion.builder().source(src, "a*.csv", "csv", Map.of()).target(same, "", "csv", Map.of())
                .build().run();
        assertThat(keys(src, "")).containsExactly("a.csv", "part-00000.csv", "pq/part-00000.parquet");
    }

    /** A conversion had no verification at all: a changed cell in a part went unnoticed. */
    @Test
    void verifyComparesEveryConvertedValueWithTheParts() {
        ObjectStore src = TestIo.store(dir.resolve("vsrc"));
        ObjectStore dst = TestIo.store(dir.resolve("vdst"));
        put(src, "in/a.csv", CSV_A);
        put(src, "in/b.csv", CSV_B + "5,bad,oops,2024-01-01T00:00:00,x\n");
        for (String format : List.of("parquet", "jsonl")) {
            FormatConversion c = FormatConversion.builder().source(src, "in/*.csv", "csv", Map.of())
                    .target(dst, format, format, Map.of()).maxRecordsPerFile(3).maxRejects(1).build();
            assertThat(c.run().recordsOut()).isEqualTo(4);
            dev.caravan.api.verify.VerificationReport clean = c.verify();
            assertThat(clean.clean()).as(format + ": " + clean.problems()).isTrue();
            assertThat(clean.total()).isEqualTo(1);
        }
        String part = new String(readBytes(dst, "jsonl/part-00001.jsonl"), StandardCharsets.UTF_8);
        put(dst, "jsonl/part-00001.jsonl", part.replace("東京", "Tokyo"));
        FormatConversion c = FormatConversion.builder().source(src, "in/*.csv", "csv", Map.of())
                .target(dst, "jsonl", "jsonl", Map.of()).maxRecordsPerFile(3).maxRejects(1).build();
        dev.caravan.api.verify.VerificationReport tampered = c.verify();
        assertThat(tampered.clean()).isFalse();
        assertThat(tampered.problems()).singleElement().satisfies(i -> {
            assertThat(i.outcome()).isEqualTo(dev.caravan.api.verify.VerificationOutcome.DIFFER);
            assertThat(i.detail()).contains("record 4").contains("jsonl/part-00001.jsonl").contains("東京")
                    .contains("Tokyo");
        });
        put(dst, "jsonl/part-00001.jsonl", "");
        assertThat(c.verify().problems()).singleElement().satisfies(i -> assertThat(i.detail())
                .contains("the parts hold 3 records, the source gives 4"));
    }

    /**
     * An append run was not verified at all ("complete (not verified)"), and verify() compared the source with the parts
     * of every run (a DIFFER after the second run): a run verifies the parts it wrote, and a later verify says it cannot.
     */
    @Test
    void anAppendRunVerifiesThePartsItWrote() {
        ObjectStore src = TestIo.store(dir.resolve("asrc"));
        ObjectStore dst = TestIo.store(dir.resolve("adst"));
        put(src, "in/a.csv", "id,name\n1,ann\n2,bob\n");
        FormatConversion c = FormatConversion.builder().source(src, "in/*.csv", "csv", Map.of())
                .target(dst, "out", "jsonl", Map.of()).maxRecordsPerFile(1)
                .mode(ObjectStoreRecordSink.WriteMode.APPEND).build();
        ConversionReport first = c.run();
        assertThat(c.verify(first).problems()).isEmpty();
        assertThat(c.verify(first).total()).isEqualTo(1);

        put(src, "in/a.csv", "id,name\n3,cy\n");
        ConversionReport second = c.run();
        assertThat(second.files()).containsExactly("out/part-00002.jsonl");
        assertThat(keys(dst, "out")).hasSize(3);
        dev.caravan.api.verify.VerificationReport own = c.verify(second);
        assertThat(own.clean()).as(own.problems().toString()).isTrue();

        put(dst, "out/part-00002.jsonl", "{\"id\":3,\"name\":\"cyd\"}\n");
        assertThat(c.verify(second).problems()).singleElement().satisfies(i -> {
            assertThat(i.outcome()).isEqualTo(dev.caravan.api.verify.VerificationOutcome.DIFFER);
            assertThat(i.detail()).contains("out/part-00002.jsonl").contains("cyd");
        });
        dst.delete("out/part-00002.jsonl");
        assertThat(c.verify(second).problems()).singleElement().satisfies(i -> assertThat(i.detail())
                .isEqualTo("the 1 part this run wrote holds 0 records, the source gives 1"));

        assertThat(c.verify().problems()).as("afterwards the runs' parts cannot be told apart").singleElement()
                .satisfies(i -> {
                    assertThat(i.outcome()).isEqualTo(dev.caravan.api.verify.VerificationOutcome.ERROR);
                    assertThat(i.detail()).startsWith("not verifiable afterwards in append mode");
                });
    }

    /** A header-only input gave no part at all: the column names were lost and a reader of the folder found nothing. */
    @Test
    void aConversionOfNoRecordsPublishesOneEmptyPartWithTheSchema() {
        ObjectStore src = TestIo.store(dir.resolve("esrc"));
        ObjectStore dst = TestIo.store(dir.resolve("edst"));
        put(src, "in/a.csv", "id,name\n");
        for (String format : List.of("csv", "parquet", "avro", "jsonl")) {
            ConversionReport r = FormatConversion.builder().source(src, "in/*.csv", "csv",
                    Map.of("schema", "id:LONG, name:STRING")).target(dst, format, format, Map.of()).build().run();
            assertThat(r.files()).as(format).containsExactly(format + "/part-00000." + format);
            try (FormatReader back = Codecs.get(format).decoder(ByteSource.of(dst,
                    dst.stat(format + "/part-00000." + format).orElseThrow()), null, null)) {
                if (!format.equals("jsonl")) {
                    assertThat(back.schema().columns()).extracting(Column::name).as(format).containsExactly("id", "name");
                }
                assertThat(back.next()).isNull();
            }
        }
        assertThat(new String(readBytes(dst, "csv/part-00000.csv"), StandardCharsets.UTF_8)).isEqualTo("id,name\n");
        put(src, "empty/a.csv", "");
        ConversionReport none = FormatConversion.builder().source(src, "empty/*.csv", "csv", Map.of())
                .target(dst, "none", "parquet", Map.of()).build().run();
        assertThat(none.files()).as("an empty file has no columns: no part").isEmpty();
    }

    @Test
    void csvToParquetToCsvPreservesValues() {
        ObjectStore src = TestIo.store(dir.resolve("src"));
        ObjectStore dst = TestIo.store(dir.resolve("dst"));
        put(src, "in/a.csv", CSV_A);
        put(src, "in/b.csv", CSV_B);

        ConversionReport toParquet = FormatConversion.builder().source(src, "in/*.csv", "csv", Map.of())
                .target(dst, "parquet", "parquet", Map.of("compression", "zstd")).maxRecordsPerFile(3).build().run();
        assertThat(toParquet.recordsIn()).isEqualTo(4);
        assertThat(toParquet.recordsOut()).isEqualTo(4);
        assertThat(toParquet.files()).containsExactly("parquet/part-00000.parquet", "parquet/part-00001.parquet");
        assertThat(toParquet.bytesOut()).isEqualTo(keys(dst, "parquet").stream()
                .mapToLong(k -> dst.stat(k).orElseThrow().size()).sum());
        Schema inferred = toParquet.source();
        assertThat(inferred.columns()).extracting(Column::type).containsExactly(ColumnType.LONG, ColumnType.STRING,
                ColumnType.DECIMAL, ColumnType.TIMESTAMP, ColumnType.STRING);

        ConversionReport toCsv = FormatConversion.builder().source(dst, "parquet/*.parquet", "parquet", Map.of())
                .target(dst, "csv", "csv", Map.of()).build().run();
        assertThat(toCsv.recordsOut()).isEqualTo(4);

        List<DataRecord> original = read(src, "in", "csv", inferred);
        List<DataRecord> viaParquet = read(dst, "parquet", "parquet", null);
        List<DataRecord> back = read(dst, "csv", "csv", inferred);
        assertThat(viaParquet).containsExactlyElementsOf(original);
        assertThat(back).containsExactlyElementsOf(original);
        assertThat(original.get(1).get(1)).isNull();
        assertThat(original.get(2).get(1)).isEqualTo("");
        assertThat(original.get(0).values()).containsExactly(1L, "Müller, Hans", new BigDecimal("12.50"),
                LocalDateTime.of(2024, 1, 2, 3, 4, 5, 123_456_000), "{\"a\":1}");
        String csv = new String(readBytes(dst, "csv/part-00000.csv"), StandardCharsets.UTF_8);
        assertThat(csv).startsWith("id,name,price,created,tags\n1,\"Müller, Hans\",12.50,2024-01-02T03:04:05.123456,");
    }

    @Test
    void jsonLinesToAvroWithAMapping() {
        ObjectStore src = TestIo.store(dir.resolve("src"));
        put(src, "events/2024/01.jsonl", "{\"user\":\"u1\",\"amount\":\"12.345\",\"meta\":{\"ip\":\"1.2.3.4\"},\"tmp\":1}\n"
                + "{\"user\":\"u2\",\"amount\":7,\"meta\":null,\"tmp\":2}\n");
        Map<String, String> mapping = new LinkedHashMap<>();
        mapping.put("rename.user", "user_id");
        mapping.put("cast.amount", "DECIMAL(10,3)");
        mapping.put("drop", "tmp");
        mapping.put("derive.origin", "concat('legacy:', user)");
        ConversionReport r = FormatConversion.builder().source(src, "events/**.jsonl", "jsonl", Map.of())
                .target(src, "avro", "avro", Map.of()).mapping(RecordMapping.fromMap(mapping)).build().run();
        assertThat(r.recordsOut()).isEqualTo(2);
        assertThat(r.target().columns()).extracting(Column::name).containsExactly("user_id", "amount", "meta", "origin");
        List<DataRecord> rows = read(src, "avro", "avro", null);
        assertThat(rows.get(0).values()).containsExactly("u1", new BigDecimal("12.345"), "{\"ip\":\"1.2.3.4\"}", "legacy:u1");
        assertThat(rows.get(1).values()).containsExactly("u2", new BigDecimal("7.000"), null, "legacy:u2");
    }

    @Test
    void badRecordsFailTheRunNamingObjectLineAndColumnUnlessRejectsAreAllowed() {
        ObjectStore src = TestIo.store(dir.resolve("src"));
        ObjectStore dst = TestIo.store(dir.resolve("dst"));
        put(src, "a.csv", "id,amount\n1,1.00\n2,2.00\n");
        put(src, "b.csv", "id,amount\n3,oops\n4,4.00\n5\n6,6.00\n");
        FormatConversion.Builder b = FormatConversion.builder().source(src, "*.csv", "csv", Map.of())
                .target(dst, "out", "parquet", Map.of());
        assertThatThrownBy(() -> b.build().run()).isInstanceOfSatisfying(DataError.class, e -> {
            assertThat(e.kind()).isEqualTo(ErrorKind.USER_DATA);
            assertThat(e.source()).isEqualTo("b.csv");
            assertThat(e.line()).isEqualTo(2);
            assertThat(e.column()).isEqualTo("amount");
        }).hasMessageStartingWith("b.csv: line 2 (record 1), column 'amount': 'oops' is not a DECIMAL(38,2)");
        assertThat(keys(dst, "")).as("nothing published, no temporary left").isEmpty();

        ConversionReport r = b.maxRejects(5).rejectsPrefix("rejects").build().run();
        assertThat(r.recordsOut()).isEqualTo(4);
        assertThat(r.rejected()).isEqualTo(2);
        assertThat(r.firstRejects()).extracting(Reject::line).containsExactly(2L, 4L);
        assertThat(r.rejectFiles()).containsExactly("rejects/part-00000.jsonl");
        String rejects = new String(readBytes(dst, "rejects/part-00000.jsonl"), StandardCharsets.UTF_8);
        assertThat(rejects).contains("\"object\":\"b.csv\"").contains("expected 2 fields, found 1");

        // the failed run publishes no reject file: the message names the rejects counted before the last one too
        assertThatThrownBy(() -> b.maxRejects(1).build().run()).hasMessage("more than maxRejects=1 records rejected;"
                + " the first: b.csv: line 2 (record 1), column 'amount': 'oops' is not a DECIMAL(38,2); the last:"
                + " b.csv: line 4"
                + " (record 3): expected 2 fields, found 1 (check the delimiter ',' and quoting)");
    }

    /**
     * A reject file said where and why (object, record, line, column, reason) but not what: the record itself had to be
     * dug out of the source by line number. Each reject now carries its input text, multi-line CSV records whole.
     */
    @Test
    void rejectFilesHoldTheRawInputRecord() {
        ObjectStore src = TestIo.store(dir.resolve("rsrc"));
        ObjectStore dst = TestIo.store(dir.resolve("rdst"));
        put(src, "in/a.csv", "id,note,amount\n1,ok,1.00\n2,\"two\nlines, \"\"quoted\"\"\",oops\n3,short\n4,x,123.456\n");
        put(src, "in/b.jsonl", "{\"id\":5,\"note\":\"n\",\"amount\":1}\n{\"id\":\"six\"}\n{broken\n");
        Map<String, String> cast = Map.of("cast.amount", "DECIMAL(4,2)");
        ConversionReport csv = FormatConversion.builder().source(src, "in/*.csv", "csv",
                Map.of("schema", "id:LONG, note:STRING, amount:STRING")).target(dst, "csv", "jsonl", Map.of())
                .mapping(RecordMapping.fromMap(cast)).maxRejects(10).rejectsPrefix("rejects-csv").build().run();
        assertThat(csv.rejected()).isEqualTo(3);
        assertThat(csv.firstRejects()).extracting(Reject::raw).containsExactly(
                "2,\"two\nlines, \"\"quoted\"\"\",oops", "3,short", "4,x,123.456");
        assertThat(csv.firstRejects()).extracting(Reject::record).containsExactly(2L, 3L, 4L);
        List<DataRecord> lines = read(dst, "rejects-csv", "jsonl", null);
        assertThat(lines).extracting(r -> r.get(5)).containsExactly("2,\"two\nlines, \"\"quoted\"\"\",oops",
                "3,short", "4,x,123.456");
        assertThat(new String(readBytes(dst, "rejects-csv/part-00000.jsonl"), StandardCharsets.UTF_8).lines().findFirst()
                .orElseThrow()).isEqualTo("{\"object\":\"in/a.csv\",\"record\":2,\"line\":3,\"column\":\"amount\","
                        + "\"reason\":\"cast failed: 'oops' is not a DECIMAL(4,2)\","
                        + "\"raw\":\"2,\\\"two\\nlines, \\\"\\\"quoted\\\"\\\"\\\",oops\"}");

        ConversionReport jsonl = FormatConversion.builder().source(src, "in/*.jsonl", "jsonl",
                Map.of("schema", "id:LONG, note:STRING, amount:DECIMAL(4,2)")).target(dst, "jl", "csv", Map.of())
                .maxRejects(10).rejectsPrefix("rejects-jsonl").build().run();
        assertThat(jsonl.firstRejects()).extracting(Reject::raw).containsExactly("{\"id\":\"six\"}", "{broken");
    }

    @Test
    void malformedCsvInALaterObjectNamesIt() {
        ObjectStore src = TestIo.store(dir.resolve("src"));
        put(src, "x/1.csv", "id\n1\n");
        put(src, "x/2.csv", "id\n2\n\"3\n");
        assertThatThrownBy(() -> FormatConversion.builder().source(src, "x/*.csv", "csv", Map.of())
                .target(src, "out", "jsonl", Map.of()).maxRejects(100).build().run())
                .isInstanceOfSatisfying(DataError.class, e -> assertThat(e.recoverable()).isFalse())
                .hasMessageStartingWith("x/2.csv: line 3").hasMessageContaining("malformed CSV");
    }

    @Test
    void sampleShowsTheTypeMappingAndConvertedRecordsWithoutWriting() {
        ObjectStore src = TestIo.store(dir.resolve("src"));
        ObjectStore dst = TestIo.store(dir.resolve("dst"));
        put(src, "in/a.csv", CSV_A);
        put(src, "in/b.csv", CSV_B);
        Sample s = FormatConversion.builder().source(src, "in/*.csv", "csv", Map.of())
                .target(dst, "out", "parquet", Map.of("timestampPrecision", "millis"))
                .mapping(RecordMapping.fromMap(Map.of("cast.price", "DECIMAL(9,2)", "rename.id", "order_id")))
                .build().sample(2);
        assertThat(s.records()).hasSize(2);
        assertThat(s.records().get(0).get(3)).as("millisecond precision of the target")
                .isEqualTo(LocalDateTime.of(2024, 1, 2, 3, 4, 5, 123_000_000));
        assertThat(s.typeMapping()).hasSize(5);
        Sample.TypeMappingRow price = s.typeMapping().get(2);
        assertThat(price.sourceType()).isEqualTo("DECIMAL(38,2)");
        assertThat(price.targetType()).isEqualTo("DECIMAL(9,2)");
        assertThat(price.targetFormatType()).isEqualTo("int32 (DECIMAL(9,2))");
        assertThat(price.rule()).isEqualTo("cast");
        assertThat(s.typeMapping().get(0).rule()).isEqualTo("rename");
        assertThat(s.toText()).contains("order_id").contains("int64 (TIMESTAMP(MILLIS,false))").contains("Müller, Hans");
        assertThat(keys(dst, "")).isEmpty();
    }

    private static byte[] readBytes(ObjectStore store, String key) {
        try (var in = store.open(key, dev.caravan.api.store.ByteRange.ALL)) {
            return in.readAllBytes();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
