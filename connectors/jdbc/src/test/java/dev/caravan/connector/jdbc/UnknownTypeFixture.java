package dev.caravan.connector.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import dev.caravan.api.journal.RunOutcome;
import dev.caravan.core.records.TableMigrationSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * What the unknown-typeMapping tests share: a SQLite source of two tables (a, and b with a TEXT column v), the
 * refusal of a rule whose target type the target does not know before any table is written, and the run of rules it
 * knows.
 */
final class UnknownTypeFixture {
    private UnknownTypeFixture() {
    }

    static TestDb source(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        TestDb source = TestDb.sqlite(dir, "src");
        source.exec("CREATE TABLE a (id INTEGER PRIMARY KEY)", "CREATE TABLE b (id INTEGER PRIMARY KEY, v TEXT)",
                "INSERT INTO a VALUES (1)", "INSERT INTO b VALUES (1, 'x')");
        return source;
    }

    /**
     * Asserts that the run is refused as bad configuration with {@code message} while it is planned: {@code tables}
     * (a query of the target's table names) still gives {@code before}.
     */
    static void assertRefusedBeforeAnyTable(Path dir, TestDb target, Map<String, String> targetOptions, String message,
            String tables, String... before) {
        TableMigrationSpec spec = TableMigrationSpec.builder(source(dir).uri(), target.uri())
                .targetOptions(targetOptions).build();
        assertThatThrownBy(() -> EngineSupport.run(dir, spec)).isInstanceOfSatisfying(MigrationException.class,
                e -> assertThat(e.kind()).isEqualTo(ErrorKind.USER_CONFIG)).hasMessage(message);
        assertThat(target.column(tables)).as("no table created").containsExactly(before);
    }

    /** Asserts that a run with these target options completes. */
    static void assertRuns(Path dir, TestDb target, Map<String, String> targetOptions) {
        TableMigrationSpec spec = TableMigrationSpec.builder(source(dir).uri(), target.uri())
                .targetOptions(targetOptions).build();
        assertThat(EngineSupport.run(dir, spec).outcome()).isEqualTo(RunOutcome.COMPLETE);
    }
}
