package dev.caravan.application;

import static dev.caravan.application.AppFixture.SOURCE_DB;
import static dev.caravan.application.AppFixture.TARGET_DB;
import static dev.caravan.application.AppFixture.databasePlan;
import static dev.caravan.application.AppFixture.rows;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Database steps on embedded SQLite files: a source that is not there or has nothing to move is refused before
 * anything is written (and never created); the rollback puts a target table that existed before the run back as it
 * was, also when the run reloaded it (final pass without an incremental column: emptied and loaded again in place,
 * its own index, default and CHECK kept).
 */
class DatabaseStepTest {
    @TempDir
    Path tmp;
    private AppFixture app;
    private ApplicationSettings settings;

    @BeforeEach
    void environments() throws Exception {
        app = new AppFixture(tmp.resolve("env"));
        settings = app.settings();
    }

    private Path plan(String from, String include) throws Exception {
        return app.write("app.yaml", databasePlan("typo", from, TARGET_DB, "include: " + include, null));
    }

    @Test
    void aSourceDatabaseFileThatDoesNotExistIsRefusedAndNotCreated() throws Exception {
        Path plan = plan("jdbc:sqlite:${ENV}/old/ap.db", "[]");

        ApplicationPlan dry = ApplicationMigration.load(plan, settings).plan();
        ApplicationReport report = ApplicationMigration.load(plan, settings).run();

        assertThat(dry.exitCode()).as(dry.toText()).isEqualTo(2);
        assertThat(dry.toText()).contains("FAIL the source database file of jdbc:sqlite:" + app.old
                + "/ap.db does not exist");
        assertThat(report.outcome()).as(report.toText()).isEqualTo(ApplicationReport.Outcome.INVALID);
        assertThat(Files.exists(app.old.resolve("ap.db"))).as("the source was created").isFalse();
        assertThat(Files.exists(app.fresh.resolve("app.db"))).isFalse();
    }

    @Test
    void aSourceWithNoTableToMoveIsRefused() throws Exception {
        AppFixture.sql("jdbc:sqlite:" + app.old.resolve("empty.db"), "CREATE TABLE t (a INTEGER)", "DROP TABLE t");

        ApplicationReport report = ApplicationMigration.load(plan("jdbc:sqlite:${ENV}/old/empty.db", "[]"),
                settings).run();

        assertThat(report.outcome()).as(report.toText()).isEqualTo(ApplicationReport.Outcome.INVALID);
        assertThat(report.failure()).contains("FAIL source: no table to move in jdbc:sqlite:" + app.old
                + "/empty.db; check the URL and its schema");
        assertThat(Files.exists(app.fresh.resolve("app.db"))).isFalse();
    }

    @Test
    void aWarmPassThatDoesNotVerifySaysWhatDiffers() throws Exception {
        // the target's own users table has a row the source does not have: the loaded table cannot match
        AppFixture.sql(app.targetDb(), "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL, "
                + "created_at TEXT)", "INSERT INTO users VALUES (99, 'someone@target.org', '2023-12-01')");

        ApplicationReport report = ApplicationMigration.load(plan(SOURCE_DB, "[users]"), settings).run();

        assertThat(report.outcome()).as(report.toText()).isEqualTo(ApplicationReport.Outcome.ROLLED_BACK);
        assertThat(report.failedAt()).isEqualTo("step 'database' (warm)");
        assertThat(report.failure()).contains("VERIFICATION_FAILED: {", "first: [users");
        assertThat(rows(app.targetDb(), "SELECT id FROM users")).containsExactly(List.of("99"));
    }

