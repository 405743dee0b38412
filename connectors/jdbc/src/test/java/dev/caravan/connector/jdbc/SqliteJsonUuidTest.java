package dev.caravan.connector.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.api.journal.Checkpoint;
import dev.caravan.api.record.Column;
import dev.caravan.api.record.ColumnType;
import dev.caravan.api.record.DataRecord;
import dev.caravan.api.record.RecordBatch;
import dev.caravan.api.record.RecordReader;
import dev.caravan.api.record.RecordSink;
import dev.caravan.api.record.RecordSource;
import dev.caravan.api.record.RecordWriter;
import dev.caravan.api.record.Schema;
import dev.caravan.api.record.Split;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SQLite JSON and UUID columns: created as {@code JSON} and {@code UUID}, names SQLite gives NUMERIC affinity, they
 * stored the JSON text {@code 1.0} as the real 1.0 and {@code 1e3} as 1000.0, so the documents came back changed.
 * They are created with TEXT affinity and still read back as JSON and UUID; a table an older Caravan created still
 * reads.
 */
class SqliteJsonUuidTest {
    private static final Schema SCHEMA = new Schema("docs", List.of(new Column("id", ColumnType.LONG, null, 0, 0,
            false), new Column("doc", ColumnType.JSON, null, 0, 0, true), new Column("u", ColumnType.UUID, null, 0, 0,
                    true)), List.of("id"));

    @TempDir
    Path dir;

    @Test
    void jsonAndUuidTextComesBackAsItWasWritten() throws Exception {
        TestDb db = TestDb.sqlite(dir, "docs");
        String uuid = UUID.randomUUID().toString();
        List<DataRecord> rows = List.of(row(1, "1.0", uuid), row(2, "1e3", null), row(3, "007", null),
                row(4, "12345678901234567890", null), row(5, "{\"a\": 1.50}", uuid), row(6, null, null));
        RecordSink sink = new JdbcRecordProvider().openSink(db.location(), TestDb.config(Map.of("table", "docs")));
        try (RecordWriter w = sink.open(SCHEMA, Split.whole())) {
            w.write(new RecordBatch(rows, "6"));
            assertThat(w.commit().rowsRejected()).isZero();
        } finally {
            sink.close();
        }

        assertThat(db.column("SELECT typeof(doc) || ' ' || typeof(u) FROM docs ORDER BY id")).containsExactly(
                "text text", "text null", "text null", "text null", "text text", "null null");
        db.exec("INSERT INTO docs (id, u) VALUES (7, '1e3')");
        assertThat(db.column("SELECT typeof(u) FROM docs WHERE id = 7")).as("UUID has TEXT affinity too")
                .containsExactly("text");
        db.exec("DELETE FROM docs WHERE id = 7");

        Read back = read(db, "docs");
        assertThat(back.schema().columns()).extracting(Column::type).containsExactly(ColumnType.LONG,
                ColumnType.JSON, ColumnType.UUID);
        assertThat(back.rows()).containsExactlyElementsOf(rows.stream().map(r -> Arrays.asList(r.values())).toList());
    }

    /**
     * A table an older Caravan created (JSON and UUID of NUMERIC affinity) reads as before: JSON and UUID columns, the
     * values as SQLite stored them (the text 1.0 became the integer 1 on the way in).
     */
    @Test
    void aJsonColumnOfNumericAffinityStillReads() throws Exception {
        TestDb db = TestDb.sqlite(dir, "old");
        String uuid = UUID.randomUUID().toString();
        db.exec("CREATE TABLE docs (id INTEGER NOT NULL PRIMARY KEY, doc JSON, u UUID)",
                "INSERT INTO docs VALUES (1, '{\"a\": 1}', '" + uuid + "'), (2, '1.0', NULL), (3, '10', NULL)");

        Read back = read(db, "docs");

        assertThat(back.schema().columns()).extracting(Column::type).containsExactly(ColumnType.LONG,
                ColumnType.JSON, ColumnType.UUID);
        assertThat(back.rows()).containsExactly(Arrays.asList(1L, "{\"a\": 1}", uuid), Arrays.asList(2L, "1", null),
                Arrays.asList(3L, "10", null));
    }

    private record Read(Schema schema, List<List<Object>> rows) {
    }

    private static Read read(TestDb db, String table) {
        RecordSource source = new JdbcRecordProvider().openSource(db.location(), TestDb.config(Map.of("table",
                table)));
        try (source) {
            List<List<Object>> rows = new ArrayList<>();
            try (RecordReader r = source.open(Split.whole(), Checkpoint.EMPTY)) {
                Optional<RecordBatch> b;
                while ((b = r.nextBatch()).isPresent()) {
                    b.get().records().forEach(rec -> rows.add(Arrays.asList(rec.values())));
                }
            }
            return new Read(source.schema(), rows);
        }
    }

    private static DataRecord row(long id, String doc, String uuid) {
        return new DataRecord(new Object[] {id, doc, uuid});
    }
}
