package dev.caravan.connector.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import dev.caravan.api.journal.RunOutcome;
import dev.caravan.core.records.TableMigrationSpec;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A typeMapping target type PostgreSQL does not know failed its table when it was prepared, with PostgreSQL's
 * multi-line error, after other tables were written (found by exploratory testing): it is bad input found while the
 * run is planned, in one line; types PostgreSQL knows, with modifiers, pass.
 */
class PostgresUnknownTypeIT {
    @TempDir
    Path dir;

    private TestDb source() {
        TestDb source = TestDb.sqlite(dir, "src");
        source.exec("CREATE TABLE a (id INTEGER PRIMARY KEY)", "CREATE TABLE b (id INTEGER PRIMARY KEY, v TEXT)",
                "INSERT INTO a VALUES (1)", "INSERT INTO b VALUES (1, 'x')");
        return source;
    }

    @Test
    void anUnknownTypeIsRefusedBeforeAnyTableIsWritten() {
        TestDb target = TestDb.postgres("types");
        TableMigrationSpec spec = TableMigrationSpec.builder(source().uri(), target.uri())
                .targetOptions(Map.of("typeMapping", "TEXT=bogustype", "mode", "replace")).build();

        assertThatThrownBy(() -> EngineSupport.run(dir, spec)).isInstanceOfSatisfying(MigrationException.class,
                e -> assertThat(e.kind()).isEqualTo(ErrorKind.USER_CONFIG))
                .hasMessage("typeMapping gives column b.v the type 'bogustype', which PostgreSQL does not know:"
                        + " correct the rule's target type");
        assertThat(target.column("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")).containsExactly("0");
    }

    @Test
    void knownTypesWithModifiersPass() {
        TestDb target = TestDb.postgres("types");
        TableMigrationSpec spec = TableMigrationSpec.builder(source().uri(), target.uri())
                .targetOptions(Map.of("typeMapping", "TEXT=character varying(20);sqlite:REAL=double precision")).build();

        assertThat(EngineSupport.run(dir, spec).outcome()).isEqualTo(RunOutcome.COMPLETE);
        assertThat(target.column("SELECT format_type(atttypid, atttypmod) FROM pg_attribute"
                + " WHERE attrelid = 'b'::regclass AND attname = 'v'")).containsExactly("character varying(20)");
    }
}
