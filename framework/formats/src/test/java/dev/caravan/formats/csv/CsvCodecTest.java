package dev.caravan.formats.csv;

import static dev.caravan.formats.TestIo.readAll;
import static dev.caravan.formats.TestIo.reader;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import dev.caravan.api.record.Column;
import dev.caravan.api.record.ColumnType;
import dev.caravan.api.record.DataRecord;
import dev.caravan.api.record.Schema;
import dev.caravan.formats.Codecs;
import dev.caravan.formats.DataError;
import dev.caravan.formats.FormatReader;
import dev.caravan.formats.SchemaText;
import dev.caravan.formats.TestIo;
import java.math.BigDecimal;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class CsvCodecTest {

    @Test
    void infersTypesFromASample() {
        String csv = "id,zip,price,ratio,when,day,at,ok,uid,note,ts_tz\n"
                + "1,00123,12.50,1e3,2024-01-02 03:04:05,2024-01-02,10:00,true,123e4567-e89b-12d3-a456-426614174000,hi,2024-01-02T03:04:05+02:00\n"
                + "2,10001,7,2.5,2024-01-03T00:00:00.5,2024-02-29,23:59:59.25,FALSE,123e4567-e89b-12d3-a456-426614174001,,2024-01-02T03:04:05Z\n";
        try (FormatReader r = reader("csv", csv, null, Map.of())) {
            List<Column> cols = r.schema().columns();
            assertThat(cols).extracting(Column::type).containsExactly(ColumnType.LONG, ColumnType.STRING,
                    ColumnType.DECIMAL, ColumnType.DOUBLE, ColumnType.TIMESTAMP, ColumnType.DATE, ColumnType.TIME,
                    ColumnType.BOOLEAN, ColumnType.UUID, ColumnType.STRING, ColumnType.TIMESTAMP_TZ);
            assertThat(cols.get(2).scale()).isEqualTo(2);
            DataRecord first = r.next();
            assertThat(first.values()).containsExactly(1L, "00123", new BigDecimal("12.50"), 1000.0,
                    LocalDateTime.of(2024, 1, 2, 3, 4, 5), LocalDate.of(2024, 1, 2), java.time.LocalTime.of(10, 0), true,
                    UUID.fromString("123e4567-e89b-12d3-a456-426614174000"), "hi",
                    OffsetDateTime.of(2024, 1, 2, 3, 4, 5, 0, ZoneOffset.ofHours(2)));
            DataRecord second = r.next();
            assertThat(second.get(2)).isEqualTo(new BigDecimal("7.00"));
            assertThat(second.get(9)).as("unquoted empty field is NULL").isNull();
            assertThat(r.next()).isNull();
        }
    }

    /** yes/no columns were inferred as STRING while true/false ones were BOOLEAN; PostgreSQL's t/f too. */
    @Test
    void yesNoOnOffAndTheirLettersAreInferredAsBooleans() {
        String csv = "active,flag,power,pg,mixed,answer,code\n"
                + "yes,Y,on,t,true,Yes,y\n"
                + "NO,n,OFF,f,no,no,x\n"
                + ",N,On,T,F,yes,n\n";
        try (FormatReader r = reader("csv", csv, null, Map.of())) {
            assertThat(r.schema().columns()).extracting(Column::type).containsExactly(ColumnType.BOOLEAN,
                    ColumnType.BOOLEAN, ColumnType.BOOLEAN, ColumnType.BOOLEAN, ColumnType.BOOLEAN, ColumnType.BOOLEAN,
                    ColumnType.STRING);
            assertThat(Arrays.asList(r.next().values())).containsExactly(true, true, true, true, true, true, "y");
            assertThat(Arrays.asList(r.next().values())).containsExactly(false, false, false, false, false, false, "x");
            assertThat(Arrays.asList(r.next().values())).containsExactly(null, false, true, true, false, true, "n");
        }
        Schema s = reader("csv", csv, null, Map.of()).schema();
        assertThat(TestIo.text(TestIo.encode("csv", s, List.of(new DataRecord(new Object[] {true, false, true, false,
                true, null, "y"})), Map.of()))).endsWith("\ntrue,false,true,false,true,,y\n");
        // digits stay numbers, words with spaces around stay text, as for true/false
        try (FormatReader r = reader("csv", "a,b,c\n1,\" yes\",yes\n0,no,maybe\n", null, Map.of())) {
            assertThat(r.schema().columns()).extracting(Column::type).containsExactly(ColumnType.LONG,
                    ColumnType.STRING, ColumnType.STRING);
        }
    }

    @Test
    void nullAndEmptyStringSurviveARoundTrip() {
        Schema s = SchemaText.parseSchema("t", "a:STRING, b:STRING");
        List<DataRecord> rows = List.of(new DataRecord(new Object[] {"", null}), new DataRecord(new Object[] {null, ""}));
        byte[] bytes = TestIo.encode("csv", s, rows, Map.of());
        assertThat(TestIo.text(bytes)).isEqualTo("a,b\n\"\",\n,\"\"\n");
        assertThat(readAll(reader("csv", TestIo.text(bytes), s, Map.of()))).isEqualTo(rows);
    }

    /** A one-column NULL is written as an empty line (as PostgreSQL does); reading skipped it: the row was lost. */
    @Test
    void oneColumnNullsSurviveARoundTrip() {
        Schema s = SchemaText.parseSchema("t", "v:STRING");
        List<DataRecord> rows = List.of(new DataRecord(new Object[] {"a"}), new DataRecord(new Object[] {null}),
                new DataRecord(new Object[] {""}), new DataRecord(new Object[] {null}));
        for (String header : List.of("true", "false")) {
            byte[] bytes = TestIo.encode("csv", s, rows, Map.of("header", header));
            assertThat(TestIo.text(bytes)).endsWith("a\n\n\"\"\n\n");
            assertThat(readAll(reader("csv", TestIo.text(bytes), s, Map.of("header", header)))).isEqualTo(rows);
            assertThat(readAll(reader("csv", TestIo.text(bytes), null, Map.of("header", header)))).hasSize(4);
        }
        // with an inferred type too, and with CRLF
        List<DataRecord> ids = readAll(reader("csv", "id\r\n1\r\n\r\n3\r\n", null, Map.of()));
        assertThat(ids).extracting(r -> r.get(0)).containsExactly(1L, null, 3L);
    }

    @Test
    void blankLinesBetweenRecordsOfSeveralColumnsAreSkipped() {
        FormatReader r = reader("csv", "\n\na,b\n1,x\n\n\n2,y\n\n", null, Map.of());
        assertThat(r.schema().columns()).extracting(Column::name).containsExactly("a", "b");
        assertThat(readAll(r)).extracting(rec -> rec.get(0)).containsExactly(1L, 2L);
        FormatReader bad = reader("csv", "a,b\n\n1,x\n2,\"y\n", null, Map.of("inferSample", "1"));
        assertThat(bad.next().get(0)).isEqualTo(1L);
        assertThatThrownBy(bad::next).hasMessageStartingWith("data.csv: line 4 (record 2)");
        bad.close();
    }

    @Test
    void customDelimiterQuoteEscapeNullStringAndNoHeader() {
        Schema s = SchemaText.parseSchema("t", "name:STRING, n:INT, \\N:STRING");
        Map<String, String> opts = Map.of("delimiter", "tab", "quote", "'", "escape", "\\\\", "nullString", "\\N",
                "header", "false", "lineSeparator", "crlf");
        List<DataRecord> rows = List.of(new DataRecord(new Object[] {"it's\ta 'test'", 5, "\\N"}),
                new DataRecord(new Object[] {null, null, "back\\slash"}));
        byte[] bytes = TestIo.encode("csv", s, rows, opts);
        String text = TestIo.text(bytes);
        assertThat(text).doesNotContain("name").contains("\r\n").contains("\\N\t\\N\t");
        assertThat(readAll(reader("csv", text, s, opts))).isEqualTo(rows);
    }

    @Test
    void readsOtherCharsetsAndSkipsTheByteOrderMark() {
        Schema s = SchemaText.parseSchema("t", "name:STRING");
        List<DataRecord> rows = List.of(new DataRecord(new Object[] {"Müller façade"}));
        byte[] latin = TestIo.encode("csv", s, rows, Map.of("charset", "ISO-8859-1"));
        assertThat(latin).hasSize("name\nMüller façade\n".length());
        assertThat(readAll(Codecs.get("csv").decoder(TestIo.source("l.csv", latin), s,
                TestIo.config("csv", Map.of("charset", "ISO-8859-1"))))).isEqualTo(rows);
        assertThat(readAll(reader("csv", "\uFEFFname\nx\n", null, Map.of())).get(0).get(0)).isEqualTo("x");
        assertThat(Charset.forName("ISO-8859-1").newEncoder().canEncode("東京")).isFalse();
        assertThatThrownBy(() -> TestIo.encode("csv", s, List.of(new DataRecord(new Object[] {"東京"})),
                Map.of("charset", "ISO-8859-1"))).isInstanceOf(MigrationException.class)
                .extracting(e -> ((MigrationException) e).kind()).isEqualTo(ErrorKind.USER_DATA);
    }

    /** The tester's file: the bad byte is on line 39 (record 38); every charset error said "line 1 (record 1)". */
    @Test
    void undecodableBytesAreReportedAtTheirLineAndRecord() {
        StringBuilder sb = new StringBuilder("id;Name;name;;amount\r\n");
        for (int i = 3; i < 40; i++) {
            sb.append(i).append(";a;b;c;").append(String.format("%03d", i)).append("\r\n");
        }
        byte[] bytes = (sb + "99;ok;;;x\u00ff\r\n").getBytes(StandardCharsets.ISO_8859_1); // ÿ: not UTF-8
        Map<String, String> opts = Map.of("delimiter", ";");
        // inferred types: the error comes while the sample is read, before any record is handed over
        assertThatThrownBy(() -> readAll(Codecs.get("csv").decoder(TestIo.source("a.csv", bytes), null,
                TestIo.config("csv", opts)))).isInstanceOf(DataError.class)
                .hasMessageStartingWith("a.csv: line 39 (record 38): the bytes are not valid text");
        Schema s = SchemaText.parseSchema("t", "id:INT, Name:STRING, name:STRING, column4:STRING, amount:STRING");
        FormatReader r = Codecs.get("csv").decoder(TestIo.source("a.csv", bytes), s, TestIo.config("csv", opts));
        for (int i = 0; i < 37; i++) {
            assertThat(r.next()).isNotNull();
        }
        assertThatThrownBy(r::next).isInstanceOf(DataError.class).hasMessageContaining("line 39 (record 38)");
        r.close();
    }

    @Test
    void undecodableBytesFarIntoAFileAreReportedAtTheirLine() {
        StringBuilder sb = new StringBuilder("n\n");
        for (int i = 1; i <= 5000; i++) {
            sb.append("é").append(i).append('\n');
        }
        byte[] head = sb.toString().getBytes(StandardCharsets.UTF_8);
        byte[] bytes = java.util.Arrays.copyOf(head, head.length + 3);
        bytes[head.length] = 'z';
        bytes[head.length + 1] = (byte) 0xc3; // a two-byte character cut short by the newline
        bytes[head.length + 2] = '\n';
        assertThatThrownBy(() -> readAll(Codecs.get("csv").decoder(TestIo.source("big.csv", bytes), null,
                TestIo.config("csv", Map.of("inferSample", "10"))))).isInstanceOf(DataError.class)
                .hasMessageStartingWith("big.csv: line 5002 (record 5001): the bytes are not valid text");
    }

    /** "a,a,a_2" made two columns 'a_2': the run failed with "the mapping gives two target columns the name 'a_2'". */
    @Test
    void blankAndDuplicateHeaderNamesBecomeNamesNoOtherColumnHas() {
        FormatReader r = reader("csv", "a,a,a_2,,column4,a\n1,2,3,4,5,6\n", null, Map.of());
        assertThat(r.schema().columns()).extracting(Column::name)
                .containsExactly("a", "a_3", "a_2", "column4_2", "column4", "a_4");
        assertThat(r.next().values()).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
        r.close();
    }

    @Test
    void aGivenSchemaMatchesHeaderNamesInAnyOrder() {
        Schema s = SchemaText.parseSchema("t", "b:INT, a:STRING");
        List<DataRecord> rows = readAll(reader("csv", "a,b,extra\nx,1,ignored\n", s, Map.of("unknownColumns", "ignore")));
        assertThat(rows.get(0).values()).containsExactly(1, "x");
        assertThatThrownBy(() -> reader("csv", "a,b,extra\nx,1,ignored\n", s, Map.of())).isInstanceOf(DataError.class)
                .hasMessageContaining("header column 'extra' is not in the schema [b, a]");
        assertThatThrownBy(() -> reader("csv", "a,c\nx,1\n", s, Map.of())).isInstanceOf(DataError.class)
                .hasMessageContaining("column 'b' of the schema is not in the header");
    }

    @Test
    void malformedQuotingNamesTheObjectAndLine() {
        String csv = "id,name\n1,ok\n2,\"broken\"x\n3,fine\n";
        FormatReader r = reader("csv", csv, null, Map.of("inferSample", "1"));
        assertThat(r.next().get(1)).isEqualTo("ok");
        assertThatThrownBy(r::next).isInstanceOfSatisfying(DataError.class, e -> {
            assertThat(e.kind()).isEqualTo(ErrorKind.USER_DATA);
            assertThat(e.recoverable()).isFalse();
            assertThat(e.getMessage()).startsWith("data.csv: line 3").contains("malformed CSV");
        });
        r.close();
    }

    /** A quote never closed was reported at the end of the file ("line 6 (record 2) ... (startline 3)"). */
    @Test
    void aQuoteNeverClosedIsReportedAtTheLineAndRecordWhereItOpens() {
        FormatReader r = reader("csv", "id,name\n1,ok\n2,\"never closed\n3,x\n4,y\n", null, Map.of("inferSample", "1"));
        assertThat(r.next().get(1)).isEqualTo("ok");
        assertThatThrownBy(r::next).isInstanceOfSatisfying(DataError.class, e -> {
            assertThat(e.recoverable()).isFalse();
            assertThat(e.line()).isEqualTo(3);
            assertThat(e.record()).isEqualTo(2);
            assertThat(e.getMessage()).isEqualTo("data.csv: line 3 (record 2): malformed CSV: the quote that opens at"
                    + " column 3 is never closed (the input ends inside it)");
        });
        r.close();
        // the record starts on line 2, its first quoted field is closed on line 3, the second opens on line 3
        assertThatThrownBy(() -> readAll(reader("csv", "id,name\n1,\"a\nb\",\"c\nd\n3,x\n", null, Map.of())))
                .hasMessage("data.csv: line 3 (record 1): malformed CSV: the quote that opens at column 4 is never"
                        + " closed (the input ends inside it)");
    }

    /** Commons CSV dropped a space after a closing quote: "abc" ,x was read as abc, without a word. */
    @Test
    void aSpaceAfterAClosingQuoteIsRefusedNamingLineAndColumnNotDropped() {
        FormatReader r = reader("csv", "a,b\n\"ok \",x\n\"abc\" ,x\n", null, Map.of("inferSample", "1"));
        assertThat(r.next().values()).containsExactly("ok ", "x");
        assertThatThrownBy(r::next).isInstanceOfSatisfying(DataError.class, e -> {
            assertThat(e.recoverable()).isFalse();
            assertThat(e.getMessage()).isEqualTo("data.csv: line 3 (record 2): malformed CSV: column 6: a space after"
                    + " the closing quote of the field that opens at column 1: only the delimiter ',' or a line break"
                    + " may follow it (RFC 4180); put it inside the quotes, or remove it");
        });
        r.close();
        assertThatThrownBy(() -> readAll(reader("csv", "a;b\n1;\"x\ny\"\t;z\n", null, Map.of("delimiter", ";"))))
                .hasMessage("data.csv: line 3 (record 1): malformed CSV: column 3: a tab after the closing quote of the"
                        + " field that opens at line 2, column 3: only the delimiter ';' or a line break may follow it"
                        + " (RFC 4180); put it inside the quotes, or remove it");
    }

    /** quote=none without an escape failed to open ("Quote mode set to NONE but no escape character is set"). */
    @Test
    void withoutQuotingQuotesAreTextAndAnEscapeEqualToTheQuoteIsRefused() {
        assertThat(readAll(reader("csv", "a,b\n\"x,y\" \n", null, Map.of("quote", "none"))).get(0).values())
                .containsExactly("\"x", "y\" ");
        assertThatThrownBy(() -> reader("csv", "a\n1\n", null, Map.of("escape", "\"")))
                .isInstanceOfSatisfying(MigrationException.class, e -> assertThat(e.kind())
                        .isEqualTo(ErrorKind.USER_CONFIG)).hasMessageContaining("escape character must differ from the quote");
    }

    @Test
    void aBadValueNamesLineRecordAndColumnAndTheReaderGoesOn() {
        Schema s = SchemaText.parseSchema("t", "id:LONG, price:DECIMAL(6,2), day:DATE");
        FormatReader r = reader("csv", "id,price,day\n1,1.50,2024-01-01\n2,abc,2024-01-02\n3,12345.678,2024-01-03\n"
                + "4,1.00\n5,2.00,2024-13-01\n6,3.00,2024-01-06\n", s, Map.of());
        assertThat(r.next().get(0)).isEqualTo(1L);
        assertThatThrownBy(r::next).hasMessage("data.csv: line 3 (record 2), column 'price': 'abc' is not a DECIMAL(6,2)");
        assertThatThrownBy(r::next).hasMessageContaining("line 4 (record 3), column 'price'")
                .hasMessageContaining("more than 2 digits after the decimal point");
        assertThatThrownBy(r::next).hasMessageContaining("line 5 (record 4): expected 3 fields, found 2");
        assertThatThrownBy(r::next).hasMessageContaining("line 6 (record 5), column 'day': '2024-13-01' is not a DATE");
        assertThat(r.next().get(0)).isEqualTo(6L);
        assertThat(r.next()).isNull();
        assertThat(r.position()).isEqualTo(6);
        r.close();
    }

    @Test
    void inferredTypeTooNarrowForALaterValueSaysHowToFixIt() {
        FormatReader r = reader("csv", "n\n1\n2\nthree\n", null, Map.of("inferSample", "2"));
        r.next();
        r.next();
        assertThatThrownBy(r::next).hasMessageContaining("column 'n': 'three' is not a LONG")
                .hasMessageContaining("give the column's type with the schema option");
        r.close();
    }

    @Test
    void notNullColumnsRefuseNulls() {
        Schema s = SchemaText.parseSchema("t", "id:LONG NOT NULL");
        assertThatThrownBy(() -> readAll(reader("csv", "id\n\n1\n,\n", s, Map.of("header", "true"))))
                .isInstanceOf(DataError.class);
        FormatReader r = reader("csv", "id,x\n,1\n", SchemaText.parseSchema("t", "id:LONG NOT NULL, x:INT"), Map.of());
        assertThatThrownBy(r::next).hasMessageContaining("column 'id': NULL in a NOT NULL column");
        r.close();
    }

    @Test
    void noInferenceReadsStrings() {
        FormatReader r = reader("csv", "1,2\n3,4\n", null, Map.of("header", "false", "inferTypes", "false"));
        assertThat(r.schema().columns()).extracting(Column::name).containsExactly("column1", "column2");
        assertThat(r.schema().columns()).extracting(Column::type).containsOnly(ColumnType.STRING);
        assertThat(Arrays.asList(r.next().values())).containsExactly("1", "2");
        r.close();
    }

    @Test
    void quoteAllAndHexBinary() {
        Schema s = SchemaText.parseSchema("t", "n:INT, b:BYTES");
        byte[] bytes = TestIo.encode("csv", s, List.of(new DataRecord(new Object[] {1, new byte[] {(byte) 0xCA, (byte) 0xFE}})),
                Map.of("quoteMode", "all", "binaryEncoding", "hex"));
        assertThat(TestIo.text(bytes)).isEqualTo("\"n\",\"b\"\n\"1\",\"cafe\"\n");
    }

    @Test
    void badOptionsFailAtConfigurationTime() {
        assertThatThrownBy(() -> TestIo.config("csv", Map.of("delimiter", ";;")))
                .hasMessageContaining("delimiter").isInstanceOf(MigrationException.class);
        assertThatThrownBy(() -> TestIo.config("csv", Map.of("charset", "NOPE-1")))
                .hasMessageContaining("unknown charset");
        assertThatThrownBy(() -> TestIo.config("csv", Map.of("schema", "a:WHAT")))
                .hasMessageContaining("unknown column type 'WHAT'");
        assertThatThrownBy(() -> TestIo.config("csv", Map.of("delimter", ",")))
                .hasMessageContaining("unknown option 'delimter'");
    }
}
