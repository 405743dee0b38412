package dev.caravan.connector.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import dev.caravan.api.journal.RunOutcome;
import dev.caravan.core.records.RecordMigrationResult;
import dev.caravan.core.records.TableMigrationSpec;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * InnoDB keys hold at most 3072 bytes: a primary key of an integer and a text became BIGINT + VARCHAR(768), 3080
 * bytes, the table was not created ("Specified key was too long") and the foreign keys referencing it were lost
 * (found by exploratory testing). The key's text columns now share what the key leaves; a key that cannot fit is
 * refused before anything is written.
 */
class MariaDbKeysIT {
    @TempDir
    Path dir;

    @Test
    void aCompositeKeyWithATextColumnIsCreatedAndReferenced() {
        TestDb source = TestDb.sqlite(dir, "keys");
        source.exec("CREATE TABLE \"User\" (\"ID\" integer PRIMARY KEY, \"Name\" text NOT NULL DEFAULT 'anon')",
                "CREATE TABLE \"Mixed Case Tbl\" (\"key A\" integer, \"key B\" text, v real,"
                        + " PRIMARY KEY (\"key A\", \"key B\"))",
                "CREATE TABLE child (id integer PRIMARY KEY, user_id integer REFERENCES \"User\"(\"ID\"), a integer,"
                        + " b text, FOREIGN KEY (a, b) REFERENCES \"Mixed Case Tbl\"(\"key A\", \"key B\"))",
                "INSERT INTO \"User\" VALUES (1, 'alice')",
                "INSERT INTO \"Mixed Case Tbl\" VALUES (1, 'x', 1.5), (1, '" + "y".repeat(766) + "', NULL)",
                "INSERT INTO child VALUES (10, 1, 1, 'x'), (11, NULL, 1, '" + "y".repeat(766) + "')");
        TestDb target = TestDb.mariadb("keys");
        TableMigrationSpec spec = TableMigrationSpec.builder(source.uri(), target.uri()).build();

        RecordMigrationResult r = EngineSupport.run(dir, spec);

        assertThat(r.outcome()).as(EngineSupport.describe(r)).isEqualTo(RunOutcome.COMPLETE);
        assertThat(target.count("Mixed Case Tbl")).isEqualTo(2);
        assertThat(target.column("SELECT CONSTRAINT_NAME FROM information_schema.REFERENTIAL_CONSTRAINTS"
                + " WHERE CONSTRAINT_SCHEMA = DATABASE() AND TABLE_NAME = 'child'")).as("both foreign keys").hasSize(2);
        assertThat(target.column("SELECT COLUMN_TYPE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE()"
                + " AND TABLE_NAME = 'Mixed Case Tbl' AND COLUMN_NAME = 'key B'")).containsExactly("varchar(766)");
    }

    @Test
    void aKeyThatCannotFitIsRefusedBeforeAnythingIsWritten() {
        TestDb source = TestDb.sqlite(dir, "wide");
        StringBuilder cols = new StringBuilder();
        StringBuilder key = new StringBuilder();
        for (int i = 0; i < 22; i++) {
            cols.append("u").append(i).append(" UUID, ");
            key.append(i == 0 ? "" : ", ").append("u").append(i);
        }
        source.exec("CREATE TABLE small (id INTEGER PRIMARY KEY)",
                "CREATE TABLE wide (" + cols + "t TEXT, PRIMARY KEY (" + key + ", t))");
        TestDb target = TestDb.mariadb("keys");
        TableMigrationSpec spec = TableMigrationSpec.builder(source.uri(), target.uri()).build();

        assertThatThrownBy(() -> EngineSupport.run(dir, spec)).isInstanceOfSatisfying(MigrationException.class,
                e -> assertThat(e.kind()).isEqualTo(ErrorKind.USER_CONFIG)).hasMessageContaining("of table wide")
                .hasMessageContaining("3072 bytes MariaDB allows").hasMessageContaining("typeMapping");
        assertThat(target.column("SELECT count(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()"))
                .as("no table created").isEqualTo(Collections.singletonList("0"));
    }
}
