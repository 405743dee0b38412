package dev.caravan.connector.jdbc;

import dev.caravan.connector.jdbc.dialect.MariaDbDialect;
import dev.caravan.connector.jdbc.dialect.PostgresDialect;
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
        scenario(kind).runAndCheckKeptRows(kind.equals("mariadb") ? new MariaDbDialect() : new PostgresDialect());
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgresql", "mariadb"})
    void aTableOutsideTheRunThatReferencesOneToEmptyIsRefusedBeforeAnythingIsEmptied(String kind) {
        LinkedTablesScenario s = scenario(kind);
        s.addOutsideChild();
        s.expectOutsideChildRefused();
    }
}
