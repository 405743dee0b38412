package dev.caravan.connector.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.api.journal.RunOutcome;
import dev.caravan.core.records.RecordMigrationResult;
import dev.caravan.core.records.TableMigrationSpec;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The first attempt of a split removes nothing from the target: only a split begun before (a checkpoint, an attempt,
 * a run taken up after a kill) discards what a lost attempt may have written. Before, every split was taken for
 * begun (the journal's task record always carries the bytes done), so a table without a key could not be copied in
 * append mode at all, and an append into a table that held rows removed those of the split's range first.
 */
class FirstAttemptTest {
    @TempDir
    Path dir;

    @Test
    void aTableWithoutAKeyIsAppended() {
        TestDb source = TestDb.sqlite(dir, "nk-src");
        TestDb target = TestDb.sqlite(dir, "nk-dst");
        source.exec("CREATE TABLE small (a INTEGER, b TEXT)", "INSERT INTO small VALUES (1, 'x'), (1, 'x'), (2, NULL)");
        TableMigrationSpec spec = TableMigrationSpec.builder(source.uri(), target.uri())
                .sourceOptions(Map.of("table", "small")).targetOptions(Map.of("table", "small")).build();

        RecordMigrationResult r = EngineSupport.run(dir, spec);

        assertThat(r.outcome()).as(EngineSupport.describe(r)).isEqualTo(RunOutcome.COMPLETE);
        assertThat(target.count("small")).isEqualTo(3);
    }

    /** A misspelt table name selected nothing and the migration ended "complete and verified", exit 0. */
    @Test
    void anIncludedNameThatIsNoTableIsBadInputNamingTheTables() {
        TestDb source = TestDb.sqlite(dir, "nm-src");
        TestDb target = TestDb.sqlite(dir, "nm-dst");
        source.exec("CREATE TABLE orders (id INTEGER PRIMARY KEY)", "CREATE TABLE customers (id INTEGER PRIMARY KEY)");
        TableMigrationSpec spec = TableMigrationSpec.builder(source.uri(), target.uri())
                .sourceOptions(Map.of("include", "orders,custmers")).build();

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> EngineSupport.run(dir, spec))
                .isInstanceOfSatisfying(dev.caravan.api.error.MigrationException.class, e -> assertThat(e.kind())
                        .isEqualTo(dev.caravan.api.error.ErrorKind.USER_CONFIG))
                .hasMessageContaining("no table 'custmers' in ").hasMessageContaining("its tables: ")
                .hasMessageContaining("customers");
        TableMigrationSpec globbed = TableMigrationSpec.builder(source.uri(), target.uri())
                .sourceOptions(Map.of("include", "ord*,nothing*")).build();
        assertThat(EngineSupport.run(dir, globbed).outcome()).as("a glob may match nothing")
                .isEqualTo(RunOutcome.COMPLETE);
    }

    @Test
    void anAppendKeepsTheRowsTheTargetHeld() {
        TestDb source = TestDb.sqlite(dir, "ap-src");
        TestDb target = TestDb.sqlite(dir, "ap-dst");
        source.exec("CREATE TABLE items (id INTEGER PRIMARY KEY, v TEXT)",
                "INSERT INTO items VALUES (1, 'a'), (2, 'b'), (10, 'c')");
        target.exec("CREATE TABLE items (id INTEGER PRIMARY KEY, v TEXT)", "INSERT INTO items VALUES (5, 'mine')");
        TableMigrationSpec spec = TableMigrationSpec.builder(source.uri(), target.uri())
                .sourceOptions(Map.of("table", "items")).targetOptions(Map.of("table", "items")).build();

        RecordMigrationResult r = EngineSupport.run(dir, spec);

        assertThat(target.count("items")).as("the target's own row 5 kept beside the three appended").isEqualTo(4);
        assertThat(r.rows()).isEqualTo(3);
        // and the verification says what it finds: the table is not the source's (it holds one row more)
        assertThat(r.outcome()).as(EngineSupport.describe(r)).isEqualTo(RunOutcome.VERIFICATION_FAILED);
        assertThat(EngineSupport.describe(r)).contains("source 3 rows", "target 4 rows");
    }
}
