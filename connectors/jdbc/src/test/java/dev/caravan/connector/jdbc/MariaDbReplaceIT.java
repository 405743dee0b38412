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
 * own foreign keys are replaced with their tables.
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
        TestDb source = TestDb.sqlite(dir, "own");
        source.exec("CREATE TABLE items (id INTEGER PRIMARY KEY, v TEXT)", "INSERT INTO items VALUES (2, 'new')",
                "CREATE TABLE audit (id INTEGER PRIMARY KEY, item INTEGER REFERENCES items (id))",
                "INSERT INTO audit VALUES (1, 2)");
        TestDb target = TestDb.mariadb("own");
        TableMigrationSpec spec = TableMigrationSpec.builder(source.uri(), target.uri())
                .targetOptions(Map.of("mode", "replace")).build();
        assertThat(EngineSupport.run(dir, spec).outcome()).isEqualTo(RunOutcome.COMPLETE);

        RecordMigrationResult again = EngineSupport.run(dir, spec);

        assertThat(again.outcome()).as(EngineSupport.describe(again)).isEqualTo(RunOutcome.COMPLETE);
        assertThat(target.column("SELECT COUNT(*) FROM information_schema.REFERENTIAL_CONSTRAINTS"
                + " WHERE CONSTRAINT_SCHEMA = DATABASE()")).containsExactly("1");
    }
}
