package dev.caravan.connector.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import dev.caravan.api.journal.RunOutcome;
import dev.caravan.core.records.RecordMigrationResult;
import dev.caravan.core.records.TableMigrationSpec;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * mode=replace drops each target table with CASCADE (PostgreSQL, H2), which also dropped the foreign keys of tables
 * outside the migration that reference it, and on H2 the views that read it, without a word (found by exploratory
 * testing). Such a replace is now bad input found while the run is planned, naming each view, referencing table and
 * constraint, before any table is dropped; foreign keys between the migration's own tables go and come back with the
 * load.
 */
class ReplaceReferencedTableTest {
    @TempDir
    Path dir;

    private TestDb source(boolean withAudit) {
        TestDb source = TestDb.sqlite(dir, "src");
        source.exec("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT)",
                "CREATE TABLE notes (id INTEGER PRIMARY KEY, v TEXT)",
                "INSERT INTO users VALUES (1, 'ann'), (7, 'bob')", "INSERT INTO notes VALUES (1, 'new')");
        if (withAudit) {
            source.exec("CREATE TABLE audit (id INTEGER PRIMARY KEY, uid INTEGER REFERENCES users (id))",
                    "INSERT INTO audit VALUES (1, 7)");
        }
        return source;
    }

    private TestDb target() {
        TestDb target = TestDb.h2(dir, "dst");
        target.exec("CREATE TABLE \"users\" (\"id\" BIGINT PRIMARY KEY, \"name\" VARCHAR(20))",
                "CREATE TABLE \"notes\" (\"id\" BIGINT PRIMARY KEY, \"v\" VARCHAR(20))",
                "CREATE TABLE \"audit\" (\"id\" INT PRIMARY KEY, \"uid\" BIGINT, CONSTRAINT \"audit_uid_fkey\""
                        + " FOREIGN KEY (\"uid\") REFERENCES \"users\" (\"id\"))",
                "INSERT INTO \"users\" VALUES (7, 'old')", "INSERT INTO \"notes\" VALUES (1, 'old')",
                "INSERT INTO \"audit\" VALUES (1, 7)");
        return target;
    }

    @Test
    void aReplaceThatWouldDropAForeignKeyOfAnotherTableIsRefusedBeforeAnyTableIsDropped() throws Exception {
        TestDb target = target();
        TableMigrationSpec spec = TableMigrationSpec.builder(source(false).uri(), target.uri())
                .targetOptions(Map.of("mode", "replace")).build();

        assertThatThrownBy(() -> EngineSupport.run(dir, spec)).isInstanceOfSatisfying(MigrationException.class,
                e -> assertThat(e.kind()).isEqualTo(ErrorKind.USER_CONFIG))
                .hasMessageContaining("mode replace would drop")
                .hasMessageContaining("the foreign key audit_uid_fkey of PUBLIC.audit")
                .hasMessageContaining("include PUBLIC.audit in the migration").hasMessageNotContaining("\n");

        assertThat(importedKeys(target, "audit")).as("the foreign key is kept").containsExactly("audit_uid_fkey");
        assertThat(target.column("SELECT \"name\" FROM \"users\"")).as("users not replaced").containsExactly("old");
        assertThat(target.column("SELECT \"v\" FROM \"notes\"")).as("no other table replaced").containsExactly("old");
    }

    @Test
    void aSingleTableReplaceIsRefusedToo() throws Exception {
        TestDb target = target();
        TableMigrationSpec spec = TableMigrationSpec.builder(source(false).uri(), target.uri())
                .sourceOptions(Map.of("table", "users")).targetOptions(Map.of("table", "users", "mode", "replace"))
                .build();

        assertThatThrownBy(() -> EngineSupport.run(dir, spec)).isInstanceOfSatisfying(MigrationException.class,
                e -> assertThat(e.kind()).isEqualTo(ErrorKind.USER_CONFIG)).hasMessageContaining("audit_uid_fkey");
        assertThat(importedKeys(target, "audit")).containsExactly("audit_uid_fkey");
    }

    @Test
    void aReplaceThatWouldDropAViewIsRefusedOnH2Too() {
        TestDb target = TestDb.h2(dir, "dst");
        target.exec("CREATE TABLE \"notes\" (\"id\" BIGINT PRIMARY KEY, \"v\" VARCHAR(20))",
                "CREATE VIEW \"note_report\" AS SELECT COUNT(*) AS n FROM \"notes\"");
        TableMigrationSpec spec = TableMigrationSpec.builder(source(false).uri(), target.uri())
                .sourceOptions(Map.of("table", "notes")).targetOptions(Map.of("table", "notes", "mode", "replace"))
                .build();

        assertThatThrownBy(() -> EngineSupport.run(dir, spec)).isInstanceOf(MigrationException.class)
                .hasMessageContaining("the view PUBLIC.note_report");
        assertThat(target.column("SELECT n FROM \"note_report\"")).as("the view is kept").containsExactly("0");
    }

    @Test
    void theReferencingTableInTheMigrationIsReplacedWithItsForeignKey() throws Exception {
        TestDb target = target();
        TableMigrationSpec spec = TableMigrationSpec.builder(source(true).uri(), target.uri())
                .targetOptions(Map.of("mode", "replace")).build();

        RecordMigrationResult r = EngineSupport.run(dir, spec);

        assertThat(r.outcome()).as(EngineSupport.describe(r)).isEqualTo(RunOutcome.COMPLETE);
        assertThat(target.column("SELECT \"name\" FROM \"users\" ORDER BY \"id\"")).containsExactly("ann", "bob");
        assertThat(importedKeys(target, "audit")).as("the migration's own foreign key, added again").hasSize(1);
    }

    private static List<String> importedKeys(TestDb db, String table) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = db.connect(); ResultSet rs = c.getMetaData().getImportedKeys(null, "PUBLIC", table)) {
            while (rs.next()) {
                out.add(rs.getString("FK_NAME"));
            }
        }
        return out;
    }
}
