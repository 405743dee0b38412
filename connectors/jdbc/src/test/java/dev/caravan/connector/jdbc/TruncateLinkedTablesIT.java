package dev.caravan.connector.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.connector.jdbc.dialect.Dialect;
import dev.caravan.connector.jdbc.dialect.MariaDbDialect;
import dev.caravan.connector.jdbc.dialect.PostgresDialect;
import dev.caravan.core.records.RecordMigrationResult;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * truncate=true for a whole database whose target tables reference each other, on the servers: PostgreSQL refused
 * "cannot truncate a table referenced in a foreign key constraint" as each table was emptied alone (found by QA), and
 * MariaDB emptied a parent with foreign key checks off, leaving the rows of a table outside the run pointing at
 * nothing. See {@link TruncateLinkedTablesTest}.
 */
class TruncateLinkedTablesIT {
    @TempDir
    Path dir;

    private LinkedTablesScenario scenario(String kind) {
        return new LinkedTablesScenario(dir, kind.equals("mariadb") ? TestDb.mariadb("linked")
                : TestDb.postgres("linked"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgresql", "mariadb"})
    void tablesThatReferenceEachOtherAreEmptiedAndLoaded(String kind) {
        scenario(kind).runAndCheckReplacedRows();
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgresql", "mariadb"})
    void keepReplacedKeepsEveryLinkedTablesRowsBeforeItIsEmptied(String kind) {
        LinkedTablesScenario s = scenario(kind);
        RecordMigrationResult r = s.runAndCheckReplacedRows("keepReplaced", "true");
        Dialect dialect = kind.equals("mariadb") ? new MariaDbDialect() : new PostgresDialect();
        String kept = KeptRows.name(dialect, "orders", KeptRows.stamp(r.runId()));
        assertThat(s.target.column("SELECT " + s.q("item") + " FROM " + s.q(kept))).containsExactly("old");
        String keptCustomers = KeptRows.name(dialect, "customers", KeptRows.stamp(r.runId()));
        assertThat(s.target.column("SELECT " + s.q("name") + " FROM " + s.q(keptCustomers))).containsExactly("old");
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgresql", "mariadb"})
    void aTableOutsideTheRunThatReferencesOneToEmptyIsRefusedBeforeAnythingIsEmptied(String kind) {
        LinkedTablesScenario s = scenario(kind);
        s.addOutsideChild();
        s.expectOutsideChildRefused();
    }
}
