package dev.caravan.application;

import static dev.caravan.application.AppFixture.database;
import static dev.caravan.application.AppFixture.rows;
import static dev.caravan.application.AppFixture.tree;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Application runs end to end on embedded SQLite databases and local directories: the complete cutover, and the
 * rollbacks (verification mismatch, failing freeze hook, a step failing midway) that must leave the target exactly
 * as it was and the source untouched.
 */
class ApplicationMigrationTest {
    @TempDir
    Path tmp;
    private AppFixture app;
    private ApplicationSettings settings;

    @BeforeEach
    void environments() throws Exception {
        app = new AppFixture(tmp.resolve("env"));
        settings = app.settings();
    }

    private static final String HOOKS = """
              hooks:
                warm:
                  post:
                    - sql: "INSERT INTO users VALUES (31, 'late@example.org', '2024-02-01')"
                      url: jdbc:sqlite:${ENV}/old/app.db
                    - shell: 'echo "late upload" > ${ENV}/old/uploads/late.txt'
              cutover:
                freeze:
                  - shell: 'touch ${ENV}/maintenance.flag && echo freeze >> ${ENV}/order.log'
                    compensate: {shell: 'rm -f ${ENV}/maintenance.flag && echo unfreeze >> ${ENV}/order.log'}
                switch:
                  - shell: 'ln -sfn new ${ENV}/current && echo switch >> ${ENV}/order.log'
            """;

    @Test
    void movesDatabaseFilesAndConfigWithAFinalIncrementalPass() throws Exception {
        ApplicationReport report = ApplicationMigration.load(app.write("app.yaml", app.examplePlan(app.old + "/uploads",
                HOOKS)), settings).run();

        assertThat(report.exitCode()).as(report.toText()).isZero();
        assertThat(report.outcome()).isEqualTo(ApplicationReport.Outcome.COMPLETE);
        // the rows and the file written during the warm phase came over in the final pass
        assertThat(database(app.targetDb())).isEqualTo(database(app.sourceDb()));
        assertThat(rows(app.targetDb(), "SELECT COUNT(*) FROM users")).containsExactly(List.of("31"));
        assertThat(tree(app.fresh.resolve("uploads"))).isEqualTo(tree(app.old.resolve("uploads")))
                .containsKey("late.txt");
        assertThat(report.steps().get(0).phases().get("final")).containsEntry("rows", 1L);
        assertThat(report.steps().get(1).phases().get("final")).containsEntry("objects", 1L);
        String config = AppFixture.read(app.fresh.resolve("app.properties"));
        assertThat(config).contains("db.url=jdbc:sqlite:" + app.env + "/new/app.db",
                "upload.dir=" + app.env + "/new/uploads", "feature.x=on").doesNotContain("/old/");
        assertThat(AppFixture.read(app.env.resolve("order.log")).lines()).containsExactly("freeze", "switch");
        assertThat(Files.readSymbolicLink(app.env.resolve("current"))).isEqualTo(Path.of("new"));
        assertThat(report.steps()).allMatch(s -> Boolean.TRUE.equals(s.verified()));
        assertThat(AppFixture.read(app.old.resolve("app.properties"))).contains("/old/app.db");
        assertThat(report.runDir().resolve("report.json")).exists();
        assertThat(report.toJson()).contains("\"outcome\" : \"COMPLETE\"");
    }

    @Test
    void aSecondRunOfAMovedApplicationIsRefusedAndTouchesNothing() throws Exception {
        Path plan = app.write("app.yaml", app.examplePlan(app.old + "/uploads", HOOKS));
        ApplicationReport first = ApplicationMigration.load(plan, settings).run();
        assertThat(first.outcome()).as(first.toText()).isEqualTo(ApplicationReport.Outcome.COMPLETE);
        // the new environment is live now: it gets a row and an upload of its own
        AppFixture.sql(app.targetDb(), "INSERT INTO users VALUES (99, 'new@example.org', '2024-03-01')");
        Files.writeString(app.fresh.resolve("uploads/after-switch.txt"), "uploaded on the new environment");
        Map<String, String> live = tree(app.fresh);
        Map<String, List<List<String>>> liveDb = database(app.targetDb());

        ApplicationReport again = ApplicationMigration.load(plan, settings).run();

        assertThat(again.outcome()).as(again.toText()).isEqualTo(ApplicationReport.Outcome.INVALID);
        assertThat(again.exitCode()).isEqualTo(2);
        assertThat(again.failure()).contains("application pinboard was already moved by run " + first.runId(),
                "Nothing was done");
        assertThat(again.hooks()).isEmpty();
        assertThat(again.toText()).contains("  refused before the warm phase: application pinboard was already moved")
                .doesNotContain("rollback (");
        assertThat(AppFixture.read(app.env.resolve("order.log")).lines()).containsExactly("freeze", "switch");
        assertThat(tree(app.fresh)).isEqualTo(live);
        assertThat(database(app.targetDb())).isEqualTo(liveDb);
        ApplicationPlan replan = ApplicationMigration.load(plan, settings).plan();
        assertThat(replan.exitCode()).isEqualTo(2);
        assertThat(replan.toText()).contains("FAIL application pinboard was already moved by run " + first.runId());
    }

