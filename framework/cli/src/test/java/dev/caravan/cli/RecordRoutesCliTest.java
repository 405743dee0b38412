package dev.caravan.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code caravan run} and {@code caravan plan --sample N} on {@code caravan-records:} routes (the
 * {@code logical-database} and {@code logical-tables} templates), from an embedded SQLite database into embedded H2:
 * the run prints rows read, written and rejected per table with the verification and counts the result in the exit
 * code; the plan prints the type mapping and converted sample rows and writes nothing.
 */
class RecordRoutesCliTest {
    @TempDir
    Path dir;
    private String source;
    private String target;

    @BeforeEach
    void shop() throws SQLException {
        source = "jdbc:sqlite:" + dir.resolve("shop.db").toAbsolutePath();
        target = "jdbc:h2:" + dir.resolve("copy").toAbsolutePath();
        try (Connection c = DriverManager.getConnection(source); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT NOT NULL, score REAL)");
            st.execute("CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL"
                    + " REFERENCES customers(id), total NUMERIC(10,2))");
            for (int i = 1; i <= 30; i++) {
                st.execute("INSERT INTO customers VALUES (" + i + ", 'customer " + i + "', " + (i * 1.5) + ")");
            }
            for (int i = 1; i <= 45; i++) {
                st.execute("INSERT INTO orders VALUES (" + i + ", " + (i % 30 + 1) + ", " + i + ".25)");
            }
        }
    }

    private CliRunner.Result caravan(String... args) {
        return CliRunner.inHome(dir.resolve("home"), args);
    }

    private Path database(String mode) throws IOException {
        return Files.writeString(dir.resolve("database.yaml"), """
                - templatedRoute:
                    routeTemplateRef: logical-database
                    routeId: shop
                    parameters:
                      - name: source
                        value: "%s"
                      - name: target
                        value: "%s"
                      - name: mode
                        value: %s
                """.formatted(source, target, mode));
    }

    @Test
    void runPrintsRowsPerTableAndTheVerificationOfADatabaseMigration() throws IOException {
        CliRunner.Result r = caravan("run", database("append").toString());

        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.err()).as(r.toString()).doesNotContain("no migration found", "no caravan: object migration");
        assertThat(r.out()).as(r.toString()).contains("shop: migrate complete and verified in ")
                .contains("jdbc:sqlite:" + dir.resolve("shop.db").toAbsolutePath() + " -> " + target)
                .containsPattern("customers +30 +30 +0")
                .containsPattern("orders +45 +45 +0")
                .containsPattern("total +75 +75 +0")
                .containsPattern("verified  \\d+ match")
                .contains("run id    ");
    }

    /** verify FILE.yaml of a table migration: it said "no migration found" and exited 0, a tampered target too. */
    @Test
    void verifyOfADatabaseMigrationComparesTheTablesAndFindsATamperedRow() throws IOException, SQLException {
        Path yaml = database("append");
        assertThat(caravan("run", yaml.toString()).code()).isZero();

        CliRunner.Result clean = caravan("verify", yaml.toString());
        assertThat(clean.code()).as(clean.toString()).isZero();
        assertThat(clean.out()).contains("verify shop: ").contains(" match");
        assertThat(clean.err()).doesNotContain("no migration found");

        try (Connection c = DriverManager.getConnection(target); Statement st = c.createStatement()) {
            st.execute("UPDATE \"customers\" SET \"name\" = 'someone else' WHERE \"id\" = 7");
        }
        CliRunner.Result tampered = caravan("verify", yaml.toString());
        assertThat(tampered.code()).as(tampered.toString()).isEqualTo(1);
        assertThat(tampered.out()).contains("DIFFER");
    }

    @Test
    void aRerunOfACompletedDatabaseMigrationSaysEveryTableWasSkipped() throws IOException {
        Path yaml = database("append");
        assertThat(caravan("run", yaml.toString()).code()).isZero();

        CliRunner.Result again = caravan("run", yaml.toString());

        assertThat(again.code()).as(again.toString()).isZero();
        assertThat(again.out()).as(again.toString())
                .containsPattern("customers +- +skipped: complete from an earlier run")
                .containsPattern("orders +- +skipped: complete from an earlier run");
    }

    /** keepReplaced: the summary says where the rows of a replaced table went; they were only in the log. */
    @Test
    void aReplaceThatKeepsTheOldRowsNamesTheKeptTableAndItsRowCount() throws IOException, SQLException {
        int oldRows = 3 + new java.util.Random().nextInt(5);
        try (Connection c = DriverManager.getConnection(target); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE \"customers\" (\"id\" BIGINT PRIMARY KEY, \"name\" VARCHAR(40))");
            for (int i = 1; i <= oldRows; i++) {
                st.execute("INSERT INTO \"customers\" VALUES (" + (1000 + i) + ", 'old " + i + "')");
            }
        }
        Path yaml = Files.writeString(dir.resolve("keep.yaml"), """
                - route:
                    id: keep
                    from:
                      uri: "timer:go?repeatCount=1&delay=-1"
                      steps:
                        - to:
                            uri: "caravan-records:migrate?source=RAW(%s)&target=RAW(%s)&include=customers\
                &target.mode=replace&target.keepReplaced=true&name=keep"
                """.formatted(source, target));

        CliRunner.Result r = caravan("run", yaml.toString());

        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).as(r.toString()).containsPattern("customers +30 +30 +0")
                .containsPattern("kept +customers: " + oldRows + " rows in customers__caravan_\\S+"
                        + " \\(before it was dropped or emptied\\)");
        String kept = r.out().lines().filter(l -> l.contains("kept ")).findFirst().orElseThrow()
                .replaceAll(".* rows in (\\S+) .*", "$1");
        try (Connection c = DriverManager.getConnection(target); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM \"" + kept + "\"")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getLong(1)).as("the printed name is the kept table").isEqualTo(oldRows);
        }
    }

    @Test
    void aTableTheTargetRefusesRowsOfIsReportedAndGivesExitCodeOne() throws IOException, SQLException {
        try (Connection c = DriverManager.getConnection(target); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE \"customers\" (\"id\" BIGINT PRIMARY KEY, \"name\" VARCHAR(10) NOT NULL,"
                    + " \"score\" DOUBLE PRECISION)"); // 'customer 10' and longer do not fit
        }
        Path yaml = Files.writeString(dir.resolve("tables.yaml"), """
                - templatedRoute:
                    routeTemplateRef: logical-tables
                    routeId: customers-only
                    parameters:
                      - name: source
                        value: "%s"
                      - name: target
                        value: "%s"
                      - name: tables
                        value: customers
                """.formatted(source, target));

        CliRunner.Result r = caravan("run", yaml.toString());

        assertThat(r.code()).as(r.toString()).isEqualTo(1);
        assertThat(r.out()).as(r.toString()).contains("customers-only: migrate VERIFICATION FAILED")
                .containsPattern("customers +30 +9 +21")
                .contains("DIFFER");
        assertThat(r.err()).as(r.toString()).contains("record migrate 'customers-only' verification failed");
        assertThat(r.err().lines().filter(l -> l.startsWith("caravan: error:"))).as("said once: " + r)
                .hasSize(1);
    }

    @Test
    void planWithSamplesShowsTheTypeMappingAndConvertedRowsAndWritesNothing() throws IOException, SQLException {
        CliRunner.Result r = caravan("plan", database("append").toString(), "--sample", "2");

        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).as(r.toString()).contains("(records migrate, 2 tables)")
                .contains("table customers: 1 split", "table orders: 1 split")
                .containsPattern("score +REAL \\(DOUBLE\\) +score +DOUBLE PRECISION +copy")
                .containsPattern("total +NUMERIC(\\(10,2\\))? \\(DECIMAL\\(10,2\\)\\) +total"
                        + " +NUMERIC\\(10, ?2\\) +copy")
                .contains("2 sample record(s) as the target would hold them:")
                .containsPattern("1 +customer 1 +1.5")
                .containsPattern("2 +customer 2 +3.0")
                .contains("target DDL:", "CREATE TABLE")
                .contains("nothing was written to the target");
        assertThat(tables()).as("a plan creates no table in the target").isEmpty();

        CliRunner.Result json = caravan("plan", "--json", "--sample", "1", dir.resolve("database.yaml").toString());
        assertThat(json.code()).as(json.toString()).isZero();
        JsonNode doc = new ObjectMapper().readTree(json.out());
        JsonNode customers = doc.at("/records/0/tables/0");
        assertThat(customers.get("name").asText()).isEqualTo("customers");
        assertThat(customers.get("sample")).hasSize(1);
        assertThat(customers.at("/sample/0/1").asText()).isEqualTo("customer 1");
        assertThat(customers.at("/columns/0/sourceColumn").asText()).isEqualTo("id");
        assertThat(tables()).isEmpty();
    }

    @Test
    void aNegativeSampleIsBadInput() throws IOException {
        CliRunner.Result r = caravan("plan", database("append").toString(), "--sample", "-1");

        assertThat(r.code()).as(r.toString()).isEqualTo(2);
        assertThat(r.err()).as(r.toString()).contains("sample");
    }

    private java.util.List<String> tables() throws SQLException {
        java.util.List<String> out = new java.util.ArrayList<>();
        try (Connection c = DriverManager.getConnection(target);
                ResultSet rs = c.getMetaData().getTables(null, "PUBLIC", "%", null)) {
            while (rs.next()) {
                out.add(rs.getString("TABLE_NAME"));
            }
        }
        return out;
    }
}
