package dev.caravan.connector.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import dev.caravan.core.records.TableMigrationSpec;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * mode=replace drops the target table with CASCADE, which also dropped the views built on it and the foreign keys
 * of other tables that reference it, outside the migration and without a word (found by exploratory testing): such
 * a replace is now bad input found while the run is planned, naming the views and constraints, before any table is
 * dropped.
 */
class PostgresReplaceIT {
    @TempDir
    Path dir;

    private TableMigrationSpec replaceItems(TestDb target) {
        TestDb source = TestDb.sqlite(dir, "rep");
        source.exec("CREATE TABLE items (id INTEGER PRIMARY KEY, v TEXT)", "INSERT INTO items VALUES (1, 'a')");
        return TableMigrationSpec.builder(source.uri(), target.uri())
                .sourceOptions(Map.of("table", "items")).targetOptions(Map.of("table", "items", "mode", "replace"))
                .build();
    }

    @Test
    void aReplaceThatWouldDropAViewIsRefusedAndTheViewKept() {
        TestDb target = TestDb.postgres("rep");
        target.exec("CREATE TABLE items (id bigint PRIMARY KEY, v text)",
                "CREATE VIEW item_report AS SELECT v FROM items");
        TableMigrationSpec spec = replaceItems(target);

        assertThatThrownBy(() -> EngineSupport.run(dir, spec)).isInstanceOfSatisfying(MigrationException.class,
                e -> assertThat(e.kind()).isEqualTo(ErrorKind.USER_CONFIG))
                .hasMessageContaining("mode replace would drop public.items and with it the view item_report");
        assertThat(target.count("item_report")).as("the view is still there").isZero();
    }

    @Test
    void aReplaceThatWouldDropAForeignKeyOfAnotherTableIsRefusedAndTheKeyKept() {
        TestDb target = TestDb.postgres("rep");
        target.exec("CREATE SCHEMA other", "CREATE TABLE items (id bigint PRIMARY KEY, v text)",
                "INSERT INTO items VALUES (1, 'old')",
                "CREATE TABLE audit (id int PRIMARY KEY, item bigint REFERENCES items (id))",
                "CREATE TABLE other.log (id int PRIMARY KEY, item bigint CONSTRAINT log_item REFERENCES items (id))");
        TableMigrationSpec spec = replaceItems(target);

        assertThatThrownBy(() -> EngineSupport.run(dir, spec)).isInstanceOfSatisfying(MigrationException.class,
                e -> assertThat(e.kind()).isEqualTo(ErrorKind.USER_CONFIG))
                .hasMessageContaining("the foreign key audit_item_fkey of public.audit")
                .hasMessageContaining("the foreign key log_item of other.log")
                .hasMessageFindingMatch("include (public.audit, other.log|other.log, public.audit) in the migration")
                .hasMessageNotContaining("\n");
        assertThat(target.column("SELECT conname FROM pg_constraint WHERE contype = 'f' ORDER BY 1"))
                .as("both foreign keys are still there").containsExactly("audit_item_fkey", "log_item");
        assertThat(target.column("SELECT v FROM items")).as("the table was not replaced").containsExactly("old");
    }
}