    @Test
    void aVerificationMismatchRollsEveryStepBackAndLeavesTheTargetAsBefore() throws Exception {
        // the target environment already holds things of its own: a table, an upload with the same name, a config
        AppFixture.sql(app.targetDb(), "CREATE TABLE legacy (id INTEGER PRIMARY KEY, v TEXT)",
                "INSERT INTO legacy VALUES (1, 'keep me')");
        Files.createDirectories(app.fresh.resolve("uploads"));
        Files.writeString(app.fresh.resolve("uploads/logo.svg"), "<svg>logo v1</svg>");
        Files.writeString(app.fresh.resolve("uploads/only-on-target.txt"), "sync would delete me");
        Files.writeString(app.fresh.resolve("app.properties"), "the target's own config\n");
        Map<String, String> targetFiles = tree(app.fresh);
        Map<String, List<List<String>>> targetDb = database(app.targetDb());
        Map<String, String> sourceFiles = tree(app.old);
        Map<String, List<List<String>>> sourceDb = database(app.sourceDb());

        // a hook corrupts a target upload after the final pass: verification must catch it
        String extra = """
                  hooks:
                    final:
                      post:
                        - shell: 'echo corrupted >> ${ENV}/new/uploads/2024/cat.txt'
                  cutover:
                    freeze:
                      - shell: 'touch ${ENV}/maintenance.flag'
                        compensate: {shell: 'rm -f ${ENV}/maintenance.flag'}
                    switch:
                      - shell: 'ln -sfn new ${ENV}/current'
                """;
        ApplicationReport report = ApplicationMigration.load(app.write("app.yaml", app.examplePlan(app.old + "/uploads",
                extra)), settings).run();

        assertThat(report.exitCode()).as(report.toText()).isEqualTo(1);
        assertThat(report.outcome()).as(report.toText()).isEqualTo(ApplicationReport.Outcome.ROLLED_BACK);
        assertThat(report.failingStep()).isEqualTo("uploads");
        assertThat(report.failedAt()).isEqualTo("verification of step 'uploads'");
        assertThat(report.steps().get(1).verified()).isFalse();
        // every participant compensated, in reverse order of joining: freeze hook, config, uploads, database
        assertThat(report.compensations()).hasSize(4);
        assertThat(report.compensations().get(0)).startsWith("freeze #1 hook: ran");
        assertThat(report.compensations().subList(1, 4)).extracting(c -> c.substring(0, c.indexOf(':')))
                .containsExactly("step 'config'", "step 'uploads'", "step 'database'");
        assertThat(tree(app.fresh)).isEqualTo(targetFiles);
        assertThat(database(app.targetDb())).isEqualTo(targetDb);
        assertThat(tree(app.old)).isEqualTo(sourceFiles);
        assertThat(database(app.sourceDb())).isEqualTo(sourceDb);
        assertThat(app.env.resolve("maintenance.flag")).doesNotExist();
        assertThat(app.env.resolve("current")).doesNotExist();
        System.out.println(report.toText()); // kept in the surefire output: what a user reads
        assertThat(report.toText()).contains("failed at verification of step 'uploads'");
    }

    @Test
    void aFailingFreezeHookLeavesNothingOnTheTarget() throws Exception {
        String extra = """
                  cutover:
                    freeze:
                      - shell: 'echo cannot reach the load balancer; exit 3'
                """;
        ApplicationReport report = ApplicationMigration.load(app.write("app.yaml", app.examplePlan(app.old + "/uploads",
                extra)), settings).run();

        assertThat(report.exitCode()).as(report.toText()).isEqualTo(1);
        assertThat(report.failedAt()).isEqualTo("freeze #1 hook");
        assertThat(report.failure()).contains("exit code 3", "cannot reach the load balancer");
        assertThat(report.compensations()).hasSize(3);
        assertThat(tree(app.fresh)).isEmpty();
        assertThat(database(app.targetDb())).isEmpty();
    }

    @Test
    void aStepFailingMidwayCompensatesTheStepsBeforeIt() throws Exception {
        // the preflight passes; then the line the second substitution rewrites disappears from the source config
        // before the warm phase: the config step (third) fails in its warm pass, after the other two moved data
        String extra = """
                  hooks:
                    warm:
                      pre:
                        - shell: "sed -i '/^upload.dir=/d' ${ENV}/old/app.properties"
                """;
        ApplicationReport report = ApplicationMigration.load(app.write("app.yaml", app.examplePlan(app.old + "/uploads",
                extra)), settings).run();

        assertThat(report.exitCode()).as(report.toText()).isEqualTo(1);
        assertThat(report.failingStep()).isEqualTo("config");
        assertThat(report.failedAt()).isEqualTo("step 'config' (warm)");
        assertThat(report.failure()).contains("matched nothing", "'" + app.old + "/uploads'");
        assertThat(report.steps().get(0).compensation()).startsWith("dropped 2 table(s)");
        assertThat(report.steps().get(1).compensation()).startsWith("deleted 3 object(s)");
        assertThat(tree(app.fresh)).isEmpty();
        assertThat(database(app.targetDb())).isEmpty();
    }

