package dev.caravan.connector.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.api.journal.RunOutcome;
import dev.caravan.core.records.RecordMigrationListener;
import dev.caravan.core.records.RecordMigrationResult;
import dev.caravan.core.records.TableResult;
import dev.caravan.core.registry.ConnectorRegistry;
import dev.caravan.core.records.TableMigrationSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rerunning a whole-database migration in append mode, on the same journal, into the target its first run
 * completed (tables, indexes and foreign keys in place; orders reference customers ON DELETE CASCADE): the rerun
 * skips every table (all their tasks are done in the journal by the first, complete run), writes nothing, says so,
 * still verifies, and the target keeps exactly the source's rows and its indexes and foreign keys. With
 * {@code mode=replace} a rerun loads every table again.
 */
class WholeDatabaseRerunTest {
    @TempDir
    Path dir;

    @Test
    void aRerunAfterACompleteRunLeavesTheTargetAsItWas() throws Exception {
        TestDb source = TestDb.sqlite(dir, "shop");
        ShopFixture.createSqlite(source);
        TestDb target = TestDb.h2(dir, "copy");
        TableMigrationSpec spec = TableMigrationSpec.builder(source.uri(), target.uri())
                .targetOptions(Map.of("mode", "append")).splitsPerTable(2).build();
        RecordMigrationResult first = EngineSupport.run(dir, spec);
        assertThat(first.outcome()).as(EngineSupport.describe(first)).isEqualTo(RunOutcome.COMPLETE);
        List<String> structure = target.structure(ShopFixture.TABLES);

        AtomicLong batches = new AtomicLong();
        RecordMigrationListener counting = new RecordMigrationListener() {
            @Override
            public void batchCommitted(String table, String splitId, long rows, long rejected, String lastKey) {
                batches.incrementAndGet();
            }
        };

        RecordMigrationResult rerun = EngineSupport.run(dir, spec, ConnectorRegistry.of(new JdbcRecordProvider()),
                counting);

        assertThat(rerun.outcome()).as(EngineSupport.describe(rerun)).isEqualTo(RunOutcome.COMPLETE);
        assertThat(rerun.runId()).isNotEqualTo(first.runId());
        assertThat(batches.get()).as("no batch written").isZero();
        assertThat(rerun.rows()).as("no row written").isZero();
        assertThat(rerun.rejected()).isZero();
        assertThat(rerun.tables()).as("every table reported as skipped").hasSize(ShopFixture.TABLES.length)
                .allMatch(TableResult::skipped);
        assertThat(rerun.skippedTables()).isEqualTo(ShopFixture.TABLES.length);
        assertThat(rerun.phases()).as("the load phase had nothing to do").containsKey("load");
        assertThat(rerun.verification().clean()).as("skipped tables are still verified").isTrue();
        ShopFixture.assertSameData(source, target);
        assertThat(target.structure(ShopFixture.TABLES)).as("indexes and foreign keys, none added twice").isEqualTo(structure)
                .anyMatch(s -> s.startsWith("fk orders ")).anyMatch(s -> s.startsWith("index orders "));
    }

    @Test
    void aRerunInReplaceModeLoadsEveryTableAgain() throws Exception {
        TestDb source = TestDb.sqlite(dir, "shop");
        ShopFixture.createSqlite(source);
        TestDb target = TestDb.h2(dir, "copy");
        TableMigrationSpec spec = TableMigrationSpec.builder(source.uri(), target.uri())
                .targetOptions(Map.of("mode", "replace")).splitsPerTable(2).build();
        RecordMigrationResult first = EngineSupport.run(dir, spec);
        assertThat(first.outcome()).isEqualTo(RunOutcome.COMPLETE);

        RecordMigrationResult rerun = EngineSupport.run(dir, spec);

        assertThat(rerun.outcome()).as(EngineSupport.describe(rerun)).isEqualTo(RunOutcome.COMPLETE);
        assertThat(rerun.skippedTables()).isZero();
        assertThat(rerun.rows()).isEqualTo(first.rows()).isPositive();
        ShopFixture.assertSameData(source, target);
    }
}
