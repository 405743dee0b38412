package dev.caravan.connector.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import dev.caravan.api.journal.RunOutcome;
import dev.caravan.core.journal.JdbcJournal;
import dev.caravan.core.records.RecordMigrationEngine;
import dev.caravan.core.records.RecordMigrationResult;
import dev.caravan.core.records.TableMigrationSpec;
import dev.caravan.core.registry.ConnectorRegistry;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PostgreSQL cuts a name longer than 63 bytes short without an error: the run wrote into the shortened table and
 * only verification failed, and two long names with the same first 63 bytes became one table (found by exploratory
 * testing). MariaDB keeps 64 characters. Such names are bad input, refused while the run is planned, before anything
 * is written.
 */
class LongIdentifiersIT {
    static final String LONG_A = "a_very_long_table_name_that_goes_on_and_on_and_on_for_sixty_chars_a";
    static final String LONG_B = "a_very_long_table_name_that_goes_on_and_on_and_on_for_sixty_chars_b";
    static final String LONG_COLUMN = "a_very_long_column_name_that_goes_on_and_on_and_on_for_sixty_chars_y";

    @TempDir
    Path dir;

    private TestDb source() {
        TestDb source = TestDb.sqlite(dir, "long");
        source.exec("CREATE TABLE small (id INTEGER PRIMARY KEY, v TEXT)", "INSERT INTO small VALUES (1, 'x')",
                "CREATE TABLE \"" + LONG_A + "\" (id INTEGER PRIMARY KEY, v TEXT)",
                "CREATE TABLE \"" + LONG_B + "\" (id INTEGER PRIMARY KEY, v TEXT)",
                "INSERT INTO \"" + LONG_A + "\" VALUES (1, 'a')", "INSERT INTO \"" + LONG_B + "\" VALUES (1, 'b')");
        return source;
    }

    @Test
    void aTableNameLongerThanPostgresKeepsIsRefusedBeforeAnythingIsWritten() {
        TestDb source = source();
        TestDb target = TestDb.postgres("longnames");
        TableMigrationSpec spec = TableMigrationSpec.builder(source.uri(), target.uri()).build();

        assertThatThrownBy(() -> EngineSupport.run(dir, spec)).isInstanceOfSatisfying(MigrationException.class,
                e -> assertThat(e.kind()).isEqualTo(ErrorKind.USER_CONFIG)).hasMessageContaining(LONG_A)
                .hasMessageContaining("67 bytes").hasMessageContaining("PostgreSQL keeps at most 63")
                .hasMessageContaining("rename=" + LONG_A + "=");
        assertThat(target.column("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"))
                .as("no table created, not even the short one").containsExactly("0");
        assertThatThrownBy(() -> plan(spec)).as("a plan refuses it too").isInstanceOf(MigrationException.class)
                .hasMessageContaining(LONG_A);
    }

    @Test
    void renamedTablesLoad() {
        TestDb source = source();
        TestDb target = TestDb.postgres("longnames");
        TableMigrationSpec spec = TableMigrationSpec.builder(source.uri(), target.uri())
                .targetOptions(Map.of("rename", LONG_A + "=long_a," + LONG_B + "=long_b")).build();

        RecordMigrationResult r = EngineSupport.run(dir, spec);

        assertThat(r.outcome()).as(EngineSupport.describe(r)).isEqualTo(RunOutcome.COMPLETE);
        assertThat(target.column("SELECT v FROM long_a")).containsExactly("a");
        assertThat(target.column("SELECT v FROM long_b")).containsExactly("b");
    }

    @Test
    void aLongColumnNameIsRefusedNamingTheColumnAndTheRename() {
        TestDb source = TestDb.sqlite(dir, "longcol");
        source.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, \"" + LONG_COLUMN + "\" TEXT)",
                "INSERT INTO t VALUES (1, 'x')");
        TestDb target = TestDb.postgres("longnames");
        TableMigrationSpec spec = TableMigrationSpec.builder(source.uri(), target.uri())
                .sourceOptions(Map.of("table", "t")).targetOptions(Map.of("table", "t")).build();

        assertThatThrownBy(() -> EngineSupport.run(dir, spec)).isInstanceOfSatisfying(MigrationException.class,
                e -> assertThat(e.kind()).isEqualTo(ErrorKind.USER_CONFIG)).hasMessageContaining(
                        "column name '" + LONG_COLUMN + "' of table t").hasMessageContaining("rename=t." + LONG_COLUMN
                        + "=");
        assertThat(target.column("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")).containsExactly("0");
    }

    @Test
    void mariaDbKeeps64Characters() {
        TestDb source = TestDb.sqlite(dir, "longm");
        String name64 = "t".repeat(64);
        String name65 = "u".repeat(65);
        source.exec("CREATE TABLE " + name64 + " (id INTEGER PRIMARY KEY)", "INSERT INTO " + name64 + " VALUES (1)",
                "CREATE TABLE " + name65 + " (id INTEGER PRIMARY KEY)");
        TestDb target = TestDb.mariadb("longnames");

        TableMigrationSpec both = TableMigrationSpec.builder(source.uri(), target.uri()).build();
        assertThatThrownBy(() -> EngineSupport.run(dir, both)).isInstanceOf(MigrationException.class)
                .hasMessageContaining("65 characters long, and MariaDB keeps at most 64");

        TableMigrationSpec renamed = TableMigrationSpec.builder(source.uri(), target.uri())
                .targetOptions(Map.of("rename", name65 + "=short")).build();
        RecordMigrationResult r = EngineSupport.run(dir.resolve("second"), renamed);
        assertThat(r.outcome()).as(EngineSupport.describe(r)).isEqualTo(RunOutcome.COMPLETE);
        assertThat(target.count(name64)).isEqualTo(1);
    }

    private void plan(TableMigrationSpec spec) {
        try (JdbcJournal journal = JdbcJournal.open(EngineSupport.journalUrl(dir.resolve("plan")))) {
            new RecordMigrationEngine(ConnectorRegistry.of(new JdbcRecordProvider()), journal).plan(spec, 0);
        }
    }
}
