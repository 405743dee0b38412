package dev.caravan.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.application.ApplicationMigration;
import dev.caravan.application.ApplicationPlan;
import dev.caravan.application.ApplicationPlans;
import dev.caravan.application.ApplicationReport;
import dev.caravan.application.ApplicationSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the application example ({@code examples/application/app.yaml}) as its README does, with the environments
 * made by {@code setup.sh}'s steps in a temporary directory ({@code APP_ENV}): plan, then the cutover; the new
 * environment must hold the same data, the rewritten config and the switched 'current' link; the old one is
 * untouched.
 */
class ApplicationExampleTest {
    @TempDir
    Path tmp;
    private Path example;
    private Path env;

    @BeforeEach
    void setUp() throws Exception {
        example = Files.isDirectory(Path.of("application")) ? Path.of("application") : Path.of("examples/application");
        env = tmp.resolve("env");
        Path old = Files.createDirectories(env.resolve("old"));
        Files.createDirectories(env.resolve("new"));
        try (Stream<Path> seed = Files.walk(example.resolve("seed/uploads"))) {
            for (Path p : seed.filter(Files::isRegularFile).toList()) {
                Path to = old.resolve("uploads").resolve(example.resolve("seed/uploads").relativize(p).toString());
                Files.createDirectories(to.getParent());
                Files.copy(p, to);
            }
        }
        Files.copy(example.resolve("seed/app.properties"), old.resolve("app.properties"));
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + old.resolve("app.db"));
                Statement s = c.createStatement()) {
            for (String sql : Files.readString(example.resolve("seed/app.sql")).replaceAll("(?m)^--.*$", "")
                    .split(";")) {
                if (!sql.isBlank()) {
                    s.execute(sql);
                }
            }
        }
        Files.createSymbolicLink(env.resolve("current"), Path.of("old"));
    }

    @Test
    void theExampleMovesThePinboardApplication() throws Exception {
        Path plan = example.resolve("app.yaml");
        assertThat(ApplicationPlans.isApplicationPlan(plan)).isTrue();
        assertThat(ApplicationPlans.isApplicationPlan(example.resolve("../quickstart/quickstart.yaml"))).isFalse();
        ApplicationSettings settings = ApplicationSettings.defaults().withWorkDir(tmp.resolve("work"))
                .withVariables(Map.of("APP_ENV", env.toString()));
        Map<String, String> oldBefore = files(env.resolve("old"));

        ApplicationPlan dry = ApplicationMigration.load(plan, settings).plan();
        assertThat(dry.runnable()).as(dry.toText()).isTrue();
        assertThat(files(env.resolve("new"))).isEmpty();

        ApplicationReport report = ApplicationMigration.load(plan, settings).run();

        assertThat(report.exitCode()).as(report.toText()).isZero();
        for (String table : List.of("users", "posts")) {
            assertThat(rows(env.resolve("new/app.db"), table)).isEqualTo(rows(env.resolve("old/app.db"), table))
                    .isNotEmpty();
        }
        assertThat(files(env.resolve("new/uploads"))).isEqualTo(files(env.resolve("old/uploads"))).hasSize(3);
        assertThat(Files.readString(env.resolve("new/app.properties")))
                .contains("db.url=jdbc:sqlite:" + env + "/new/app.db", "upload.dir=" + env + "/new/uploads",
                        "app.base-url=http://pinboard.internal", "session.timeout=30m");
        assertThat(Files.readSymbolicLink(env.resolve("current"))).isEqualTo(Path.of("new"));
        assertThat(env.resolve("maintenance.flag")).doesNotExist();
        assertThat(report.hooks()).extracting(ApplicationReport.HookReport::point)
                .containsExactly("freeze #1", "switch #1");
        assertThat(files(env.resolve("old"))).isEqualTo(oldBefore);
    }

    private static Map<String, String> files(Path dir) throws Exception {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                out.put(dir.relativize(p).toString(), new String(Files.readAllBytes(p),
                        java.nio.charset.StandardCharsets.ISO_8859_1));
            }
        }
        return out;
    }

    private static List<List<String>> rows(Path db, String table) throws Exception {
        List<List<String>> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT * FROM " + table + " ORDER BY id")) {
            while (rs.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    row.add(rs.getString(i));
                }
                out.add(row);
            }
        }
        return out;
    }
}
