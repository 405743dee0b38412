package dev.caravan.routes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.api.record.Column;
import dev.caravan.api.record.ColumnType;
import dev.caravan.api.record.DataRecord;
import dev.caravan.api.record.Schema;
import dev.caravan.core.engine.EngineSettings;
import dev.caravan.core.engine.ProgressListener;
import dev.caravan.formats.ByteSource;
import dev.caravan.formats.Codecs;
import dev.caravan.formats.FormatReader;
import dev.caravan.formats.FormatWriter;
import dev.caravan.runtime.CaravanRuntime;
import dev.caravan.runtime.RoutesRun;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs each table and format route template ({@code logical/tables.yaml}, {@code logical/database.yaml},
 * {@code data/*.yaml}) through {@link CaravanRuntime}, as {@code caravan run} does, on an embedded SQLite source, an
 * embedded H2 target and local directories, and reads every value back.
 */
class RecordRouteTemplatesTest {
    @TempDir
    static Path home;
    private static CaravanRuntime runtime;

    @TempDir
    Path tmp;
    private String sqlite;
    private String h2;

    @BeforeAll
    static void open() {
        runtime = CaravanRuntime.create(EngineSettings.defaults().withHome(home));
    }

    @AfterAll
    static void close() {
        runtime.close();
    }

    @BeforeEach
    void shop() throws Exception {
        sqlite = "jdbc:sqlite:" + tmp.resolve("shop.db");
        h2 = "jdbc:h2:" + tmp.resolve("h2/shop");
        try (Connection c = DriverManager.getConnection(sqlite); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT NOT NULL, balance REAL,"
                    + " since TIMESTAMP)");
            s.execute("CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL REFERENCES"
                    + " customers(id), amount NUMERIC(10,2) NOT NULL, note TEXT)");
            s.execute("CREATE TABLE scratch (id INTEGER PRIMARY KEY, junk TEXT)");
            for (int i = 1; i <= 40; i++) {
                s.execute("INSERT INTO customers VALUES (" + i + ", 'Zoë \"" + i + "\", Ltd', " + (279818.335431 + i)
                        + ", '2024-03-0" + (i % 9 + 1) + " 10:11:12')");
                for (int j = 0; j < 3; j++) {
                    int id = i * 10 + j;
                    s.execute("INSERT INTO orders VALUES (" + id + ", " + i + ", " + id + ".5, "
                            + (j == 1 ? "NULL" : "'n" + id + "'") + ")");
                }
                s.execute("INSERT INTO scratch VALUES (" + i + ", 'x')");
            }
        }
    }

    private RoutesRun run(String template, Map<String, String> parameters) throws IOException {
        StringBuilder yaml = new StringBuilder("- templatedRoute:\n    routeTemplateRef: " + template
                + "\n    routeId: test-" + template + "\n    parameters:\n");
        parameters.forEach((k, v) -> yaml.append("      - name: ").append(k).append("\n        value: \"")
                .append(v.replace("\\", "\\\\").replace("\"", "\\\"")).append("\"\n"));
        Path file = Files.writeString(tmp.resolve(template + ".yaml"), yaml.toString());
        return runtime.runRoutes(List.of(file), ProgressListener.NONE);
    }

    private static Map<String, String> params(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void logicalTablesCopiesTheChosenTables() throws Exception {
        RoutesRun run = run("logical-tables", params("source", sqlite, "target", h2, "tables", "customers,orders",
                "rename", "orders=sales", "parallelism", "2", "batchSize", "25"));

        assertThat(run.errors()).isEmpty();
        assertThat(run.exitCode()).isZero();
        assertThat(rows(h2, "SELECT \"id\", \"name\", \"balance\", \"since\" FROM \"customers\" ORDER BY \"id\""))
                .isEqualTo(rows(sqlite, "SELECT id, name, balance, since FROM customers ORDER BY id"));
        assertThat(rows(h2, "SELECT \"id\", \"customer_id\", \"amount\", \"note\" FROM \"sales\" ORDER BY \"id\""))
                .isEqualTo(rows(sqlite, "SELECT id, customer_id, amount, note FROM orders ORDER BY id")).hasSize(120);
        assertThat(rows(h2, "SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_NAME = 'scratch'"))
                .containsExactly(List.of("0"));
    }

    @Test
    void logicalDatabaseMigratesEveryTableWithConstraints() throws Exception {
        RoutesRun run = run("logical-database", params("source", sqlite, "target", h2, "exclude", "scratch"));

        assertThat(run.errors()).isEmpty();
        assertThat(run.exitCode()).isZero();
        assertThat(rows(h2, "SELECT \"id\", \"name\", \"balance\", \"since\" FROM \"customers\" ORDER BY \"id\""))
                .isEqualTo(rows(sqlite, "SELECT id, name, balance, since FROM customers ORDER BY id"));
        assertThat(rows(h2, "SELECT \"id\", \"customer_id\", \"amount\", \"note\" FROM \"orders\" ORDER BY \"id\""))
                .isEqualTo(rows(sqlite, "SELECT id, customer_id, amount, note FROM orders ORDER BY id"));
        assertThat(rows(h2, "SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLE_CONSTRAINTS WHERE TABLE_NAME = 'orders'"
                + " AND CONSTRAINT_TYPE = 'FOREIGN KEY'")).containsExactly(List.of("1"));
        assertThat(rows(h2, "SELECT IS_NULLABLE FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_NAME = 'customers'"
                + " AND COLUMN_NAME = 'name'")).containsExactly(List.of("NO"));
    }

    @Test
    void logicalDatabaseLoadsTheSchemaThenTheData() throws Exception {
        RoutesRun schema = run("logical-database", params("source", sqlite, "target", h2, "exclude", "scratch",
                "load", "schema"));

        assertThat(schema.errors()).isEmpty();
        assertThat(schema.exitCode()).as("complete and verified by structure").isZero();
        assertThat(rows(h2, "SELECT COUNT(*) FROM \"orders\"")).containsExactly(List.of("0"));
        assertThat(rows(h2, "SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLE_CONSTRAINTS WHERE TABLE_NAME = 'orders'"
                + " AND CONSTRAINT_TYPE = 'FOREIGN KEY'")).containsExactly(List.of("1"));

        RoutesRun data = run("logical-database", params("source", sqlite, "target", h2, "exclude", "scratch",
                "load", "data"));

        assertThat(data.errors()).isEmpty();
        assertThat(data.exitCode()).isZero();
        assertThat(rows(h2, "SELECT \"id\", \"customer_id\", \"amount\", \"note\" FROM \"orders\" ORDER BY \"id\""))
                .isEqualTo(rows(sqlite, "SELECT id, customer_id, amount, note FROM orders ORDER BY id")).hasSize(120);
    }

    @Test
    void anUnreadableSourceFailsTheRun() throws Exception {
        RoutesRun run = run("logical-tables", params("source", "jdbc:sqlite:" + tmp.resolve("no/such/dir/x.db"),
                "target", h2));
        assertThat(run.exitCode()).as(run.errors().toString()).isNotZero();
        assertThat(run.errors()).hasSize(1);
    }

    @Test
    void csvToParquetConvertsAndMaps() throws Exception {
        Path in = Files.createDirectories(tmp.resolve("in/2024"));
        Files.writeString(in.resolve("a.csv"), "id;amount;who;note\n1;12.50;Ann;x\n2;0.99;\"Bob; Jr\";y\n");
        Files.writeString(in.resolve("b.csv"), "id;amount;who;note\n3;7.00;Zoë;z\n");
        RoutesRun run = run("data-csv-to-parquet", params("source", "local:" + tmp.resolve("in"), "target", "local:"
                + tmp.resolve("out"), "delimiter", ";", "mapping", "rename.who=customer;drop=note", "prefix", "orders"));

        assertThat(run.errors()).isEmpty();
        assertThat(run.exitCode()).isZero();
        List<List<Object>> back = read("parquet", tmp.resolve("out/orders"));
        assertThat(back).containsExactly(List.of("id", "amount", "customer"), List.of("1", "12.5", "Ann"),
                List.of("2", "0.99", "Bob; Jr"), List.of("3", "7", "Zoë"));
    }

    @Test
    void jsonLinesToAvroConverts() throws Exception {
        Path in = Files.createDirectories(tmp.resolve("events"));
        Files.writeString(in.resolve("e.jsonl"), "{\"id\":1,\"kind\":\"click\",\"ms\":12.25}\n"
                + "{\"id\":2,\"kind\":\"view \\\"home\\\"\",\"ms\":null}\n");
        RoutesRun run = run("data-jsonl-to-avro", params("source", "local:" + in, "target", "local:"
                + tmp.resolve("avro"), "schema", "id:LONG NOT NULL, kind:STRING, ms:DOUBLE"));

        assertThat(run.errors()).isEmpty();
        assertThat(run.exitCode()).isZero();
        assertThat(read("avro", tmp.resolve("avro"))).containsExactly(List.of("id", "kind", "ms"),
                List.of("1", "click", "12.25"), List.of("2", "view \"home\"", "null"));
    }

    @Test
    void tableToParquetAndParquetToTableRoundTrip() throws Exception {
        RoutesRun out = run("data-table-to-parquet", params("source", sqlite, "target", "local:" + tmp.resolve("lake"),
                "include", "customers,orders", "prefix", "shop", "batchSize", "50", "parallelism", "2"));
        assertThat(out.errors()).isEmpty();
        assertThat(out.exitCode()).isZero();
        List<List<Object>> orders = read("parquet", tmp.resolve("lake/shop/orders"));
        assertThat(orders.subList(1, orders.size())).containsExactlyInAnyOrderElementsOf(
                rows(sqlite, "SELECT id, customer_id, amount, note FROM orders"));
        assertThat(Files.exists(tmp.resolve("lake/shop/scratch"))).isFalse();

        RoutesRun in = run("data-parquet-to-table", params("source", "local:" + tmp.resolve("lake/shop/orders"),
                "target", h2, "table", "orders_back", "batchSize", "30"));
        assertThat(in.errors()).isEmpty();
        assertThat(in.exitCode()).isZero();
        assertThat(rows(h2, "SELECT \"id\", \"customer_id\", \"amount\", \"note\" FROM \"orders_back\" ORDER BY \"id\""))
                .isEqualTo(rows(sqlite, "SELECT id, customer_id, amount, note FROM orders ORDER BY id"));

        RoutesRun again = run("data-parquet-to-table", params("source", "local:" + tmp.resolve("lake/shop/orders"),
                "target", h2, "table", "orders_back"));
        assertThat(again.exitCode()).isZero();
        assertThat(rows(h2, "SELECT COUNT(*) FROM \"orders_back\"")).containsExactly(List.of("120")); // replaced
    }

    @Test
    void parquetToTableLoadsFilesWrittenElsewhere() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("pq"));
        Schema schema = new Schema("m", List.of(new Column("k", ColumnType.LONG, null, 0, 0, false),
                Column.of("v", ColumnType.STRING), new Column("d", ColumnType.DECIMAL, null, 12, 3, true)), List.of());
        try (OutputStream os = Files.newOutputStream(dir.resolve("part-a.parquet"));
                FormatWriter w = Codecs.get("parquet").encoder(os, "part-a.parquet", schema, null)) {
            for (long k = 1; k <= 25; k++) {
                w.write(new DataRecord(new Object[] {k, k % 4 == 0 ? null : "värde " + k,
                        new BigDecimal(k + ".125")}));
            }
            w.commit();
        }
        RoutesRun run = run("data-parquet-to-table", params("source", "local:" + dir, "target", h2, "table", "m",
                "mapping", "rename.v=label"));
        assertThat(run.errors()).isEmpty();
        assertThat(run.exitCode()).isZero();
        List<List<Object>> rows = rows(h2, "SELECT \"k\", \"label\", \"d\" FROM \"m\" ORDER BY \"k\"");
        assertThat(rows).hasSize(25);
        assertThat(rows.get(3)).containsExactly("4", "null", "4.125");
        assertThat(rows.get(4)).containsExactly("5", "värde 5", "5.125");
    }

    /** Every record of every file of a format under a folder, with a header row of the column names. */
    private static List<List<Object>> read(String format, Path dir) throws IOException {
        List<List<Object>> out = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> s = Files.walk(dir)) {
            files = s.filter(p -> p.toString().endsWith("." + format)).sorted().toList();
        }
        assertThat(files).as("files in " + dir).isNotEmpty();
        for (Path f : files) {
            try (FormatReader r = Codecs.get(format).decoder(ByteSource.of(f), null, null)) {
                if (out.isEmpty()) {
                    out.add(new ArrayList<>(r.schema().columns().stream().map(Column::name).toList()));
                }
                DataRecord rec;
                while ((rec = r.next()) != null) {
                    List<Object> row = new ArrayList<>();
                    for (Object v : rec.values()) {
                        row.add(normal(v));
                    }
                    out.add(row);
                }
            }
        }
        return out;
    }

    private static List<List<Object>> rows(String url, String sql) throws Exception {
        List<List<Object>> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<Object> row = new ArrayList<>();
                for (int i = 1; i <= n; i++) {
                    row.add(normal(rs.getObject(i)));
                }
                out.add(row);
            }
        }
        return out;
    }

    /** Values compared across databases and formats: numbers by exact decimal value, timestamps as ISO text. */
    private static Object normal(Object v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof Number) {
            return new BigDecimal(v.toString()).stripTrailingZeros().toPlainString();
        }
        if (v instanceof java.sql.Timestamp t) {
            return t.toLocalDateTime().toString();
        }
        if (v instanceof java.time.LocalDateTime t) {
            return t.toString();
        }
        if (v instanceof String s && s.matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d")) {
            return s.replace(' ', 'T'); // SQLite keeps timestamps as text
        }
        return v;
    }
}
