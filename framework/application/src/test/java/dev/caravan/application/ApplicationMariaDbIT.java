package dev.caravan.application;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A database step between two databases of the MariaDB server of {@code scripts/servers/mariadb.sh} (or
 * {@code CARAVAN_IT_MARIADB_URL}), which holds other databases too: the step sees the tables of its own databases
 * only, and its rollback restores a pre-existing table with odd identifiers.
 */
class ApplicationMariaDbIT {
    private static final String ADMIN = System.getenv().getOrDefault("CARAVAN_IT_MARIADB_URL",
            "jdbc:mariadb://127.0.0.1:18033/mysql?user=root");
    private static final List<String> DATABASES = List.of("app_it_src", "app_it_dst", "app_it_other");

    @TempDir
    Path tmp;

    private static void sql(String... statements) throws Exception {
        try (Connection c = DriverManager.getConnection(ADMIN); Statement s = c.createStatement()) {
            for (String q : statements) {
                s.execute(q);
            }
        }
    }

    private static String url(String database) {
        return ADMIN.replace("/mysql?", "/" + database + "?");
    }

    @BeforeEach
    void databases() throws Exception {
        for (String d : DATABASES) {
            sql("DROP DATABASE IF EXISTS " + d, "CREATE DATABASE " + d);
        }
        sql("CREATE TABLE app_it_src.`order items` (id INT PRIMARY KEY, `select` VARCHAR(20), `we\"ird` TEXT)",
                "INSERT INTO app_it_src.`order items` VALUES (1, 'a', 'x'), (2, 'b', 'y')",
                "CREATE TABLE app_it_other.unrelated (id INT PRIMARY KEY)",
                "CREATE TABLE app_it_dst.`order items` (id INT PRIMARY KEY, `we\"ird` TEXT, `select` VARCHAR(20))",
                "INSERT INTO app_it_dst.`order items` VALUES (1, 'x', 'a')");
    }

    @AfterEach
    void drop() throws Exception {
        for (String d : DATABASES) {
            sql("DROP DATABASE IF EXISTS " + d);
        }
    }

    @Test
    void aStepSeesItsOwnDatabaseAndItsRollbackRestoresTheTargetTable() throws Exception {
        Path plan = Files.writeString(tmp.resolve("app.yaml"), """
                application:
                  name: mariadb
                  steps:
                    - id: db
                      kind: database
                      from: "%s"
                      to: "%s"
                      incremental: {column: id, mode: key}
                  cutover:
                    switch:
                      - shell: 'exit 6'
                """.formatted(url("app_it_src"), url("app_it_dst")));
        ApplicationSettings settings = ApplicationSettings.defaults().withWorkDir(tmp.resolve("work"));

        ApplicationPlan dry = ApplicationMigration.load(plan, settings).plan();
        assertThat(dry.runnable()).as(dry.toText()).isTrue();
        assertThat(dry.steps().get(0).preview().figures()).as(dry.toText()).containsEntry("tables", 1)
                .containsEntry("rows", 2L);

        ApplicationReport report = ApplicationMigration.load(plan, settings).run();

        assertThat(report.outcome()).as(report.toText()).isEqualTo(ApplicationReport.Outcome.ROLLED_BACK);
        assertThat(report.failedAt()).isEqualTo("switch #1 hook");
        assertThat(AppFixture.rows(url("app_it_dst"), "SELECT id, `select`, `we\"ird` FROM `order items`"))
                .containsExactly(List.of("1", "a", "x"));
        assertThat(AppFixture.rows(url("app_it_dst"), "SHOW TABLES")).containsExactly(List.of("order items"));
        assertThat(AppFixture.rows(url("app_it_other"), "SHOW TABLES")).containsExactly(List.of("unrelated"));
    }

    @Test
    void aReloadKeepsTheTargetTablesOwnIndexAndDefault() throws Exception {
        sql("DELETE FROM app_it_dst.`order items`", "CREATE INDEX by_select ON app_it_dst.`order items` (`select`)",
                "ALTER TABLE app_it_dst.`order items` ALTER `we\"ird` SET DEFAULT 'none'");
        String definition = "SELECT INDEX_NAME, COLUMN_NAME FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = "
                + "'app_it_dst' UNION ALL SELECT COLUMN_NAME, COLUMN_DEFAULT FROM information_schema.COLUMNS WHERE "
                + "TABLE_SCHEMA = 'app_it_dst' AND COLUMN_DEFAULT IS NOT NULL ORDER BY 1, 2";
        List<List<String>> defined = AppFixture.rows(url("app_it_dst"), definition);
        Path plan = Files.writeString(tmp.resolve("app.yaml"), """
                application:
                  name: reload
                  steps:
                    - {id: db, kind: database, from: "%s", to: "%s"}
                """.formatted(url("app_it_src"), url("app_it_dst")));

        ApplicationReport report = ApplicationMigration.load(plan, ApplicationSettings.defaults()
                .withWorkDir(tmp.resolve("work"))).run();

        assertThat(report.outcome()).as(report.toText()).isEqualTo(ApplicationReport.Outcome.COMPLETE);
        assertThat(AppFixture.rows(url("app_it_dst"), definition)).containsAll(defined).contains(List.of("by_select",
                "select"));
        assertThat(report.steps().get(0).phases().get("final")).containsEntry("emptied", 1).containsEntry("rows", 2L);
        assertThat(AppFixture.rows(url("app_it_dst"), "SELECT id, `select`, `we\"ird` FROM `order items` ORDER BY id"))
                .containsExactly(List.of("1", "a", "x"), List.of("2", "b", "y"));
    }
}
