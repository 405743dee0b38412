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
 * A target that refuses the credentials failed every table of the run on its own (exit 1, the error once per
 * table), while a source database that does not exist was bad input (found by exploratory testing). Refused
 * credentials are bad input too, found while the run is planned: one USER_CONFIG error, nothing written.
 */
class RefusedCredentialsIT {
    @TempDir
    Path dir;

    private TestDb source() {
        TestDb source = TestDb.sqlite(dir, "creds");
        source.exec("CREATE TABLE a (id INTEGER PRIMARY KEY)", "CREATE TABLE b (id INTEGER PRIMARY KEY)",
                "INSERT INTO a VALUES (1)");
        return source;
    }

    @Test
    void aMariaDbTargetThatRefusesTheUserIsBadInputBeforeAnyTable() {
        TestDb target = TestDb.mariadb("creds");
        TableMigrationSpec spec = TableMigrationSpec.builder(source().uri(),
                target.uri().replace("user=root", "user=nobody&password=bad")).build();

        assertThatThrownBy(() -> EngineSupport.run(dir, spec)).isInstanceOfSatisfying(MigrationException.class,
                e -> assertThat(e.kind()).isEqualTo(ErrorKind.USER_CONFIG)).hasMessageContaining("Access denied")
                .hasMessageNotContaining("bad").hasMessageNotContaining("\n");
    }

    @Test
    void aPostgresTargetWithAnUnknownRoleIsBadInputForOneTableToo() {
        TestDb target = TestDb.postgres("creds");
        TableMigrationSpec spec = TableMigrationSpec.builder(source().uri(),
                target.uri().replace("user=postgres", "user=nobody_here")).sourceOptions(Map.of("table", "a"))
                .targetOptions(Map.of("table", "a")).build();

        assertThatThrownBy(() -> EngineSupport.run(dir, spec)).isInstanceOfSatisfying(MigrationException.class,
                e -> assertThat(e.kind()).isEqualTo(ErrorKind.USER_CONFIG)).hasMessageContaining("nobody_here")
                .hasMessageNotContaining("\n");
    }
}