    @Test
    void aStepThatCannotRunRefusesTheRunBeforeAnyStepWrites() throws Exception {
        // the third step's substitution matches nothing, and a fourth step names an option its store does not have
        String extra = """
                    - id: assets
                      kind: files
                      from: local:${ENV}/old/uploads
                      to: local:${ENV}/new/assets
                      toOptions: {fsynk: true}
                  cutover:
                    freeze:
                      - shell: 'touch ${ENV}/maintenance.flag'
                """;
        ApplicationReport report = ApplicationMigration.load(app.write("app.yaml", app.examplePlan("/no/such/dir", extra)),
                settings).run();

        assertThat(report.outcome()).as(report.toText()).isEqualTo(ApplicationReport.Outcome.INVALID);
        assertThat(report.exitCode()).isEqualTo(2);
        assertThat(report.failingStep()).isEqualTo("config");
        assertThat(report.failure()).contains("nothing was written", "step 'config': FAIL substitution #2",
                "step 'assets': FAIL unknown option 'fsynk'");
        assertThat(report.hooks()).isEmpty();
        assertThat(tree(app.fresh)).isEmpty();
        assertThat(Files.exists(app.fresh.resolve("app.db"))).isFalse();
        assertThat(app.env.resolve("maintenance.flag")).doesNotExist();
    }

    @Test
    void planWarnsOfFreezeAndSwitchHooksARollbackCannotUndo() throws Exception {
        String extra = """
                  cutover:
                    freeze:
                      - shell: 'touch ${ENV}/maintenance.flag'
                    switch:
                      - shell: 'ln -sfn new ${ENV}/current'
                      - http: 'http://127.0.0.1:9/lb'
                        method: PUT
                """;
        ApplicationPlan plan = ApplicationMigration.load(app.write("app.yaml", app.examplePlan(app.old + "/uploads",
                extra)), settings).plan();

        assertThat(plan.runnable()).as(plan.toText()).isTrue();
        assertThat(plan.checks()).containsExactly(
                "WARN freeze #1 hook has no compensate: a rollback leaves the application frozen (undo it by hand)",
                "WARN switch #1 hook has no compensate: if a later switch hook fails, the rollback removes what the "
                        + "steps wrote while what this hook switched stays switched");
        assertThat(plan.toText()).contains("WARN freeze #1 hook has no compensate");
    }

    @Test
    void planShowsEveryStepWithFiguresAndWritesNothing() throws Exception {
        ApplicationPlan plan = ApplicationMigration.load(app.write("app.yaml", app.examplePlan(app.old + "/uploads",
                HOOKS)), settings).plan();

        assertThat(plan.runnable()).as(plan.toText()).isTrue();
        assertThat(plan.steps()).extracting(ApplicationPlan.PlannedStep::id)
                .containsExactly("database", "uploads", "config");
        assertThat(plan.steps().get(0).preview().figures()).containsEntry("rows", 60L).containsEntry("tables", 2);
        assertThat(plan.steps().get(1).preview().figures()).containsEntry("copy", 3L);
        assertThat(plan.toText()).contains("freeze hook: shell 'touch", "switch hook", "substitution #2");
        assertThat(tree(app.fresh)).isEmpty();
        assertThat(Files.exists(app.fresh.resolve("app.db"))).isFalse();
        assertThat(app.work).doesNotExist();
    }

    @Test
    void aRunStillAliveInAnotherProcessIsNotRolledBackUnderItsFeet() throws Exception {
        // the state of a run whose process (this JVM's parent, Maven) is alive: recovering it would be wrong
        long alive = ProcessHandle.current().parent().orElseThrow().pid();
        Path other = Files.createDirectories(app.work.resolve("pinboard/20250101-000000-000"));
        Files.writeString(other.resolve(RunState.FILE), "{\"runId\": \"20250101-000000-000\", \"pid\": " + alive
                + ", \"status\": \"RUNNING\", \"point\": \"freeze #1 hook\", \"participants\": [\"step:uploads\"]}");

        ApplicationReport report = ApplicationMigration.load(app.write("app.yaml", app.examplePlan(app.old + "/uploads",
                "")), settings).run();

        assertThat(report.outcome()).isEqualTo(ApplicationReport.Outcome.INVALID);
        assertThat(report.failure()).contains("run 20250101-000000-000 of application pinboard is still running",
                "process " + alive);
        assertThat(tree(app.fresh)).isEmpty();
        assertThat(Files.readString(other.resolve(RunState.FILE))).contains("RUNNING");
    }
}
