package dev.caravan.connector.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.caravan.connector.jdbc.dialect.Dialect;
import dev.caravan.connector.jdbc.dialect.H2Dialect;
import dev.caravan.connector.jdbc.dialect.SqliteDialect;
import dev.caravan.core.records.RecordMigrationResult;
import dev.caravan.core.registry.ConnectorRegistry;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * truncate=true for a whole database whose target tables reference each other: each table was emptied alone, in
 * the source's order (parents first), so H2 refused to delete a parent's rows that a child's rows still referenced
 * (found by QA). The run's tables are now emptied together, children first; a table outside the run that references
 * one of them is refused before anything is emptied. SQLite and H2 here, PostgreSQL and MariaDB in
 * {@link TruncateLinkedTablesIT}.
 */
class TruncateLinkedTablesTest {
    @TempDir
    Path dir;

    private LinkedTablesScenario scenario(String kind) {
        return new LinkedTablesScenario(dir, kind.equals("h2") ? TestDb.h2(dir, "dst") : TestDb.sqlite(dir, "dst"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "sqlite"})
    void tablesThatReferenceEachOtherAreEmptiedAndLoaded(String kind) {
        scenario(kind).runAndCheckReplacedRows();
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "sqlite"})
    void keepReplacedKeepsEveryLinkedTablesRowsBeforeItIsEmptied(String kind) {
        LinkedTablesScenario s = scenario(kind);
        RecordMigrationResult r = s.runAndCheckReplacedRows("keepReplaced", "true");
        Dialect dialect = kind.equals("h2") ? new H2Dialect() : new SqliteDialect();
        String kept = KeptRows.name(dialect, "orders", KeptRows.stamp(r.runId()));
        assertThat(s.target.column("SELECT " + s.q("item") + " FROM " + s.q(kept))).containsExactly("old");
        String keptCustomers = KeptRows.name(dialect, "customers", KeptRows.stamp(r.runId()));
        assertThat(s.target.column("SELECT " + s.q("name") + " FROM " + s.q(keptCustomers))).containsExactly("old");
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "sqlite"})
    void aTableOutsideTheRunThatReferencesOneToEmptyIsRefusedBeforeAnythingIsEmptied(String kind) {
        LinkedTablesScenario s = scenario(kind);
        s.addOutsideChild();
        s.expectOutsideChildRefused();
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "sqlite"})
    void aRunKilledDuringTheLoadEmptiesNoTableAgainWhenResumed(String kind) {
        LinkedTablesScenario s = scenario(kind);
        ConnectorRegistry crashing = ConnectorRegistry.of(new CrashingProvider(2));
        assertThatThrownBy(() -> EngineSupport.run(dir, s.spec("keepReplaced", "true"), crashing))
                .isInstanceOf(CrashingProvider.SimulatedCrash.class);
        assertThat(s.names()).as("customers loaded before the kill").containsExactly("new");

        RecordMigrationResult resumed = s.runAndCheckReplacedRows("keepReplaced", "true");

        assertThat(resumed.resumed()).isTrue();
    }
}
