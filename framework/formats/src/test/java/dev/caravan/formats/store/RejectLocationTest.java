package dev.caravan.formats.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.api.store.ObjectStore;
import dev.caravan.api.store.PutRequest;
import dev.caravan.formats.TestIo;
import dev.caravan.formats.mapping.RecordMapping;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each reject names the most precise location its source has: the line (and record) of a CSV or JSON Lines record,
 * the record number of an Avro or Parquet record, never a line 0. A record refused by the mapping (a cast) or by the
 * target format's writer was reported at line 0, and the reject file said {@code "line":0} for Avro and Parquet.
 */
class RejectLocationTest {
    private static final String CSV = "id,note,amount\n1,ok,1.00\n2,\"two\nlines\",oops\n3,x,1\n4,\u20ac,2\n";

    @TempDir
    Path dir;

    private static void put(ObjectStore store, String key, String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        store.put(key, new ByteArrayInputStream(b), PutRequest.ofSize(b.length));
    }

    private static String text(ObjectStore store, String key) {
        try (InputStream in = store.open(key, dev.caravan.api.store.ByteRange.ALL)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static FormatConversion.Builder castAmount(ObjectStore src, String glob, String format,
            Map<String, String> sourceOptions, ObjectStore dst, Map<String, String> targetOptions) {
        return FormatConversion.builder().source(src, glob, format, sourceOptions)
                .target(dst, "out", "csv", targetOptions)
                .mapping(RecordMapping.fromMap(Map.of("cast.amount", "DECIMAL(4,2)"))).maxRejects(10);
    }

    @Test
    void aCastOrWriterRefusalOfATextRecordNamesItsLine() {
        ObjectStore src = TestIo.store(dir.resolve("src"));
        ObjectStore dst = TestIo.store(dir.resolve("dst"));
        put(src, "in/a.csv", CSV);
        ConversionReport r = castAmount(src, "in/*.csv", "csv", Map.of("schema", "id:LONG, note:STRING, amount:STRING"),
                dst, Map.of("charset", "ISO-8859-1")).rejectsPrefix("rejects").build().run();

        assertThat(r.firstRejects()).extracting(Reject::record, Reject::line, Reject::column).containsExactly(
                org.assertj.core.groups.Tuple.tuple(2L, 3L, "amount"),
                org.assertj.core.groups.Tuple.tuple(4L, 6L, "note"));
        assertThat(text(dst, "rejects/part-00000.jsonl")).contains("\"object\":\"in/a.csv\",\"record\":2,\"line\":3,",
                "\"object\":\"in/a.csv\",\"record\":4,\"line\":6,");

        put(src, "in/b.jsonl", "{\"id\":1,\"amount\":\"1\"}\n\n{\"id\":2,\"amount\":\"bad\"}\n");
        ConversionReport jsonl = castAmount(src, "in/*.jsonl", "jsonl", Map.of("schema", "id:LONG, amount:STRING"),
                dst, Map.of()).build().run();
        assertThat(jsonl.firstRejects()).extracting(Reject::record, Reject::line).containsExactly(
                org.assertj.core.groups.Tuple.tuple(2L, 3L));
    }

    @Test
    void aRejectOfABinaryFormatNamesItsRecordAndNoLine() {
        ObjectStore src = TestIo.store(dir.resolve("src"));
        ObjectStore dst = TestIo.store(dir.resolve("dst"));
        put(src, "in/a.csv", CSV.replace("\u20ac", "e"));
        for (String format : new String[] {"avro", "parquet"}) {
            FormatConversion.builder().source(src, "in/*.csv", "csv", Map.of("schema",
                    "id:LONG, note:STRING, amount:STRING")).target(src, format, format, Map.of()).build().run();

            ConversionReport r = castAmount(src, format + "/*." + format, format, Map.of(), dst, Map.of())
                    .rejectsPrefix("rejects-" + format).build().run();

            assertThat(r.firstRejects()).as(format).extracting(Reject::record).containsExactly(2L);
            assertThat(text(dst, "rejects-" + format + "/part-00000.jsonl")).as(format)
                    .contains("\"record\":2,\"line\":null,").doesNotContain("\"line\":0");
        }
    }

    @Test
    void aSampleNamesTheLineOfWhatItWouldReject() {
        ObjectStore src = TestIo.store(dir.resolve("src"));
        ObjectStore dst = TestIo.store(dir.resolve("dst"));
        put(src, "in/a.csv", CSV);
        Sample s = castAmount(src, "in/*.csv", "csv", Map.of("schema", "id:LONG, note:STRING, amount:STRING"), dst,
                Map.of("charset", "ISO-8859-1")).build().sample(10);

        assertThat(s.rejects()).extracting(Reject::object, Reject::record, Reject::line).containsExactly(
                org.assertj.core.groups.Tuple.tuple("in/a.csv", 2L, 3L),
                org.assertj.core.groups.Tuple.tuple("in/a.csv", 4L, 6L));
    }
}
