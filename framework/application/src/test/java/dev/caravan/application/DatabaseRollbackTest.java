package dev.caravan.application;

import static dev.caravan.application.AppFixture.rows;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rollback of a database step puts a target table that existed before the run back as it was, also when the run
 * reloaded it (final pass without an incremental column: mode replace recreates it with the source's definition).
 */
class DatabaseRollbackTest {
    @TempDir
    Path tmp;
    private AppFixture app;
    private ApplicationSettings settings;

    @BeforeEach
    void environments() throws Exception {
        app = new AppFixture(tmp.resolve("env"));
        settings = ApplicationSettings.defaults().withWorkDir(tmp.resolve("work"))
                .withVariables(Map.of("ENV", app.env.toString()));
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

        ApplicationReport report = ApplicationMigration.load(app.write("app.yaml", """
                application:
                  name: reload
                  steps:
                    - id: database
                      kind: database
                      from: jdbc:sqlite:${ENV}/old/app.db
                      to: jdbc:sqlite:${ENV}/new/app.db
                      include: [users]
                  cutover:
                    switch:
                      - shell: 'echo the load balancer said no; exit 3'
                """), settings).run();

        assertThat(report.outcome()).as(report.toText()).isEqualTo(ApplicationReport.Outcome.ROLLED_BACK);
        assertThat(report.steps().get(0).phases()).containsKey("final");
        assertThat(report.compensations()).containsExactly(
                "step 'database': dropped 0 table(s) this run created [], restored 1 from backup [users]");
        assertThat(rows(app.targetDb(), query)).isEqualTo(before);
        assertThat(rows(app.targetDb(), "SELECT name FROM sqlite_master WHERE name LIKE 'caravan_bak%'")).isEmpty();
    }
}
