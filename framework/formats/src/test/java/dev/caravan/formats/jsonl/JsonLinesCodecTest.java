package dev.caravan.formats.jsonl;

import static dev.caravan.formats.TestIo.readAll;
import static dev.caravan.formats.TestIo.reader;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.record.Column;
import dev.caravan.api.record.ColumnType;
import dev.caravan.api.record.DataRecord;
import dev.caravan.api.record.RecordBatch;
import dev.caravan.api.record.Schema;
import dev.caravan.formats.DataError;
import dev.caravan.formats.FormatReader;
import dev.caravan.formats.SchemaText;
import dev.caravan.formats.TestIo;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class JsonLinesCodecTest {

    @Test
    void infersTypesAndKeepsNestedValuesAsJson() {
        String text = "{\"id\":1,\"name\":\"a\",\"price\":1.50,\"tags\":[\"x\",\"y\"],\"meta\":{\"k\":1},\"day\":\"2024-01-02\",\"big\":12345678901234567890123}\n"
                + "\n"
                + "{\"id\":2,\"name\":null,\"price\":2,\"tags\":[],\"meta\":null,\"day\":\"2024-01-03\",\"extra\":true}\n";
        try (FormatReader r = reader("jsonl", text, null, Map.of())) {
            assertThat(r.schema().columns()).extracting(Column::name)
                    .containsExactly("id", "name", "price", "tags", "meta", "day", "big", "extra");
            assertThat(r.schema().columns()).extracting(Column::type).containsExactly(ColumnType.LONG,
                    ColumnType.STRING, ColumnType.DECIMAL, ColumnType.JSON, ColumnType.JSON, ColumnType.DATE,
                    ColumnType.DECIMAL, ColumnType.BOOLEAN);
            DataRecord first = r.next();
            assertThat(first.values()).containsExactly(1L, "a", new BigDecimal("1.50"), "[\"x\",\"y\"]", "{\"k\":1}",
                    LocalDate.of(2024, 1, 2), new BigDecimal("12345678901234567890123"), null);
            DataRecord second = r.next();
            assertThat(second.get(2)).isEqualTo(new BigDecimal("2.00"));
            assertThat(second.get(1)).isNull();
            assertThat(second.get(7)).isEqualTo(true);
            assertThat(r.next()).isNull();
        }
    }

    @Test
    void aSchemaTypesNestedAndQuotedValues() {
        Schema s = SchemaText.parseSchema("t", "id:INT, doc:JSON, n:LONG, d:DECIMAL(5,1), s:STRING");
        List<DataRecord> rows = readAll(reader("jsonl",
                "{\"id\":\"7\",\"doc\":{\"a\":[1,{\"b\":null}]},\"n\":\"42\",\"d\":\"3.5\",\"s\":{\"o\":1}}\n", s, Map.of()));
        assertThat(rows.get(0).values()).containsExactly(7, "{\"a\":[1,{\"b\":null}]}", 42L, new BigDecimal("3.5"), "{\"o\":1}");
    }

    @Test
    void badLinesAreRecoverableAndNameTheLine() {
        String text = "{\"id\":1}\n{\"id\": 2,,}\n[1,2]\n{\"id\":\"x\"}\n{\"id\":5,\"other\":1}\n{\"id\":6}\n";
        FormatReader r = reader("jsonl", text, SchemaText.parseSchema("t", "id:LONG"), Map.of());
        assertThat(r.next().get(0)).isEqualTo(1L);
        assertThatThrownBy(r::next).isInstanceOfSatisfying(DataError.class, e -> {
            assertThat(e.kind()).isEqualTo(ErrorKind.USER_DATA);
            assertThat(e.recoverable()).isTrue();
            assertThat(e.getMessage()).startsWith("data.jsonl: line 2 (record 2): invalid JSON");
        });
        assertThatThrownBy(r::next).hasMessageContaining("line 3 (record 3): the line is not a JSON object");
        assertThatThrownBy(r::next).hasMessage("data.jsonl: line 4 (record 4), column 'id': 'x' is not a LONG");
        assertThatThrownBy(r::next).hasMessageContaining("line 5 (record 5), column 'other': field is not a column");
        assertThat(r.next().get(0)).isEqualTo(6L);
        assertThat(r.next()).isNull();
        r.close();
    }

    /** A file saved with a byte-order mark failed at its first line ("invalid JSON: Unexpected character"). */
    @Test
    void aByteOrderMarkIsSkipped() {
        List<DataRecord> rows = readAll(reader("jsonl", "\uFEFF{\"id\":1}\r\n{\"id\":2}\r\n", null, Map.of()));
        assertThat(rows).extracting(x -> x.get(0)).containsExactly(1L, 2L);
    }

    /** {"s":"a","s":"b"} was read as {"s":"b"}: the first value was dropped without a word. */
    @Test
    void aDuplicateFieldIsARejectedRecordNotASilentlyDroppedValue() {
        FormatReader r = reader("jsonl", "{\"id\":1,\"s\":\"a\",\"s\":\"b\"}\n{\"id\":2,\"j\":{\"k\":1,\"k\":2}}\n"
                + "{\"id\":3,\"s\":\"c\"}\n", SchemaText.parseSchema("t", "id:LONG, s:STRING, j:JSON"), Map.of());
        assertThatThrownBy(r::next).isInstanceOfSatisfying(DataError.class, e -> assertThat(e.recoverable()).isTrue())
                .hasMessageStartingWith("data.jsonl: line 1 (record 1): invalid JSON: duplicate field 's'");
        assertThatThrownBy(r::next).hasMessageStartingWith("data.jsonl: line 2 (record 2): invalid JSON: duplicate field 'k'");
        assertThat(r.next().get(1)).isEqualTo("c");
        r.close();
    }

    /**
     * "\\ud800" alone is no character: written to Parquet, Avro or UTF-8 text it silently became '?'. Refused when read.
     */
    @Test
    void anUnpairedSurrogateEscapeIsARejectedRecord() {
        FormatReader r = reader("jsonl", "{\"s\":\"a\\ud800b\"}\n{\"s\":{\"k\":\"\\udc00\"}}\n{\"s\":\"\\ud83d\\ude00\"}\n",
                SchemaText.parseSchema("t", "s:STRING"), Map.of());
        assertThatThrownBy(r::next).isInstanceOfSatisfying(DataError.class, e -> assertThat(e.recoverable()).isTrue())
                .hasMessage("data.jsonl: line 1 (record 1), column 's': the text holds half of a UTF-16 surrogate pair"
                        + " (\\ud800) at character 2, which no Unicode encoding can write");
        assertThatThrownBy(r::next).hasMessageContaining("line 2 (record 2), column 's'").hasMessageContaining("\\udc00");
        assertThat(r.next().get(0)).isEqualTo("\uD83D\uDE00");
        r.close();
    }

    /** Fields were matched exactly only: with unknownFields=ignore, {"id":1} under a schema 'ID' gave NULL silently. */
    @Test
    void fieldsMatchSchemaColumnsCaseInsensitivelyAsAFallback() {
        Schema s = SchemaText.parseSchema("t", "ID:LONG, name:STRING");
        FormatReader r = reader("jsonl", "{\"id\":1,\"Name\":\"a\"}\n{\"ID\":2,\"id\":3}\n{\"ID\":4,\"name\":\"d\"}\n", s,
                Map.of("unknownFields", "ignore"));
        assertThat(r.next().values()).containsExactly(1L, "a");
        assertThatThrownBy(r::next).isInstanceOf(DataError.class)
                .hasMessage("data.jsonl: line 2 (record 2), column 'ID': the fields 'ID' and 'id' both give this column");
        assertThat(r.next().values()).containsExactly(4L, "d");
        r.close();
    }

    @Test
    void undecodableBytesAreReportedAtTheirLineAndRecord() {
        StringBuilder sb = new StringBuilder("\n"); // a blank line is no record
        for (int i = 1; i <= 2000; i++) {
            sb.append("{\"id\":").append(i).append(",\"s\":\"é\"}\n");
        }
        byte[] good = sb.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] bytes = java.util.Arrays.copyOf(good, good.length + 3);
        bytes[good.length] = '{';
        bytes[good.length + 1] = (byte) 0xff;
        bytes[good.length + 2] = '}';
        assertThatThrownBy(() -> readAll(dev.caravan.formats.Codecs.get("jsonl").decoder(
                TestIo.source("e.jsonl", bytes), null, TestIo.config("jsonl", Map.of()))))
                .isInstanceOf(DataError.class)
                .hasMessageStartingWith("e.jsonl: line 2002 (record 2001): the bytes are not valid text");
    }

    @Test
    void batchesHandOverGoodRecordsBeforeTheError() {
        FormatReader r = reader("jsonl", "{\"a\":1}\n{\"a\":2}\nnot json\n{\"a\":4}\n", SchemaText.parseSchema("t", "a:LONG"),
                Map.of());
        Optional<RecordBatch> first = r.nextBatch();
        assertThat(first.orElseThrow().records()).hasSize(2);
        assertThat(r.checkpoint().get("jsonl.record")).isEqualTo("2");
        assertThatThrownBy(r::nextBatch).isInstanceOf(DataError.class).hasMessageContaining("line 3");
        assertThat(r.nextBatch().orElseThrow().records()).extracting(x -> x.get(0)).containsExactly(4L);
        assertThat(r.checkpoint().get("jsonl.record")).isEqualTo("4");
        assertThat(r.nextBatch()).isEmpty();
        r.close();
    }

    @Test
    void unknownFieldsCanBeIgnoredAndJsonColumnsWrittenAsStrings() {
        Schema s = SchemaText.parseSchema("t", "id:LONG, doc:JSON");
        assertThat(readAll(reader("jsonl", "{\"id\":1,\"zzz\":2}\n", s, Map.of("unknownFields", "ignore"))).get(0).get(0))
                .isEqualTo(1L);
        List<DataRecord> rows = List.of(new DataRecord(new Object[] {1L, "{\"a\":1}"}));
        String nested = TestIo.text(TestIo.encode("jsonl", s, rows, Map.of()));
        String string = TestIo.text(TestIo.encode("jsonl", s, rows, Map.of("jsonColumns", "string")));
        assertThat(nested).isEqualTo("{\"id\":1,\"doc\":{\"a\":1}}\n");
        assertThat(string).isEqualTo("{\"id\":1,\"doc\":\"{\\\"a\\\":1}\"}\n");
        assertThat(readAll(reader("jsonl", string, s, Map.of("jsonColumns", "string")))).isEqualTo(rows);
    }

    /** Nested into the line, {"a":1,"a":2} (legal in a PostgreSQL json column) was written as {"a":2}. */
    @Test
    void jsonTextGivingAFieldTwiceIsARejectedRecordNotASilentlyDroppedValue() {
        Schema s = SchemaText.parseSchema("t", "doc:JSON");
        List<DataRecord> dup = List.of(new DataRecord(new Object[] {"{\"a\":1,\"a\":2}"}));
        assertThatThrownBy(() -> TestIo.encode("jsonl", s, dup, Map.of()))
                .isInstanceOfSatisfying(DataError.class, e -> assertThat(e.recoverable()).isTrue())
                .hasMessageContaining("record 1, column 'doc': not valid JSON text: duplicate field 'a'");
        assertThat(TestIo.text(TestIo.encode("jsonl", s, dup, Map.of("jsonColumns", "string"))))
                .as("kept as it is in a string").isEqualTo("{\"doc\":\"{\\\"a\\\":1,\\\"a\\\":2}\"}\n");
    }

    @Test
    void invalidJsonTextInAJsonColumnIsARejectedRecord() {
        Schema s = SchemaText.parseSchema("t", "doc:JSON");
        assertThatThrownBy(() -> TestIo.encode("jsonl", s, List.of(new DataRecord(new Object[] {"{oops"})), Map.of()))
                .isInstanceOfSatisfying(DataError.class, e -> assertThat(e.recoverable()).isTrue())
                .hasMessageContaining("record 1, column 'doc': not valid JSON text");
    }
}
