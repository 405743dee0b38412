package dev.caravan.connector.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import dev.caravan.api.journal.RunOutcome;
import dev.caravan.core.records.RecordMigrationResult;
import dev.caravan.core.records.TableMigrationSpec;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * mode=replace on MariaDB drops the table with foreign key checks off: the foreign key of a table outside the
 * migration stays, but its rows then reference keys the new table may not have, unchecked (found while fixing the
 * PostgreSQL CASCADE). Such a replace is refused while the run is planned, as on PostgreSQL and H2; the migration's
 * own foreign keys are replaced with their tables, also when the new keys are wider (INT on the target, BIGINT from the
 * source: MariaDB refused to create the new parent, errno 150, while the old child's INT key pointed at it; found by
 * QA), and a child outside the migration is named with its columns.
 */
class MariaDbReplaceIT {
    @TempDir
    Path dir;

    @Test
    void aReplaceOfATableAnotherTableReferencesIsRefusedAndNothingChanges() {
        TestDb source = TestDb.sqlite(dir, "rep");
        source.exec("CREATE TABLE items (id INTEGER PRIMARY KEY, v TEXT)", "INSERT INTO items VALUES (2, 'new')");
        TestDb target = TestDb.mariadb("rep");
        target.exec("CREATE TABLE items (id BIGINT PRIMARY KEY, v TEXT)", "INSERT INTO items VALUES (1, 'old')",
                "CREATE TABLE audit (id INT PRIMARY KEY, item BIGINT, CONSTRAINT audit_item FOREIGN KEY (item)"
                        + " REFERENCES items (id))",
                "INSERT INTO audit VALUES (1, 1)");
        TableMigrationSpec spec = TableMigrationSpec.builder(source.uri(), target.uri())
                .targetOptions(Map.of("mode", "replace")).build();

        assertThatThrownBy(() -> EngineSupport.run(dir, spec)).isInstanceOfSatisfying(MigrationException.class,
                e -> assertThat(e.kind()).isEqualTo(ErrorKind.USER_CONFIG))
                .hasMessageContaining("the foreign key audit_item of ").hasMessageContaining(".audit");
        assertThat(target.column("SELECT v FROM items")).as("the table was not replaced").containsExactly("old");
    }

    @Test
    void theMigrationsOwnForeignKeysDoNotStopAReplace() {
        TestDb source = linkedSource("own");
        TestDb target = TestDb.mariadb("own");
        TableMigrationSpec spec = TableMigrationSpec.builder(source.uri(), target.uri())
                .targetOptions(Map.of("mode", "replace")).build();
        assertThat(EngineSupport.run(dir, spec).outcome()).isEqualTo(RunOutcome.COMPLETE);

        RecordMigrationResult again = EngineSupport.run(dir, spec);

        assertThat(again.outcome()).as(EngineSupport.describe(again)).isEqualTo(RunOutcome.COMPLETE);
        assertThat(target.column("SELECT COUNT(*) FROM information_schema.REFERENTIAL_CONSTRAINTS"
                + " WHERE CONSTRAINT_SCHEMA = DATABASE()")).containsExactly("1");
    }

    /** A source whose two tables the migration copies both: {@code audit} references {@code items}. */
    private TestDb linkedSource(String prefix) {
        TestDb source = TestDb.sqlite(dir, prefix);
        source.exec("CREATE TABLE items (id INTEGER PRIMARY KEY, v TEXT)", "INSERT INTO items VALUES (2, 'new')",
                "CREATE TABLE audit (id INTEGER PRIMARY KEY, item INTEGER REFERENCES items (id))",
                "INSERT INTO audit VALUES (1, 2)");
        return source;
    }

    /** The target's tables have INT keys; the source's INTEGER columns become BIGINT. */
    private static TestDb intKeyedTarget(String prefix) {
        TestDb target = TestDb.mariadb(prefix);
        target.exec("CREATE TABLE items (id INT PRIMARY KEY, v TEXT)", "INSERT INTO items VALUES (1, 'old')",
                "CREATE TABLE audit (id INT PRIMARY KEY, item INT, CONSTRAINT audit_item FOREIGN KEY (item)"
                        + " REFERENCES items (id))", "INSERT INTO audit VALUES (1, 1)");
        return target;
    }

    @Test
    void aReplaceThatWidensTheKeysOfTheMigrationsOwnLinkedTablesCompletes() {
        TestDb source = linkedSource("wide");
        TestDb target = intKeyedTarget("wide");
        TableMigrationSpec spec = TableMigrationSpec.builder(source.uri(), target.uri())
                .targetOptions(Map.of("mode", "replace")).build();

        RecordMigrationResult r = EngineSupport.run(dir, spec);

        assertThat(r.outcome()).as(EngineSupport.describe(r)).isEqualTo(RunOutcome.COMPLETE);
        assertThat(target.column("SELECT item FROM audit")).containsExactly("2");
        assertThat(target.column("SELECT DATA_TYPE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE()"
                + " AND COLUMN_NAME IN ('id', 'item') ORDER BY TABLE_NAME, COLUMN_NAME")).containsOnly("bigint");
        assertThat(target.column("SELECT CONSTRAINT_NAME FROM information_schema.REFERENTIAL_CONSTRAINTS"
                + " WHERE CONSTRAINT_SCHEMA = DATABASE()")).hasSize(1);
    }

    @Test
    void aChildOutsideTheMigrationWhoseKeyTheNewParentWouldNotFitIsNamedWithItsColumns() {
        TestDb source = TestDb.sqlite(dir, "narrow");
        source.exec("CREATE TABLE items (id INTEGER PRIMARY KEY, v TEXT)", "INSERT INTO items VALUES (2, 'new')");
        TestDb target = intKeyedTarget("narrow");
        TableMigrationSpec spec = TableMigrationSpec.builder(source.uri(), target.uri())
                .targetOptions(Map.of("mode", "replace")).build();

        assertThatThrownBy(() -> EngineSupport.run(dir, spec)).isInstanceOfSatisfying(MigrationException.class,
                e -> assertThat(e.kind()).isEqualTo(ErrorKind.USER_CONFIG))
                .hasMessageContaining("audit_item").hasMessageContaining("audit.item")
                .hasMessageContaining("items.id");
        assertThat(target.column("SELECT v FROM items")).as("nothing dropped").containsExactly("old");
    }
}
