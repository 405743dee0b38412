package dev.caravan.routes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.core.engine.EngineSettings;
import dev.caravan.core.engine.ProgressListener;
import dev.caravan.runtime.CaravanRuntime;
import dev.caravan.runtime.RoutesRun;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the {@code logical-tables} route template through {@link CaravanRuntime}, as {@code caravan run} does, from
 * an embedded SQLite database into a fresh database of the real PostgreSQL server started by
 * {@code scripts/servers/postgres.sh start} (127.0.0.1:18032; coordinates from {@code CARAVAN_IT_PG_URL} or the
 * system property {@code caravan.it.pgUrl}, default {@code jdbc:postgresql://127.0.0.1:18032/postgres?user=postgres}),
 * then reads every row back from PostgreSQL with plain JDBC and compares values and column definitions.
 */
class RecordRouteTemplatesIT {
    static final String PG_ADMIN = setting("caravan.it.pgUrl", "CARAVAN_IT_PG_URL",
            "jdbc:postgresql://127.0.0.1:18032/postgres?user=postgres");

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

    private static String setting(String property, String env, String fallback) {
        String v = System.getProperty(property);
        if (v == null || v.isBlank()) {
            v = System.getenv(env);
        }
        return v == null || v.isBlank() ? fallback : v;
    }

    @Test
    void tablesTemplateMigratesSqliteIntoPostgres() throws Exception {
        String sqlite = "jdbc:sqlite:" + tmp.resolve("app.db");
        try (Connection c = DriverManager.getConnection(sqlite); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE accounts (id INTEGER PRIMARY KEY, email TEXT NOT NULL UNIQUE, score REAL NOT NULL,"
                    + " active BOOLEAN, created TIMESTAMP, photo BLOB)");
            s.execute("CREATE TABLE \"Order Lines\" (id INTEGER PRIMARY KEY, account_id INTEGER NOT NULL REFERENCES"
                    + " accounts(id), qty INTEGER NOT NULL, price NUMERIC(12,4), note TEXT)");
            for (int i = 1; i <= 300; i++) {
                s.execute("INSERT INTO accounts VALUES (" + i + ", 'user" + i + "@例え.jp', " + (279818.335431 + i)
                        + ", " + (i % 2) + ", '2024-02-29 23:59:5" + (i % 10) + "', " + (i % 7 == 0 ? "NULL"
                        : "X'00FF" + String.format("%02X", i % 256) + "'") + ")");
                s.execute("INSERT INTO \"Order Lines\" VALUES (" + i + ", " + (i % 50 + 1) + ", " + i + ", " + i
                        + ".0125, " + (i % 3 == 0 ? "NULL" : "'línea ''" + i + "'''") + ")");
            }
        }
        String db = "caravan_routes_" + UUID.randomUUID().toString().substring(0, 8);
        exec(PG_ADMIN, "CREATE DATABASE " + db);
        String pg = PG_ADMIN.replaceFirst("/[^/?]+(\\?|$)", "/" + db + "$1");
        try {
            Path yaml = Files.writeString(tmp.resolve("tables.yaml"), """
                    - templatedRoute:
                        routeTemplateRef: logical-tables
                        routeId: sqlite-to-postgres
                        parameters:
                          - name: source
                            value: "%s"
                          - name: target
                            value: "%s"
                          - name: tables
                            value: "accounts,Order*"
                          - name: targetSchema
                            value: "app"
                          - name: batchSize
                            value: "64"
                          - name: parallelism
                            value: "3"
                    """.formatted(sqlite, pg));

            RoutesRun run = runtime.runRoutes(List.of(yaml), ProgressListener.NONE);

            assertThat(run.errors()).isEmpty();
            assertThat(run.exitCode()).isZero();
            assertThat(rows(pg, "SELECT id, email, score, active, created, photo FROM app.accounts ORDER BY id"))
                    .isEqualTo(rows(sqlite, "SELECT id, email, score, active = 1, created, photo FROM accounts"
                            + " ORDER BY id")).hasSize(300);
            assertThat(rows(pg, "SELECT id, account_id, qty, price, note FROM app.\"Order Lines\" ORDER BY id"))
                    .isEqualTo(rows(sqlite, "SELECT id, account_id, qty, price, note FROM \"Order Lines\" ORDER BY id"));
            // pgloader made SQLite REAL a float4 (279818.335431 -> 279818.34) and dropped NOT NULL
            assertThat(rows(pg, "SELECT data_type, is_nullable FROM information_schema.columns WHERE table_schema ="
                    + " 'app' AND table_name = 'accounts' AND column_name = 'score'"))
                    .containsExactly(List.of("double precision", "NO"));
            assertThat(rows(pg, "SELECT score FROM app.accounts WHERE id = 1")).containsExactly(List.of("279819.335431"));
            assertThat(rows(pg, "SELECT count(*) FROM information_schema.table_constraints WHERE table_schema = 'app'"
                    + " AND constraint_type = 'FOREIGN KEY'")).containsExactly(List.of("1"));

        } finally {
            exec(PG_ADMIN, "DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
        }
    }

    private static void exec(String url, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static List<List<Object>> rows(String url, String sql) throws Exception {
        List<List<Object>> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<Object> row = new ArrayList<>();
                for (int i = 1; i <= n; i++) {
                    Object v = rs.getObject(i);
                    row.add(v == null ? "null"
                            : v instanceof Boolean b ? (b ? "1" : "0")
                            : v instanceof Number ? new BigDecimal(v.toString()).stripTrailingZeros().toPlainString()
                            : v instanceof byte[] bytes ? java.util.HexFormat.of().formatHex(bytes)
                            : v instanceof java.sql.Timestamp t ? t.toLocalDateTime().toString()
                            : v instanceof String str && str.matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d")
                                    ? str.replace(' ', 'T') : v);
                }
                out.add(row);
            }
        }
        return out;
    }
}
