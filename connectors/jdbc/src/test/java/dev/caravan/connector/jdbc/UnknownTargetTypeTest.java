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
 * A typeMapping target type the target does not know was found only when its table was prepared, after other tables
 * may have been written (exit 1; found by exploratory testing). It is bad input found while the run is planned.
 */
class UnknownTargetTypeTest {
    @TempDir
    Path dir;

    private TestDb source() {
        TestDb source = TestDb.sqlite(dir, "src");
        source.exec("CREATE TABLE a (id INTEGER PRIMARY KEY)", "CREATE TABLE b (id INTEGER PRIMARY KEY, v TEXT)",
                "INSERT INTO a VALUES (1)", "INSERT INTO b VALUES (1, 'x')");
        return source;
    }

    @Test
    void aTypeH2DoesNotKnowIsRefusedBeforeAnyTableIsWritten() {
        TestDb target = TestDb.h2(dir, "dst");
        target.exec("CREATE TABLE \"marker\" (\"id\" INT)");
        TableMigrationSpec spec = TableMigrationSpec.builder(source().uri(), target.uri())
                .targetOptions(Map.of("typeMapping", "column:b.v=bogustype")).build();

        assertThatThrownBy(() -> EngineSupport.run(dir, spec)).isInstanceOfSatisfying(MigrationException.class,
                e -> assertThat(e.kind()).isEqualTo(ErrorKind.USER_CONFIG))
                .hasMessage("typeMapping gives column b.v the type 'bogustype', which H2 does not know: correct the"
                        + " rule's target type");
        assertThat(target.column("SELECT TABLE_NAME FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA = 'PUBLIC'"))
                .as("no table created").containsExactly("marker");
    }

    @Test
    void typesH2KnowsPass() {
        TestDb target = TestDb.h2(dir, "dst");
        TableMigrationSpec spec = TableMigrationSpec.builder(source().uri(), target.uri())
                .targetOptions(Map.of("typeMapping", "column:b.v=character varying(20);INTEGER=numeric(12, 0)"))
                .build();

        assertThat(EngineSupport.run(dir, spec).outcome()).isEqualTo(RunOutcome.COMPLETE);
    }
}
