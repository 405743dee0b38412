package dev.caravan.connector.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.caravan.connector.jdbc.dialect.H2Dialect;
import dev.caravan.connector.jdbc.dialect.SqliteDialect;
import dev.caravan.api.journal.RunOutcome;
import dev.caravan.core.records.RecordMigrationResult;
import dev.caravan.core.records.TableMigrationSpec;
import dev.caravan.core.registry.ConnectorRegistry;
import java.nio.file.Path;
import java.util.Map;
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
        scenario(kind).runAndCheckKeptRows(kind.equals("h2") ? new H2Dialect() : new SqliteDialect());
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

    /**
     * The prepare step of a parent failed, its child loaded, and the process was killed: the resumed run ran the
     * parent's prepare again, which emptied the child with it, and the child's finished splits were not loaded again
     * (its rows lost). A table now waits while a table it references has not been prepared.
     */
    @ParameterizedTest
    @ValueSource(strings = {"h2", "sqlite"})
    void aChildIsNotEmptiedAfterItsRowsLoadedWhenTheParentsFailedPrepareRunsAgain(String kind) {
        TestDb source = TestDb.sqlite(dir, "prepare_src");
        TestDb target = kind.equals("h2") ? TestDb.h2(dir, "prepare_dst") : TestDb.sqlite(dir, "prepare_dst");
        source.exec("CREATE TABLE parent (id INTEGER PRIMARY KEY, name TEXT)",
                "CREATE TABLE child (id INTEGER PRIMARY KEY, parent INTEGER REFERENCES parent (id), item TEXT)",
                "INSERT INTO parent VALUES (1, 'new')", "INSERT INTO child VALUES (10, NULL, 'new')",
                "INSERT INTO child VALUES (11, NULL, 'new too')");
        String text = kind.equals("sqlite") ? "TEXT" : "VARCHAR(50)";
        target.exec("CREATE TABLE " + target.q("parent") + " (" + target.q("id") + " BIGINT PRIMARY KEY, "
                        + target.q("name") + " " + text + ")",
                "CREATE TABLE " + target.q("child") + " (" + target.q("id") + " BIGINT PRIMARY KEY, "
                        + target.q("parent") + " BIGINT, " + target.q("item") + " " + text + ", FOREIGN KEY ("
                        + target.q("parent") + ") REFERENCES " + target.q("parent") + " (" + target.q("id") + "))",
                "INSERT INTO " + target.q("parent") + " VALUES (5, 'old')",
                "INSERT INTO " + target.q("child") + " VALUES (50, 5, 'old')");
        TableMigrationSpec spec = TableMigrationSpec.builder(source.uri(), target.uri())
                .targetOptions(Map.of("truncate", "true")).build();

        try {
            RecordMigrationResult first = EngineSupport.run(dir, spec,
                    ConnectorRegistry.of(new FailingStepsProvider("parent")));
            assertThat(first.outcome()).isEqualTo(RunOutcome.FAILED);
            assertThat(first.errors()).anySatisfy(e -> assertThat(e).contains("child", "parent"));
        } catch (CrashingProvider.SimulatedCrash killed) {
            // the child loaded and the process was killed before the run ended: it is taken up again below
        }
        RecordMigrationResult second = EngineSupport.run(dir, spec);

        assertThat(second.outcome()).as(EngineSupport.describe(second)).isEqualTo(RunOutcome.COMPLETE);
        assertThat(target.column("SELECT " + target.q("item") + " FROM " + target.q("child")))
                .containsExactlyInAnyOrder("new", "new too");
        assertThat(target.column("SELECT " + target.q("name") + " FROM " + target.q("parent")))
                .containsExactly("new");
    }

    /**
     * Two existing tables whose foreign keys reference each other (a cycle) and whose rows do: no order of DELETEs
     * empties them (H2 refused the first; SQLite too with foreign_keys=true). They are emptied together with the
     * checks off (H2) or deferred to the commit (SQLite), in one transaction.
     */
    @ParameterizedTest
    @ValueSource(strings = {"h2", "sqlite"})
    void tablesWhoseForeignKeysFormACycleAreEmptiedAndLoaded(String kind) {
        TestDb source = TestDb.sqlite(dir, "cycle_src");
        TestDb target = kind.equals("h2") ? TestDb.h2(dir, "cycle_dst") : TestDb.sqlite(dir, "cycle_dst");
        source.exec("CREATE TABLE a (id INTEGER PRIMARY KEY, b INTEGER)", "CREATE TABLE b (id INTEGER PRIMARY KEY,"
                + " a INTEGER)", "INSERT INTO a VALUES (1, NULL)", "INSERT INTO b VALUES (2, NULL)");
        String a = target.q("a");
        String b = target.q("b");
        String id = target.q("id");
        // SQLite declares a's key before b exists (it adds none later); H2 adds it once b exists
        String aToB = ", FOREIGN KEY (" + b + ") REFERENCES " + b + " (" + id + ")";
        target.exec("CREATE TABLE " + a + " (" + id + " BIGINT PRIMARY KEY, " + b + " BIGINT"
                        + (kind.equals("h2") ? "" : aToB) + ")",
                "CREATE TABLE " + b + " (" + id + " BIGINT PRIMARY KEY, " + a + " BIGINT, FOREIGN KEY (" + a
                        + ") REFERENCES " + a + " (" + id + "))",
                "INSERT INTO " + a + " VALUES (5, NULL)", "INSERT INTO " + b + " VALUES (6, 5)");
        if (kind.equals("h2")) {
            target.exec("ALTER TABLE " + a + " ADD" + aToB.substring(1));
        }
        target.exec("UPDATE " + a + " SET " + b + " = 6");
        String uri = kind.equals("h2") ? target.uri() : target.uri() + "?foreign_keys=true";
        TableMigrationSpec spec = TableMigrationSpec.builder(source.uri(), uri)
                .targetOptions(Map.of("truncate", "true")).build();

        RecordMigrationResult r = EngineSupport.run(dir, spec);

        assertThat(r.outcome()).as(EngineSupport.describe(r)).isEqualTo(RunOutcome.COMPLETE);
        assertThat(target.column("SELECT " + id + " FROM " + a)).containsExactly("1");
        assertThat(target.column("SELECT " + id + " FROM " + b)).containsExactly("2");
        assertThat(target.column("SELECT COUNT(*) FROM " + b + " x JOIN " + a + " y ON x." + a + " = y." + id))
                .containsExactly("0");
    }
}
