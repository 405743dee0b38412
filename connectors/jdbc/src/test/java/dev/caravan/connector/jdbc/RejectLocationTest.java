package dev.caravan.connector.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.api.journal.RunOutcome;
import dev.caravan.api.record.Column;
import dev.caravan.api.record.ColumnType;
import dev.caravan.api.record.DataRecord;
import dev.caravan.api.record.RecordBatch;
import dev.caravan.api.record.RecordLocations;
import dev.caravan.api.record.RecordSink;
import dev.caravan.api.record.RecordWriter;
import dev.caravan.api.record.Schema;
import dev.caravan.api.record.Split;
import dev.caravan.core.records.RecordMigrationResult;
import dev.caravan.core.records.TableMigrationSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A refused row is named in the reject file by the most precise location its source has: the key when the table
 * has one; the row's ordinal in the read of a keyless table; the line or record number of a record read from a file
 * (carried by the batch's {@link RecordLocations}).
 */
class RejectLocationTest {
    @TempDir
    Path dir;

    @Test
    void aRowOfAKeylessTableIsNamedByItsOrdinal() throws Exception {
        TestDb source = TestDb.sqlite(dir, "events");
        source.exec("CREATE TABLE events (name TEXT, qty INTEGER)",
                "INSERT INTO events VALUES ('a', 1), ('b', 2), ('c', -3), ('d', 4)");
        TestDb target = TestDb.h2(dir, "target");
        target.exec("CREATE TABLE \"events\" (\"name\" VARCHAR(10), \"qty\" BIGINT CHECK (\"qty\" > 0))");
        Path rejects = dir.resolve("rejects.jsonl");
        TableMigrationSpec spec = TableMigrationSpec.builder(source.uri(), target.uri())
                .targetOptions(Map.of("rejectFile", rejects.toString())).verify(TableMigrationSpec.Verify.NONE)
                .build();

        RecordMigrationResult r = EngineSupport.run(dir, spec);

        assertThat(r.outcome()).as(EngineSupport.describe(r)).isEqualTo(RunOutcome.COMPLETE);
        assertThat(r.rejected()).isEqualTo(1);
        assertThat(Files.readAllLines(rejects)).singleElement().asString()
                .startsWith("{\"table\":\"events\",\"key\":null,\"location\":\"row 3\",")
                .contains("\"qty\":-3");
    }

    @Test
    void aRecordFromAFileIsNamedByTheLocationItsBatchCarries() throws Exception {
        TestDb target = TestDb.h2(dir, "target");
        target.exec("CREATE TABLE \"items\" (\"id\" BIGINT PRIMARY KEY, \"qty\" BIGINT CHECK (\"qty\" > 0))");
        Path rejects = dir.resolve("rejects.jsonl");
        Schema schema = new Schema("items", List.of(new Column("id", ColumnType.LONG, null, 0, 0, false),
                new Column("qty", ColumnType.LONG, null, 0, 0, true)), List.of());
        List<DataRecord> rows = List.of(new DataRecord(new Object[] {1L, 5L}), new DataRecord(new Object[] {2L, -1L}));
        try (RecordSink sink = new JdbcRecordProvider().openSink(target.location(), TestDb.config(Map.of("table",
                "items", "rejectFile", rejects.toString())));
                RecordWriter w = sink.open(schema, Split.whole())) {
            w.write(new RecordBatch(rows, null, RecordLocations.numbered("items.csv line ", new long[] {2, 4})));
            w.commit();
        }

        assertThat(Files.readAllLines(rejects)).singleElement().asString()
                .startsWith("{\"table\":\"items\",\"key\":null,\"location\":\"items.csv line 4\",");
        assertThat(target.count("items")).isEqualTo(1);
    }
}
