package dev.caravan.connector.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A typeMapping target type the target does not know failed its table when it was prepared, after other tables were
 * written (found by exploratory testing; PostgreSQL with its multi-line error, MariaDB with "Unknown data type"): it
 * is bad input found while the run is planned, in one line; types the target knows, with modifiers, pass.
 */
class UnknownTargetTypeIT {
    @TempDir
    Path dir;

    @Test
    void postgresRefusesAnUnknownTypeBeforeAnyTableIsWritten() {
        UnknownTypeFixture.assertRefusedBeforeAnyTable(dir, TestDb.postgres("types"),
                Map.of("typeMapping", "TEXT=bogustype", "mode", "replace"), "typeMapping gives column b.v the type"
                        + " 'bogustype', which PostgreSQL does not know: correct the rule's target type",
                "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'", "0");
    }

    @Test
    void postgresTypesWithModifiersPass() {
        TestDb target = TestDb.postgres("types");
        UnknownTypeFixture.assertRuns(dir, target,
                Map.of("typeMapping", "TEXT=character varying(20);sqlite:REAL=double precision"));
        assertThat(target.column("SELECT format_type(atttypid, atttypmod) FROM pg_attribute"
                + " WHERE attrelid = 'b'::regclass AND attname = 'v'")).containsExactly("character varying(20)");
    }

    /** MariaDB: an unknown name, and a DECIMAL wider than MariaDB's, were found by the CREATE TABLE. */
    @Test
    void mariaDbRefusesAnUnknownOrImpossibleTypeBeforeAnyTableIsWritten() {
        for (String type : new String[] {"bogustype", "DECIMAL(70,2)", "VARCHAR(20"}) {
            TestDb target = TestDb.mariadb("types");
            UnknownTypeFixture.assertRefusedBeforeAnyTable(dir.resolve(type.replaceAll("\\W", "_")), target,
                    Map.of("typeMapping", "column:b.v=" + type), "typeMapping gives column b.v the type '" + type
                            + "', which MariaDB does not know: correct the rule's target type",
                    "SELECT count(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()", "0");
        }
    }

    @Test
    void mariaDbTypesWithModifiersPass() {
        TestDb target = TestDb.mariadb("types");
        UnknownTypeFixture.assertRuns(dir, target, Map.of("typeMapping", "TEXT=varchar(20)"));
        assertThat(target.column("SELECT COLUMN_TYPE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE()"
                + " AND TABLE_NAME = 'b' AND COLUMN_NAME = 'v'")).containsExactly("varchar(20)");
    }
}
