package dev.caravan.connector.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.api.journal.RunOutcome;
import dev.caravan.core.records.RecordMigrationResult;
import dev.caravan.core.records.TableMigrationSpec;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hostile table and column names between the embedded databases, both ways, with a rename of a hostile name. */
class HostileIdentifiersTest {
    @TempDir
    Path dir;

    @Test
    void sqliteToH2AndBack() {
        TestDb sqlite = TestDb.sqlite(dir, "hostile");
        HostileFixture.create(sqlite);
        TestDb h2 = TestDb.h2(dir, "hostile");
        RecordMigrationResult there = EngineSupport.run(dir, TableMigrationSpec.builder(sqlite.uri(), h2.uri())
                .sourceOptions(Map.of("batchSize", "50")).build());
        assertThat(there.outcome()).as(EngineSupport.describe(there)).isEqualTo(RunOutcome.COMPLETE);
        HostileFixture.assertCopied(sqlite, h2);

        TestDb back = TestDb.sqlite(dir, "back");
        RecordMigrationResult r = EngineSupport.run(dir, TableMigrationSpec.builder(h2.uri(), back.uri())
                .sourceOptions(Map.of("batchSize", "50")).build());
        assertThat(r.outcome()).as(EngineSupport.describe(r)).isEqualTo(RunOutcome.COMPLETE);
        HostileFixture.assertCopied(sqlite, back);
    }

    @Test
    void renamesAcceptHostileNames() {
        TestDb sqlite = TestDb.sqlite(dir, "hostile2");
        HostileFixture.create(sqlite);
        TestDb h2 = TestDb.h2(dir, "renamed");
        RecordMigrationResult r = EngineSupport.run(dir, TableMigrationSpec.builder(sqlite.uri(), h2.uri())
                .sourceOptions(Map.of("include", "order,Mixed*"))
                .targetOptions(Map.of("rename", "Mixed Case=Renamed \"Table\"; --,order.select=Sélect\\, \\=x")).build());
        assertThat(r.outcome()).as(EngineSupport.describe(r)).isEqualTo(RunOutcome.COMPLETE);
        assertThat(h2.count("Renamed \"Table\"; --")).isEqualTo(120);
        assertThat(h2.read("order", new dev.caravan.api.record.Schema("order", java.util.List.of(
                dev.caravan.api.record.Column.of("id", dev.caravan.api.record.ColumnType.LONG),
                dev.caravan.api.record.Column.of("Sélect, =x", dev.caravan.api.record.ColumnType.STRING)),
                java.util.List.of("id"))).get(0).get(1)).isEqualTo("v'); DROP TABLE victim; -- 1");
    }
}
