package dev.caravan.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.api.journal.RunOutcome;
import dev.caravan.api.verify.VerificationOutcome;
import dev.caravan.core.engine.EngineSettings;
import dev.caravan.core.engine.ProgressListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link CaravanRuntime#runRoutes} and {@link CaravanRuntime#planRoutes} on {@code caravan-records:} routes: a
 * table migration from embedded SQLite into embedded H2 and a CSV to JSON Lines conversion on the local disk. A run
 * reports rows per table and counts a verification mismatch in the exit code even when the route handles the result
 * itself (failOnError=false); a plan with samples reads the source and writes nothing.
 */
class RecordRoutesTest {
    @TempDir
    Path tmp;
    private CaravanRuntime runtime;
    private String source;
    private String target;

    @BeforeEach
    void setUp() throws SQLException {
        runtime = CaravanRuntime.create(EngineSettings.defaults().withHome(tmp.resolve("home")));
        source = "jdbc:sqlite:" + tmp.resolve("src.db").toAbsolutePath();
        target = "jdbc:h2:" + tmp.resolve("dst").toAbsolutePath();
        try (Connection c = DriverManager.getConnection(source); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE items (id INTEGER PRIMARY KEY, code TEXT NOT NULL)");
            for (int i = 1; i <= 12; i++) {
                st.execute("INSERT INTO items VALUES (" + i + ", '" + "x".repeat(i) + "')");
            }
        }
    }

    @AfterEach
    void tearDown() {
        runtime.close();
    }

    private Path route(String uri) throws IOException {
        return Files.writeString(tmp.resolve("routes.yaml"), """
                - route:
                    id: items
                    from:
                      uri: "timer:go?repeatCount=1&delay=-1"
                      steps:
                        - to:
                            uri: "%s"
                """.formatted(uri));
    }

    @Test
    void aTableMigrationIsReportedWithItsRowsAndVerification() throws IOException {
        RoutesRun run = runtime.runRoutes(List.of(route("caravan-records:migrate?source=RAW(" + source
                + ")&target=RAW(" + target + ")&name=items-copy")), ProgressListener.NONE);

        assertThat(run.exitCode()).as(run.errors().toString()).isZero();
        assertThat(run.results()).isEmpty();
        assertThat(run.records()).singleElement().satisfies(r -> {
            assertThat(r.name()).isEqualTo("items-copy");
            assertThat(r.operation()).isEqualTo("migrate");
            assertThat(r.outcome()).isEqualTo(RunOutcome.COMPLETE);
            assertThat(r.items()).containsExactly(new RecordRun.Item("items", 12, 12, 0));
            assertThat(r.verification().clean()).isTrue();
            assertThat(r.runId()).isNotBlank();
            assertThat(r.duration()).isPositive();
        });
    }

    @Test
    void aMismatchTheRouteHandlesItselfStillGivesExitCodeOne() throws IOException, SQLException {
        try (Connection c = DriverManager.getConnection(target); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE \"items\" (\"id\" BIGINT PRIMARY KEY, \"code\" VARCHAR(5) NOT NULL)");
        }

        RoutesRun run = runtime.runRoutes(List.of(route("caravan-records:migrate?source=RAW(" + source
                + ")&target=RAW(" + target + ")&failOnError=false")), ProgressListener.NONE);

