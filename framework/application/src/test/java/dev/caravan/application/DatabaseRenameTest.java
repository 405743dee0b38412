package dev.caravan.application;

import static dev.caravan.application.AppFixture.SOURCE_DB;
import static dev.caravan.application.AppFixture.TARGET_DB;
import static dev.caravan.application.AppFixture.databasePlan;
import static dev.caravan.application.AppFixture.rows;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A database step whose target renames a table and a column ({@code toOptions: {rename: ...}}): its backups, the
 * in-place reload of the final pass, the verification and the rollback address the target's table ({@code people}),
 * and never a target table that only has the source's name ({@code users}, the new application's own logins).
 */
class DatabaseRenameTest {
    private static final String PEOPLE = "SELECT id, mail, created_at FROM people ORDER BY id";
    private static final String LOGINS = "SELECT login FROM users ORDER BY login";

    @TempDir
    Path tmp;
    private AppFixture app;

    @BeforeEach
    void environments() throws Exception {
        app = new AppFixture(tmp.resolve("env"));
        AppFixture.sql(app.targetDb(), "CREATE TABLE people (id INTEGER PRIMARY KEY, mail TEXT NOT NULL, "
                + "created_at TEXT DEFAULT 'unknown')", "CREATE INDEX people_by_mail ON people (mail)",
                "CREATE TABLE users (login TEXT PRIMARY KEY)", "INSERT INTO users VALUES ('admin'), ('ops')");
    }

    private ApplicationReport run(String name, String switchCommand) throws Exception {
        return app.run(name, databasePlan(name, SOURCE_DB, TARGET_DB, "include: [users], "
                + "toOptions: {rename: \"users=people,users.email=mail\"}", switchCommand));
    }

    @Test
    void aRenamedTableIsReloadedUnderItsTargetNameAndTheTableWithTheSourcesNameIsLeftAlone() throws Exception {
        ApplicationReport report = run("complete", "true");

        assertThat(report.outcome()).as(report.toText()).isEqualTo(ApplicationReport.Outcome.COMPLETE);
        assertThat(report.steps().get(0).phases().get("final")).containsEntry("emptied", 1).containsEntry("rows", 30L);
        assertThat(rows(app.targetDb(), PEOPLE)).isEqualTo(rows(app.sourceDb(),
                "SELECT id, email, created_at FROM users ORDER BY id"));
        assertThat(rows(app.targetDb(), LOGINS)).containsExactly(List.of("admin"), List.of("ops"));
    }

    @Test
    void aRollbackPutsTheRenamedTableBackAndLeavesTheTableWithTheSourcesNameAlone() throws Exception {
        // rows of the target's own, which the source does not have: the rollback must put back exactly these
        AppFixture.sql(app.targetDb(), "INSERT INTO people VALUES (101, 'a@target.org', '2023-01-01')",
                "INSERT INTO people VALUES (102, 'b@target.org', '2023-01-02')");
        List<List<String>> before = rows(app.targetDb(), PEOPLE);

        ApplicationReport report = run("rollback", "exit 3");

        assertThat(report.outcome()).as(report.toText()).isEqualTo(ApplicationReport.Outcome.ROLLED_BACK);
        assertThat(report.compensations()).containsExactly(
                "step 'database': dropped 0 table(s) this run created [], restored 1 from backup [people]");
        assertThat(rows(app.targetDb(), PEOPLE)).isEqualTo(before);
        assertThat(rows(app.targetDb(), LOGINS)).containsExactly(List.of("admin"), List.of("ops"));
        assertThat(rows(app.targetDb(), "SELECT name FROM sqlite_master WHERE name LIKE 'caravan_bak%'")).isEmpty();
    }
}
