package dev.caravan.application;

import static dev.caravan.application.AppFixture.rows;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A database step into PostgreSQL that renames the source's {@code users} table to {@code members} (and its
 * {@code email} column to {@code mail}), where the new application has a {@code users} table of its own (logins)
 * and {@code posts} refers to {@code members} with ON DELETE CASCADE: the backups, the in-place reload (one TRUNCATE
 * of {@code members} and {@code posts}), the verification and the rollback address {@code members} and
 * {@code posts}; the target's {@code users} is never touched.
 */
class DatabaseRenamePostgresIT {
    private static final PostgresTestDatabase DB = new PostgresTestDatabase("app_rename_it");
    private static final String CONTENT = "SELECT m.id, m.mail, m.created_at, p.id, p.title FROM members m "
            + "JOIN posts p ON p.user_id = m.id ORDER BY m.id";
    private static final String LOGINS = "SELECT login FROM users ORDER BY login";

    @TempDir
    Path tmp;
    private AppFixture app;

    @BeforeEach
    void databases() throws Exception {
        DB.recreate();
        app = new AppFixture(tmp.resolve("env")).variable("TARGET", DB.url);
        AppFixture.sql(DB.url, "CREATE TABLE members (id integer PRIMARY KEY, mail text NOT NULL, created_at text)",
                "CREATE TABLE posts (id integer PRIMARY KEY, user_id integer NOT NULL CONSTRAINT posts_author "
                        + "REFERENCES members (id) ON DELETE CASCADE, title text, image text)",
                "CREATE TABLE users (login text PRIMARY KEY)", "INSERT INTO users VALUES ('admin'), ('ops')");
    }

    @AfterEach
    void drop() throws Exception {
        DB.drop();
    }

    private ApplicationReport run(String name, String switchCommand) throws Exception {
        return app.run(name, AppFixture.databasePlan(name, AppFixture.SOURCE_DB, "${TARGET}",
                "toOptions: {rename: \"users=members,users.email=mail\"}", switchCommand));
    }

    @Test
    void aRollbackAfterTheReloadPutsTheRenamedTablesBackAndACompleteRunLoadsThem() throws Exception {
        // the target already holds the source's rows (a rehearsal), and one member and post of its own
        for (List<String> u : rows(app.sourceDb(), "SELECT id, email, created_at FROM users")) {
            AppFixture.sql(DB.url, "INSERT INTO members VALUES (" + u.get(0) + ", '" + u.get(1) + "', '" + u.get(2)
                    + "')", "INSERT INTO posts VALUES (" + u.get(0) + ", " + u.get(0) + ", 'post " + u.get(0)
                    + "', 'uploads/2024/cat.txt')");
        }
        List<List<String>> before = rows(DB.url, CONTENT);

        ApplicationReport failed = run("a", "exit 3");

        assertThat(failed.outcome()).as(failed.toText()).isEqualTo(ApplicationReport.Outcome.ROLLED_BACK);
        assertThat(failed.steps().get(0).phases().get("final")).as(failed.toText()).containsEntry("emptied", 2)
                .containsEntry("rows", 60L);
        assertThat(failed.compensations()).containsExactly("step 'database': dropped 0 table(s) this run created [], "
                + "restored 2 from backup [members, posts]");
        assertThat(rows(DB.url, CONTENT)).hasSize(30).isEqualTo(before);
        assertThat(rows(DB.url, LOGINS)).containsExactly(List.of("admin"), List.of("ops"));

        ApplicationReport done = run("b", "true");

        assertThat(done.outcome()).as(done.toText()).isEqualTo(ApplicationReport.Outcome.COMPLETE);
        assertThat(rows(DB.url, CONTENT)).isEqualTo(before);
        assertThat(rows(DB.url, LOGINS)).containsExactly(List.of("admin"), List.of("ops"));
        assertThat(rows(DB.url, "SELECT count(*) FROM pg_tables WHERE tablename LIKE 'caravan_bak%'"))
                .containsExactly(List.of("2"));
    }
}