        assertThat(run.errors()).as("no exchange failed").isEmpty();
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.records()).singleElement().satisfies(r -> {
            assertThat(r.outcome()).isEqualTo(RunOutcome.VERIFICATION_FAILED);
            assertThat(r.items()).containsExactly(new RecordRun.Item("items", 12, 5, 7));
        });
    }

    @Test
    void aConversionIsReportedAndItsPlanWritesNoPart() throws IOException {
        Path in = Files.createDirectories(tmp.resolve("in"));
        Path out = tmp.resolve("out");
        Files.writeString(in.resolve("a.csv"), "id,amount\n1,2.50\n2,3.75\n3,oops\n");
        Path routes = route("caravan-records:convert?source=RAW(local:" + in + ")&target=RAW(local:" + out
                + ")&sourceFormat=csv&targetFormat=jsonl&include=*.csv&sourceFormat.schema=RAW(id:LONG,amount:DOUBLE)"
                + "&maxRejects=5");

        PlanOutcome plan = runtime.planRoutes(List.of(routes), 2);

        assertThat(plan.exitCode()).as(plan.errors().toString()).isZero();
        assertThat(plan.records()).singleElement().satisfies(p -> {
            assertThat(p.operation()).isEqualTo("convert");
            RecordPlan.TablePlan t = p.tables().get(0);
            assertThat(t.columns()).extracting(RecordPlan.ColumnMapping::targetColumn).containsExactly("id", "amount");
            assertThat(t.columns()).extracting(RecordPlan.ColumnMapping::rule).containsOnly("copy");
            assertThat(t.sample()).containsExactly(List.of("1", "2.5"), List.of("2", "3.75"));
        });
        assertThat(parts(out)).as("a plan writes nothing").isEmpty();

        RoutesRun run = runtime.runRoutes(List.of(routes), ProgressListener.NONE);

        assertThat(run.exitCode()).as(run.errors().toString()).isZero();
        assertThat(run.records()).singleElement().satisfies(r -> {
            assertThat(r.operation()).isEqualTo("convert");
            assertThat(r.items()).singleElement().satisfies(i -> {
                assertThat(i.name()).isEqualTo("1 object -> 1 part");
                assertThat(i.read()).isEqualTo(3);
                assertThat(i.written()).isEqualTo(2);
                assertThat(i.rejected()).isEqualTo(1);
            });
        });
        assertThat(parts(out)).hasSize(1);
    }

    /** `caravan verify` on a conversion said "no migration found" and exited 0, whatever the parts held. */
    @Test
    void aConversionIsVerifiedValueByValue() throws IOException {
        Path in = Files.createDirectories(tmp.resolve("vin"));
        Path out = tmp.resolve("vout");
        Files.writeString(in.resolve("a.csv"), "id,name\n1,ann\n2,bob\n");
        Path routes = route("caravan-records:convert?source=RAW(local:" + in + ")&target=RAW(local:" + out
                + ")&sourceFormat=csv&targetFormat=jsonl&include=*.csv");
        assertThat(runtime.runRoutes(List.of(routes), ProgressListener.NONE).exitCode()).isZero();

        List<String> errors = new java.util.ArrayList<>();
        List<String> badInput = new java.util.ArrayList<>();
        var clean = runtime.verifyRecordRoutes(List.of(routes), errors, badInput);
        assertThat(errors).isEmpty();
        assertThat(clean).singleElement().satisfies(e -> {
            assertThat(e.getKey()).isEqualTo("items");
            assertThat(e.getValue().clean()).as(e.getValue().problems().toString()).isTrue();
        });

        Path part = out.resolve("part-00000.jsonl");
        Files.writeString(part, Files.readString(part).replace("bob", "rob"));
        var tampered = runtime.verifyRecordRoutes(List.of(routes), errors, badInput);
        assertThat(tampered).singleElement().satisfies(e -> assertThat(e.getValue().problems()).singleElement()
                .satisfies(i -> assertThat(i.detail()).contains("record 2").contains("bob").contains("rob")));
    }

    /**
     * A conversion run ended "complete (not verified)", exit code 0, without reading its parts back: it verifies them
     * (every value), unless verify=none; an append run verifies the parts it wrote (it was not verified at all).
     */
    @Test
    void aConversionRunVerifiesItsPartsUnlessToldNot() throws IOException {
        Path in = Files.createDirectories(tmp.resolve("rin"));
        Files.writeString(in.resolve("a.csv"), "id,name\n1,ann\n2,bob\n");
        String convert = "caravan-records:convert?source=RAW(local:" + in + ")&sourceFormat=csv&targetFormat=jsonl"
                + "&include=*.csv&target=RAW(local:";

        RoutesRun verified = runtime.runRoutes(List.of(route(convert + tmp.resolve("r1") + ")")), ProgressListener.NONE);
        RoutesRun none = runtime.runRoutes(List.of(route(convert + tmp.resolve("r2") + ")&verify=none")),
                ProgressListener.NONE);
        RoutesRun appended = runtime.runRoutes(List.of(route(convert + tmp.resolve("r3") + ")&mode=append")),
                ProgressListener.NONE);
        RoutesRun appendedAgain = runtime.runRoutes(List.of(route(convert + tmp.resolve("r3") + ")&mode=append")),
                ProgressListener.NONE);
        Path bad = route(convert + tmp.resolve("r4") + ")&verify=sometimes");

        assertThat(verified.exitCode()).isZero();
        assertThat(verified.records()).singleElement().satisfies(r -> {
            assertThat(r.outcome()).isEqualTo(RunOutcome.COMPLETE);
            assertThat(r.verification().count(VerificationOutcome.MATCH)).isEqualTo(1);
            assertThat(r.verification().problems()).isEmpty();
        });
        assertThat(none.records()).singleElement().satisfies(r -> assertThat(r.verification()).isNull());
        for (RoutesRun append : List.of(appended, appendedAgain)) {
            assertThat(append.exitCode()).isZero();
            assertThat(append.records()).singleElement().satisfies(r -> {
                assertThat(r.verification().count(VerificationOutcome.MATCH)).isEqualTo(1);
                assertThat(r.verification().problems()).isEmpty();
            });
        }
        assertThat(Files.list(tmp.resolve("r3")).map(p -> p.getFileName().toString()).sorted())
                .containsExactly("part-00000.jsonl", "part-00001.jsonl");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> runtime.runRoutes(List.of(bad), ProgressListener.NONE))
                .isInstanceOfSatisfying(dev.caravan.api.error.MigrationException.class, e -> assertThat(e.kind())
                        .isEqualTo(dev.caravan.api.error.ErrorKind.USER_CONFIG))
                .hasMessageContaining("option 'verify': 'sometimes' is not one of");
    }

    @Test
    void aTablePlanShowsTheMappingAndSamplesAndCreatesNoTable() throws IOException, SQLException {
        PlanOutcome plan = runtime.planRoutes(List.of(route("caravan-records:migrate?source=RAW(" + source
                + ")&target=RAW(" + target + ")")), 3);

        assertThat(plan.exitCode()).as(plan.errors().toString()).isZero();
        RecordPlan.TablePlan items = plan.records().get(0).tables().get(0);
        assertThat(items.name()).isEqualTo("items");
        assertThat(items.columns()).containsExactly(
                new RecordPlan.ColumnMapping("id", "INTEGER (LONG NOT NULL)", "id",
                        "BIGINT GENERATED BY DEFAULT AS IDENTITY NOT NULL", "copy"),
                new RecordPlan.ColumnMapping("code", "TEXT (STRING NOT NULL)", "code", "CHARACTER VARYING NOT NULL",
                        "copy"));
        assertThat(items.sample()).containsExactly(List.of("1", "x"), List.of("2", "xx"),
                List.of("3", "xxx"));
        try (Connection c = DriverManager.getConnection(target);
                ResultSet rs = c.getMetaData().getTables(null, "PUBLIC", "%", null)) {
            assertThat(rs.next()).as("a plan creates no table").isFalse();
        }
    }

    private static List<Path> parts(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).toList();
        }
    }
}
