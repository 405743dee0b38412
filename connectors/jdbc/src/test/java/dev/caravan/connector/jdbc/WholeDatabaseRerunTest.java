package dev.caravan.connector.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.api.journal.RunOutcome;
import dev.caravan.core.records.RecordMigrationResult;
import dev.caravan.core.records.TableMigrationSpec;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rerunning a whole-database migration in append mode, on the same journal, into the target its first run
 * completed (tables, indexes and foreign keys in place; orders reference customers ON DELETE CASCADE): the rerun
 * completes and verifies, the target holds exactly the source's rows, and no index or foreign key is created
 * twice. Rows of tables that foreign keys reference are upserted by key instead of being deleted and written
 * again, since a delete would fail (order_items -> orders) or cascade (customers -> orders).
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
        List<String> structure = structure(target);

        RecordMigrationResult rerun = EngineSupport.run(dir, spec);

        assertThat(rerun.outcome()).as(EngineSupport.describe(rerun)).isEqualTo(RunOutcome.COMPLETE);
        assertThat(rerun.rejected()).isZero();
        assertThat(rerun.verification().clean()).isTrue();
        ShopFixture.assertSameData(source, target);
        assertThat(structure(target)).as("indexes and foreign keys, none added twice").isEqualTo(structure)
                .anyMatch(s -> s.startsWith("fk orders ")).anyMatch(s -> s.startsWith("index orders "));
    }

    /** Every index and foreign key of the target's tables, sorted. */
    private static List<String> structure(TestDb db) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = db.connect()) {
            for (String table : ShopFixture.TABLES) {
                try (ResultSet rs = c.getMetaData().getIndexInfo(null, "PUBLIC", table, false, false)) {
                    while (rs.next()) {
                        out.add("index " + table + " " + rs.getString("INDEX_NAME") + " "
                                + rs.getString("COLUMN_NAME"));
                    }
                }
                try (ResultSet rs = c.getMetaData().getImportedKeys(null, "PUBLIC", table)) {
                    while (rs.next()) {
                        out.add("fk " + table + " " + rs.getString("FK_NAME") + " " + rs.getString("FKCOLUMN_NAME"));
                    }
                }
            }
        }
        out.sort(null);
        return out;
    }
}
