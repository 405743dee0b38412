package dev.caravan.connector.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.api.journal.RunOutcome;
import dev.caravan.connector.jdbc.dialect.Dialect;
import dev.caravan.connector.jdbc.dialect.MariaDbDialect;
import dev.caravan.connector.jdbc.dialect.PostgresDialect;
import dev.caravan.core.records.RecordMigrationResult;
import dev.caravan.core.records.TableMigrationSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * keepReplaced on the PostgreSQL and MariaDB servers: a mixed-case unicode table name whose kept name is longer than
 * the server keeps (63 bytes, 64 characters) is cut to fit, and replace, then truncate in a new run, each keep the
 * rows as they were, byte for byte, in their own kept table.
 */
class KeepReplacedIT {
    /** 46 characters, 54 UTF-8 bytes: with {@code __caravan_<run id>} too long for both servers. */
    private static final String TABLE = "Kunden Bestellungen Übersicht Ärger Öl 2024 Q1";

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"postgresql", "mariadb"})
    void replaceAndTruncateKeepTheRowsInTablesNamedWithinTheLimit(String kind) {
        TestDb source = TestDb.sqlite(dir, "src");
        source.exec("CREATE TABLE " + source.q(TABLE) + " (id INTEGER PRIMARY KEY, name TEXT, data BLOB)",
                "INSERT INTO " + source.q(TABLE) + " VALUES (1, 'new', x'01')");
        TestDb target = kind.equals("mariadb") ? TestDb.mariadb("keep") : TestDb.postgres("keep");
        Dialect dialect = kind.equals("mariadb") ? new MariaDbDialect() : new PostgresDialect();
        target.exec("CREATE TABLE " + target.q(TABLE) + " (id BIGINT PRIMARY KEY, name VARCHAR(50), data "
                + (kind.equals("mariadb") ? "VARBINARY(20)" : "BYTEA") + ")", "INSERT INTO " + target.q(TABLE)
                + " (id, name) VALUES (7, 'Grüße \"x\" 日本'), (8, '')");
        target.exec("UPDATE " + target.q(TABLE) + " SET data = " + (kind.equals("mariadb") ? "X'00ff10'"
                : "'\\x00ff10'::bytea") + " WHERE id = 7");
        List<String> before = rows(target, TABLE);

        RecordMigrationResult replaced = run(source, target, "mode", "replace");
        List<String> afterReplace = rows(target, TABLE);
        RecordMigrationResult truncated = run(source, target, "truncate", "true");

        String first = KeptRows.name(dialect, TABLE, KeptRows.stamp(replaced.runId()));
        String second = KeptRows.name(dialect, TABLE, KeptRows.stamp(truncated.runId()));
        assertThat(dialect.identifierLength(first)).isLessThanOrEqualTo(dialect.maxIdentifierLength());
        assertThat(first).startsWith("Kunden Bestellungen").isNotEqualTo(second);
        String where = kind.equals("mariadb") ? "DATABASE()" : "current_schema()";
        assertThat(target.column("SELECT table_name FROM information_schema.tables WHERE table_schema = " + where
                + " AND table_name LIKE '%caravan%' ORDER BY table_name")).containsExactlyInAnyOrder(first, second);
        assertThat(rows(target, first)).isEqualTo(before).hasSize(2);
        assertThat(rows(target, second)).isEqualTo(afterReplace).hasSize(1);
    }

    private RecordMigrationResult run(TestDb source, TestDb target, String option, String value) {
        TableMigrationSpec spec = TableMigrationSpec.builder(source.uri(), target.uri())
                .targetOptions(Map.of(option, value, "keepReplaced", "true")).build();
        RecordMigrationResult r = EngineSupport.run(dir, spec);
        assertThat(r.outcome()).as(EngineSupport.describe(r)).isEqualTo(RunOutcome.COMPLETE);
        return r;
    }

    /** Each row as id|name|hex of data, so that a changed byte or character shows. */
    private static List<String> rows(TestDb db, String table) {
        String hex = db.kind.equals("mariadb") ? "HEX(data)" : "encode(data, 'hex')";
        return db.column("SELECT CONCAT(id, '|', COALESCE(name, '<null>'), '|', COALESCE(" + hex + ", '<null>'))"
                + " FROM " + db.q(table) + " ORDER BY id");
    }
}
