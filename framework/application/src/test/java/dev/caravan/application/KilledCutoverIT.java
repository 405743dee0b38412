package dev.caravan.application;

import static dev.caravan.application.AppFixture.database;
import static dev.caravan.application.AppFixture.tree;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cutover whose JVM is killed by SIGKILL between the freeze and the switch (a hook runs {@code kill -9} on it after
 * verification): the application stays frozen and half-moved, its state file says RUNNING. The next run of the same
 * plan rolls the killed run back first (the freeze hook's compensation, then every step in reverse order, from the
 * snapshots the steps saved), reports it, and then runs afresh.
 */
class KilledCutoverIT {
    @TempDir
    Path tmp;

    private static final String HOOKS = """
              hooks:
                warm:
                  pre:
                    - shell: 'test ! -f ${ENV}/refuse || { echo refused by the test; exit 4; }'
                verify:
                  post:
                    - shell: 'if [ -f ${ENV}/kill-once ]; then rm ${ENV}/kill-once; kill -9 $PPID; sleep 30; fi'
              cutover:
                freeze:
                  - shell: 'touch ${ENV}/maintenance.flag && echo freeze >> ${ENV}/order.log'
                    compensate: {shell: 'rm -f ${ENV}/maintenance.flag && echo unfreeze >> ${ENV}/order.log'}
                switch:
                  - shell: 'echo switch >> ${ENV}/order.log'
            """;

    @Test
    void theNextRunRollsTheKilledCutoverBackBeforeStartingAfresh() throws Exception {
        AppFixture app = new AppFixture(tmp.resolve("env"));
        // the target holds things of its own, which the killed run overwrote and deleted (sync)
        AppFixture.sql(app.targetDb(), "CREATE TABLE legacy (id INTEGER PRIMARY KEY, v TEXT)",
                "INSERT INTO legacy VALUES (1, 'keep me')");
        Files.createDirectories(app.fresh.resolve("uploads"));
        Files.writeString(app.fresh.resolve("uploads/logo.svg"), "<svg>logo v1</svg>");
        Files.writeString(app.fresh.resolve("uploads/only-on-target.txt"), "sync deletes me");
        Files.writeString(app.fresh.resolve("app.properties"), "the target's own config\n");
        Map<String, String> targetFiles = tree(app.fresh);
        Map<String, List<List<String>>> targetDb = database(app.targetDb());
        Map<String, String> sourceFiles = tree(app.old);
        Path plan = app.write("app.yaml", app.examplePlan(app.old + "/uploads", HOOKS));
        Path work = tmp.resolve("work");
        Files.writeString(app.env.resolve("kill-once"), "");

        Path log = tmp.resolve("child.log");
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", System.getProperty("java.class.path"), CutoverChild.class.getName(),
                plan.toString(), work.toString(), app.env.toString()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        assertThat(child.waitFor(120, TimeUnit.SECONDS)).as("child finished").isTrue();

        // killed: no report, the application frozen, the target half-moved, the state says RUNNING
        assertThat(child.exitValue()).as(Files.readString(log)).isEqualTo(137);
        Path killedRun;
        try (var dirs = Files.list(work.resolve("pinboard"))) {
            killedRun = dirs.findFirst().orElseThrow();
        }
        assertThat(killedRun.resolve("report.json")).doesNotExist();
        // the output file of the hook that was running is left behind, owner only, in the killed run's directory
        Path outputs = killedRun.resolve(HookRunner.OUTPUT_DIR);
        try (var left = Files.list(outputs)) {
            assertThat(left.toList()).singleElement().satisfies(f -> assertThat(
                    java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(f)))
                    .isEqualTo("rw-------"));
        }
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(outputs)))
                .isEqualTo("rwx------");
        assertThat(Files.readString(killedRun.resolve(RunState.FILE))).contains("\"status\" : \"RUNNING\"",
                "\"point\" : \"verify.post #1 hook\"", "\"hook:freeze #1\"", "\"step:config\"");
        assertThat(app.env.resolve("maintenance.flag")).exists();
        assertThat(tree(app.fresh)).isNotEqualTo(targetFiles).doesNotContainKey("uploads/only-on-target.txt");

        // the next run (refused by its first hook, before writing) rolls the killed one back: target as before
        Files.writeString(app.env.resolve("refuse"), "");
        ApplicationReport recovering = ApplicationMigration.load(plan, ApplicationSettings.defaults()
                .withWorkDir(work).withVariables(Map.of("ENV", app.env.toString()))).run();

        assertThat(recovering.recovery()).as(recovering.toText()).hasSize(5);
        assertThat(recovering.recovery().get(0)).isEqualTo("run " + killedRun.getFileName() + " was killed at "
                + "verify.post #1 hook: ROLLED_BACK (4 compensation(s), reverse order)");
        assertThat(recovering.recovery().subList(1, 5)).extracting(String::strip).satisfiesExactly(
                c -> assertThat(c).startsWith("freeze #1 hook: ran shell 'rm -f"),
                c -> assertThat(c).startsWith("step 'config': restored 1 previous config file(s)"),
                c -> assertThat(c).startsWith("step 'uploads': deleted 2 object(s) this run wrote, restored 2 from backup"),
                c -> assertThat(c).startsWith("step 'database': dropped 2 table(s) this run created [posts, users]"));
        assertThat(recovering.toText()).contains("recovery of killed run(s) before this one:");
        assertThat(recovering.failure()).contains("refused by the test");
        assertThat(tree(app.fresh)).isEqualTo(targetFiles);
        assertThat(database(app.targetDb())).isEqualTo(targetDb);
        assertThat(tree(app.old)).isEqualTo(sourceFiles);
        assertThat(app.env.resolve("maintenance.flag")).doesNotExist();
        assertThat(Files.readString(killedRun.resolve(RunState.FILE))).contains("\"status\" : \"ROLLED_BACK\"");
        assertThat(outputs).as("the killed hook's output, removed by the next run").doesNotExist();

        // and the run after it has nothing left to recover and completes
        Files.delete(app.env.resolve("refuse"));
        ApplicationReport fresh = ApplicationMigration.load(plan, ApplicationSettings.defaults().withWorkDir(work)
                .withVariables(Map.of("ENV", app.env.toString()))).run();

        assertThat(fresh.outcome()).as(fresh.toText()).isEqualTo(ApplicationReport.Outcome.COMPLETE);
        assertThat(fresh.recovery()).isEmpty();
        assertThat(database(app.targetDb())).containsKeys("users", "posts", "legacy");
        assertThat(AppFixture.read(app.env.resolve("order.log")).lines())
                .containsExactly("freeze", "unfreeze", "freeze", "switch");
    }
}