    @Test
    void aRolledBackTableWithItsColumnsInAnotherOrderGetsEachValueBackInItsOwnColumn() throws Exception {
        // the target already has the users table (its columns in another order), with the same rows as the source
        AppFixture.sql(app.targetDb(), "CREATE TABLE users (email TEXT NOT NULL, id INTEGER PRIMARY KEY, "
                + "created_at TEXT)");
        AppFixture.sql(app.targetDb(), "ATTACH DATABASE '" + app.old.resolve("app.db") + "' AS old",
                "INSERT INTO users (id, email, created_at) SELECT id, email, created_at FROM old.users");
        String query = "SELECT id, email, created_at FROM users ORDER BY id";
        List<List<String>> before = rows(app.targetDb(), query);
        assertThat(before).hasSize(30).first().isEqualTo(List.of("1", "u1@example.org", "2024-01-11"));

        ApplicationReport report = app.run("app", databasePlan("reload", SOURCE_DB, TARGET_DB, "include: [users]",
                "echo the load balancer said no; exit 3"));

        assertThat(report.outcome()).as(report.toText()).isEqualTo(ApplicationReport.Outcome.ROLLED_BACK);
        assertThat(report.steps().get(0).phases()).containsKey("final");
        assertThat(report.compensations()).containsExactly(
                "step 'database': dropped 0 table(s) this run created [], restored 1 from backup [users]");
        assertThat(rows(app.targetDb(), query)).isEqualTo(before);
        assertThat(rows(app.targetDb(), "SELECT name FROM sqlite_master WHERE name LIKE 'caravan_bak%'")).isEmpty();
    }

    @Test
    void aReloadKeepsTheTargetTablesOwnIndexesDefaultsAndConstraintsAlsoThroughARollback() throws Exception {
        // the new application's schema, made by its own migrations: an index, a default and a CHECK of its own
        AppFixture.sql(app.targetDb(), "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL "
                + "CHECK (email LIKE '%@%'), created_at TEXT DEFAULT 'unknown')",
                "CREATE INDEX users_by_email ON users (email)");
        String schema = "SELECT type, name, sql FROM sqlite_master WHERE tbl_name = 'users' ORDER BY name";
        List<List<String>> defined = rows(app.targetDb(), schema);

        ApplicationReport failed = app.run("a", databasePlan("a", SOURCE_DB, TARGET_DB, "include: [users]", "exit 3"));

        assertThat(failed.outcome()).as(failed.toText()).isEqualTo(ApplicationReport.Outcome.ROLLED_BACK);
        assertThat(failed.steps().get(0).phases()).as(failed.toText()).containsKey("final");
        assertThat(rows(app.targetDb(), schema)).isEqualTo(defined);
        assertThat(rows(app.targetDb(), "SELECT count(*) FROM users")).containsExactly(List.of("0"));

        ApplicationReport done = app.run("b", databasePlan("b", SOURCE_DB, TARGET_DB, "include: [users]", "true"));

        assertThat(done.outcome()).as(done.toText()).isEqualTo(ApplicationReport.Outcome.COMPLETE);
        assertThat(rows(app.targetDb(), schema)).isEqualTo(defined);
        assertThat(rows(app.targetDb(), "SELECT count(*) FROM users")).containsExactly(List.of("30"));
        AppFixture.sql(app.targetDb(), "INSERT INTO users (id, email) VALUES (100, 'new@target.org')");
        assertThat(rows(app.targetDb(), "SELECT created_at FROM users WHERE id = 100"))
                .containsExactly(List.of("unknown"));
    }

    @Test
    void aRollbackKilledAfterTheDatabaseStepWasCompensatedIsCompletedByTheNextRun() throws Exception {
        AppFixture.sql(app.targetDb(), "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL, "
                + "created_at TEXT)");
        Path plan = app.write("app.yaml", databasePlan("twice", SOURCE_DB, TARGET_DB, "include: [users]",
                "test -f ${ENV}/switch-works"));
        ApplicationReport first = ApplicationMigration.load(plan, settings).run();
        assertThat(first.outcome()).as(first.toText()).isEqualTo(ApplicationReport.Outcome.ROLLED_BACK);
        // as if the process had been killed after compensating the step, before it could say so: still RUNNING
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Path state = first.runDir().resolve(RunState.FILE);
        Files.writeString(state, Files.readString(state).replace("\"ROLLED_BACK\"", "\"RUNNING\"")
                .replaceFirst("\"pid\" : \\d+", "\"pid\" : " + gone.pid()));
        Files.writeString(app.env.resolve("switch-works"), "");

        ApplicationReport next = ApplicationMigration.load(plan, settings).run();

        assertThat(next.recovery()).as(next.toText()).first().asString().endsWith(": ROLLED_BACK (1 compensation(s), "
                + "reverse order)");
        assertThat(next.recovery().get(1)).contains("restored 0 from backup []", "[users] restored already");
        assertThat(next.outcome()).isEqualTo(ApplicationReport.Outcome.COMPLETE);
    }
}
