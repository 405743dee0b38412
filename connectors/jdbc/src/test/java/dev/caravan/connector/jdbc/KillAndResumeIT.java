package dev.caravan.connector.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.caravan.api.journal.RunOutcome;
import dev.caravan.core.records.RecordMigrationResult;
import dev.caravan.core.records.TableMigrationSpec;
import java.io.File;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A SQLite -> PostgreSQL migration in a child JVM, killed with SIGKILL in the middle of the load, then resumed by a
 * new engine in this JVM: every row exactly once, none refused as a duplicate, verification clean.
 */
class KillAndResumeIT {
    private static final int ROWS = 300_000;

    @TempDir
    Path dir;

    @Test
    void killedRunResumesWithNoDuplicateAndNoMissingRow() throws Exception {
        TestDb source = TestDb.sqlite(dir, "items");
        source.exec("CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL, value REAL, created_at TIMESTAMP)",
                "WITH RECURSIVE g(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM g LIMIT " + ROWS + ")"
                        + " INSERT INTO items SELECT i, 'item number ' || i || ' ' || hex(i * 7919),"
                        + " CASE WHEN i % 10 = 0 THEN NULL ELSE i * 2.718281828459045 END,"
                        + " datetime(1700000000 + i * 37, 'unixepoch') FROM g");
        TestDb target = TestDb.postgres("resume");
        String journal = EngineSupport.journalUrl(dir);
        List<String> args = List.of(journal, source.uri(), target.uri(), "source.table=items",
                "source.batchSize=2000", "target.table=items", "parallelism=2", "splits=4");

        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", System.getProperty("java.class.path"), MigrationMain.class.getName()));
        cmd.addAll(args);
        Process child = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve("child.log").toFile()).start();
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(50))
                .until(() -> !child.isAlive() || rowsIn(target) >= 40_000);
        assertThat(child.isAlive()).as("the child is still loading when it is killed (log: %s)",
                dir.resolve("child.log")).isTrue();
        child.destroyForcibly(); // SIGKILL: no shutdown hook, no rollback of the engine's own state
        child.waitFor();
        long atKill = rowsIn(target);
        assertThat(atKill).as("rows loaded before the kill").isBetween(40_000L, ROWS - 1L);

        TableMigrationSpec spec = TableMigrationSpec.builder(source.uri(), target.uri())
                .sourceOptions(Map.of("table", "items", "batchSize", "2000")).targetOptions(Map.of("table", "items"))
                .parallelism(2).splitsPerTable(4).build();
        RecordMigrationResult r = EngineSupport.run(dir, spec);

        assertThat(r.resumed()).as("resumed the killed run").isTrue();
        assertThat(r.outcome()).as(EngineSupport.describe(r)).isEqualTo(RunOutcome.COMPLETE);
        assertThat(r.rejected()).as("no row was offered twice (the primary key would refuse it)").isZero();
        try (Connection c = target.connect(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT COUNT(*), COUNT(DISTINCT id), MIN(id), MAX(id),"
                        + " SUM(id) FROM items")) {
            rs.next();
            assertThat(rs.getLong(1)).as("rows").isEqualTo(ROWS);
            assertThat(rs.getLong(2)).as("distinct ids").isEqualTo(ROWS);
            assertThat(rs.getLong(3)).isEqualTo(1);
            assertThat(rs.getLong(4)).isEqualTo(ROWS);
            assertThat(rs.getLong(5)).as("sum of ids").isEqualTo((long) ROWS * (ROWS + 1) / 2);
        }
        assertThat(new File(dir.resolve("child.log").toString())).exists();
    }

    private static long rowsIn(TestDb db) {
        try (Connection c = db.connect(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM items")) {
            rs.next();
            return rs.getLong(1);
        } catch (java.sql.SQLException e) {
            return 0; // the table is created by the child
        }
    }
}
