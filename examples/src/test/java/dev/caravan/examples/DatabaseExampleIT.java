package dev.caravan.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.cli.Main;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the database example as its README says, from the repository root (Failsafe's working directory): creates
 * {@code examples/database/out/shop.db} from the committed {@code shop.sql} (what {@code sqlite3 ... < shop.sql}
 * does), then {@code caravan run examples/database/database.yaml} in-process through the CLI's main class, and
 * compares every row of the H2 target with the SQLite source.
 */
class DatabaseExampleIT {
    static final Path DIR = Path.of("examples/database");
    static final Path OUT = DIR.resolve("out");
    static final String SQLITE = "jdbc:sqlite:" + OUT.resolve("shop.db");
    static final String H2 = "jdbc:h2:./" + OUT.resolve("h2/shop");

    @TempDir
    Path home;

    @BeforeEach
    void freshDatabase() throws Exception {
        assertThat(DIR.resolve("database.yaml")).as("working directory must be the repository root").exists();
        if (Files.exists(OUT)) {
            try (Stream<Path> s = Files.walk(OUT)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
        Files.createDirectories(OUT);
        String script = Files.readString(DIR.resolve("shop.sql"), StandardCharsets.UTF_8);
        try (Connection c = DriverManager.getConnection(SQLITE); Statement s = c.createStatement()) {
            for (String statement : statements(script)) {
                s.execute(statement);
            }
        }
    }

    /** The statements of a script: comments dropped, split at semicolons that end a line. */
    static List<String> statements(String script) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (String line : script.split("\n")) {
            if (line.trim().startsWith("--")) {
                continue;
            }
            cur.append(line).append('\n');
            if (line.trim().endsWith(";")) {
                out.add(cur.toString().trim().replaceAll(";$", ""));
                cur.setLength(0);
            }
        }
        return out;
    }

    int caravan(StringWriter out, String... args) {
        String[] all = Stream.concat(Stream.of("--home", home.toString(), "--no-progress"), Stream.of(args))
                .toArray(String[]::new);
        return Main.execute(new PrintWriter(out, true), new PrintWriter(out, true), all);
    }

    @Test
    void databaseExampleMigratesEveryTableAndRow() throws Exception {
        StringWriter out = new StringWriter();
        int code = caravan(out, "run", DIR.resolve("database.yaml").toString());
        assertThat(code).as(out.toString()).isZero();

        assertThat(rows(H2, "SELECT \"id\", \"name\", \"email\", \"balance\", \"vip\", \"joined\" FROM \"customers\""
                + " ORDER BY \"id\"")).isEqualTo(rows(SQLITE, "SELECT id, name, email, balance, vip = 1, joined"
                + " FROM customers ORDER BY id")).hasSize(4);
        assertThat(rows(H2, "SELECT \"id\", \"sku\", \"title\", \"price\", \"attributes\", \"thumbnail\" FROM"
                + " \"products\" ORDER BY \"id\"")).isEqualTo(rows(SQLITE, "SELECT id, sku, title, price, attributes,"
                + " thumbnail FROM products ORDER BY id")).hasSize(3);
        assertThat(rows(H2, "SELECT \"id\", \"customer_id\", \"product_id\", \"quantity\", \"ordered_at\", \"note\""
                + " FROM \"orders\" ORDER BY \"id\"")).isEqualTo(rows(SQLITE, "SELECT id, customer_id, product_id,"
                + " quantity, ordered_at, note FROM orders ORDER BY id")).hasSize(5);
        assertThat(rows(H2, "SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLE_CONSTRAINTS WHERE TABLE_NAME = 'orders'"
                + " AND CONSTRAINT_TYPE = 'FOREIGN KEY'")).containsExactly(List.of("2"));
        assertThat(rows(H2, "SELECT \"balance\" FROM \"customers\" WHERE \"id\" = 1"))
                .containsExactly(List.of("279818.335431"));

        StringWriter again = new StringWriter();
        assertThat(caravan(again, "run", DIR.resolve("database.yaml").toString())).as(again.toString()).isZero();
        assertThat(rows(H2, "SELECT COUNT(*) FROM \"orders\"")).containsExactly(List.of("5"));
    }

    static List<List<Object>> rows(String url, String sql) throws Exception {
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

    static Object normal(Object v) throws IOException {
        if (v == null) {
            return "null";
        }
        if (v instanceof Boolean b) {
            return b ? "1" : "0";
        }
        if (v instanceof Number) {
            return new BigDecimal(v.toString()).stripTrailingZeros().toPlainString();
        }
        if (v instanceof byte[] bytes) {
            return HexFormat.of().formatHex(bytes);
        }
        if (v instanceof java.sql.Timestamp t) {
            return t.toLocalDateTime().toString();
        }
        if (v instanceof String s && s.matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d")) {
            return java.time.LocalDateTime.parse(s.replace(' ', 'T')).toString();
        }
        return v;
    }
}
