package dev.caravan.connector.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A typeMapping target type the target does not know was found only when its table was prepared, after other tables
 * may have been written (exit 1; found by exploratory testing). It is bad input found while the run is planned.
 * SQLite takes any name, but one it does not know gets NUMERIC affinity, which turns the text '007' into 7.
 */
class UnknownTargetTypeTest {
    private static final String H2_TABLES = "SELECT TABLE_NAME FROM INFORMATION_SCHEMA.TABLES"
            + " WHERE TABLE_SCHEMA = 'PUBLIC'";

    @TempDir
    Path dir;

    @Test
    void aTypeH2DoesNotKnowIsRefusedBeforeAnyTableIsWritten() {
        TestDb target = TestDb.h2(dir, "dst");
        target.exec("CREATE TABLE \"marker\" (\"id\" INT)");
        UnknownTypeFixture.assertRefusedBeforeAnyTable(dir, target, Map.of("typeMapping", "column:b.v=bogustype"),
                "typeMapping gives column b.v the type 'bogustype', which H2 does not know: correct the rule's target"
                        + " type", H2_TABLES, "marker");
    }

    @Test
    void typesH2KnowsPass() {
        UnknownTypeFixture.assertRuns(dir, TestDb.h2(dir, "dst"),
                Map.of("typeMapping", "column:b.v=character varying(20);INTEGER=numeric(12, 0)"));
    }

    @Test
    void aTypeSqliteDoesNotKnowIsRefusedBeforeAnyTableIsWritten() {
        for (String type : new String[] {"bogustype", "STRING", "VARCHAR(20"}) {
            TestDb target = TestDb.sqlite(dir, "dst-" + type.replaceAll("\\W", "_"));
            target.exec("CREATE TABLE marker (id INT)");
            UnknownTypeFixture.assertRefusedBeforeAnyTable(dir.resolve(type.replaceAll("\\W", "_")), target,
                    Map.of("typeMapping", "column:b.v=" + type), "typeMapping gives column b.v the type '" + type
                            + "', which SQLite does not know: correct the rule's target type",
                    "SELECT name FROM sqlite_master WHERE type = 'table'", "marker");
        }
    }

    @Test
    void typesSqliteKnowsPass() {
        TestDb target = TestDb.sqlite(dir, "dst");
        UnknownTypeFixture.assertRuns(dir, target,
                Map.of("typeMapping", "column:b.v=varchar(20);INTEGER=numeric(12, 0);column:a.id=bigint"));
        assertThat(target.column("SELECT type FROM pragma_table_info('b') WHERE name = 'v'"))
                .containsExactly("varchar(20)");
    }
}
