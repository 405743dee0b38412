package dev.caravan.routes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.core.engine.EngineSettings;
import dev.caravan.core.engine.ProgressListener;
import dev.caravan.runtime.CaravanRuntime;
import dev.caravan.runtime.RoutesRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs {@code application/cutover.yaml} through {@link CaravanRuntime}, as {@code caravan run} does: an application
 * plan (SQLite database, uploads directory, config file) moved between two local environments, then a plan whose
 * verification fails, which must fail the route and leave the target as it was.
 */
class ApplicationRouteTemplateTest {
    @TempDir
    static Path home;
    private static CaravanRuntime runtime;

    @TempDir
    Path tmp;

    @BeforeAll
    static void open() {
        runtime = CaravanRuntime.create(EngineSettings.defaults().withHome(home));
    }

    @AfterAll
    static void close() {
        runtime.close();
    }

    private Path environment() throws Exception {
        Path old = Files.createDirectories(tmp.resolve("old/uploads"));
        Files.createDirectories(tmp.resolve("new"));
        Files.writeString(old.resolve("a.txt"), "uploaded");
        Files.writeString(tmp.resolve("old/app.properties"), "db=jdbc:sqlite:" + tmp + "/old/app.db\n");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + tmp.resolve("old/app.db"));
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)");
            s.execute("INSERT INTO notes VALUES (1, 'one'), (2, 'two')");
        }
        return Files.writeString(tmp.resolve("app.yaml"), """
                application:
                  name: notes
                  steps:
                    - {id: db, kind: database, from: "jdbc:sqlite:%1$s/old/app.db", to: "jdbc:sqlite:%1$s/new/app.db"}
                    - {id: files, kind: files, from: "local:%1$s/old/uploads", to: "local:%1$s/new/uploads"}
                    - id: config
                      kind: config
                      after: [db]
                      from: local:%1$s/old
                      to: local:%1$s/new
                      files: [app.properties]
                      substitutions: [{find: /old/app.db, replace: /new/app.db}]
                  cutover:
                    switch: [{shell: "touch %1$s/switched"}]
                """.formatted(tmp));
    }

    private RoutesRun run(Path plan, String operation) throws Exception {
        Path routes = Files.writeString(tmp.resolve("routes-" + operation + ".yaml"), """
                - templatedRoute:
                    routeTemplateRef: application-cutover
                    routeId: move-notes-%s
                    parameters:
                      - {name: planFile, value: "%s"}
                      - {name: operation, value: %s}
                """.formatted(operation, plan, operation));
        return runtime.runRoutes(List.of(routes), ProgressListener.NONE);
    }

    @Test
    void runsTheCutover() throws Exception {
        Path plan = environment();
        RoutesRun dry = run(plan, "plan");
        assertThat(dry.errors()).isEmpty();
        assertThat(tmp.resolve("new/uploads")).doesNotExist();

        RoutesRun run = run(plan, "run");

        assertThat(run.errors()).isEmpty();
        assertThat(run.exitCode()).isZero();
        assertThat(tmp.resolve("new/uploads/a.txt")).hasContent("uploaded");
        assertThat(tmp.resolve("new/app.properties")).hasContent("db=jdbc:sqlite:" + tmp + "/new/app.db");
        assertThat(tmp.resolve("switched")).exists();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + tmp.resolve("new/app.db"));
                Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM notes")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(2);
        }
    }

    @Test
    void aFailedCutoverFailsTheRouteAndRollsBack() throws Exception {
        // another application than runsTheCutover's (same home): a moved application is not run again
        Path plan = Files.writeString(tmp.resolve("bad.yaml"), Files.readString(environment())
                .replace("name: notes", "name: notes-frozen-out")
                .replace("switch: [{shell: \"touch", "freeze: [{shell: \"exit 7; touch"));

        RoutesRun run = run(plan, "run");

        assertThat(run.exitCode()).isNotZero();
        assertThat(run.errors()).singleElement().asString().contains("ROLLED_BACK", "freeze #1 hook", "exit code 7");
        assertThat(tmp.resolve("new/uploads/a.txt")).doesNotExist();
        assertThat(tmp.resolve("new/app.properties")).doesNotExist();
    }
}
