package dev.caravan.connector.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.api.record.Column;
import dev.caravan.api.record.ColumnType;
import dev.caravan.api.record.DataRecord;
import dev.caravan.api.record.Schema;
import dev.caravan.testkit.contract.RecordFixtures;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A small shop database in SQLite with every common type, NULLs in every nullable column, foreign keys, an identity
 * (AUTOINCREMENT) column, a composite key, defaults and indexes; and the column-by-column comparison of a copy.
 */
final class ShopFixture {
    static final String[] TABLES = {"customers", "products", "orders", "order_items"};
    static final int CUSTOMERS = 400;
    static final int ORDERS = 3_000;

    private ShopFixture() {
    }

    static void createSqlite(TestDb db) {
        db.exec("""
                CREATE TABLE customers (
                  id INTEGER PRIMARY KEY AUTOINCREMENT,
                  name TEXT NOT NULL,
                  email VARCHAR(120) UNIQUE,
                  created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
                  active BOOLEAN NOT NULL DEFAULT 1,
                  score REAL NOT NULL DEFAULT 0)""",
                """
                CREATE TABLE products (
                  sku TEXT PRIMARY KEY,
                  title TEXT NOT NULL DEFAULT 'untitled',
                  price NUMERIC(12,2),
                  weight REAL,
                  photo BLOB,
                  attrs JSON,
                  released DATE,
                  uid UUID)""",
                """
                CREATE TABLE orders (
                  id INTEGER PRIMARY KEY,
                  customer_id INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
                  ordered_at DATETIME NOT NULL,
                  shipped_at TIMESTAMPTZ,
                  note TEXT,
                  total NUMERIC(14,4),
                  ratio DOUBLE)""",
                "CREATE INDEX orders_by_customer ON orders(customer_id, ordered_at)",
                """
                CREATE TABLE order_items (
                  order_id INTEGER NOT NULL REFERENCES orders(id),
                  line INTEGER NOT NULL,
                  sku TEXT NOT NULL REFERENCES products(sku),
                  qty INTEGER NOT NULL,
                  PRIMARY KEY (order_id, line))""");
        SplittableRandom r = new SplittableRandom(20261125);
        String[] words = {"Zoë", "Łódź", "東京", "O'Brien", "tab\tand\nnewline", "🚀 rocket", "back\\slash", "plain"};
        try (Connection c = db.connect()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO customers (id, name, email, created_at, active,"
                    + " score) VALUES (?, ?, ?, ?, ?, ?)")) {
                for (int i = 1; i <= CUSTOMERS; i++) {
                    ps.setInt(1, i);
                    ps.setString(2, words[i % words.length] + " " + i);
                    ps.setString(3, i % 5 == 0 ? null : "user" + i + "@example.com");
                    ps.setString(4, i % 9 == 0 ? null : String.format("2024-%02d-%02d %02d:%02d:%02d.%06d",
                            1 + i % 12, 1 + i % 28, i % 24, i % 60, (i * 7) % 60, i * 13 % 1_000_000));
                    ps.setInt(5, i % 3 == 0 ? 0 : 1);
                    ps.setDouble(6, i == 1 ? 279818.335431 : r.nextDouble() * 1e5);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO products VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                for (int i = 1; i <= 60; i++) {
                    boolean nulls = i % 4 == 0;
                    ps.setString(1, "SKU-" + (char) ('A' + i % 26) + "-" + i);
                    ps.setString(2, words[i % words.length] + " product");
                    ps.setString(3, nulls ? null : (i * 137 % 100_000) + "." + String.format("%02d", i % 100));
                    if (nulls) {
                        ps.setNull(4, java.sql.Types.REAL);
                    } else {
                        ps.setDouble(4, i * 0.1 + 1e-9);
                    }
                    ps.setBytes(5, nulls ? null : new byte[] {0, 1, (byte) 0xff, (byte) i, 0x5c, 0x09});
                    ps.setString(6, nulls ? null : "{\"color\": \"" + words[i % words.length].replace("\\", "\\\\")
                            .replace("\t", "\\t").replace("\n", "\\n") + "\", \"size\": " + i + "}");
                    ps.setString(7, nulls ? null : String.format("2023-%02d-%02d", 1 + i % 12, 1 + i % 28));
                    ps.setString(8, nulls ? null : String.format("%08x-0000-4000-8000-%012x", i, i * 31L));
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO orders VALUES (?, ?, ?, ?, ?, ?, ?)");
                    PreparedStatement items = c.prepareStatement("INSERT INTO order_items VALUES (?, ?, ?, ?)")) {
                for (int i = 1; i <= ORDERS; i++) {
                    boolean nulls = i % 6 == 0;
                    ps.setInt(1, i * 2);
                    ps.setInt(2, 1 + r.nextInt(CUSTOMERS));
                    ps.setString(3, String.format("2025-%02d-%02d %02d:%02d:%02d", 1 + i % 12, 1 + i % 28, i % 24,
                            i % 60, i % 60));
                    ps.setString(4, nulls ? null : String.format("2025-%02d-%02dT%02d:30:00+0%d:00", 1 + i % 12,
                            1 + i % 28, i % 24, i % 5));
                    ps.setString(5, nulls ? null : words[i % words.length]);
                    ps.setString(6, nulls ? null : (i * 7919 % 1_000_000) + "." + String.format("%04d", i % 10_000));
                    if (nulls) {
                        ps.setNull(7, java.sql.Types.DOUBLE);
                    } else {
                        ps.setDouble(7, 1.0 / i);
                    }
                    ps.addBatch();
                    for (int line = 1; line <= 1 + i % 3; line++) {
                        items.setInt(1, i * 2);
                        items.setInt(2, line);
                        int product = 1 + (i + line) % 60;
                        items.setString(3, "SKU-" + (char) ('A' + product % 26) + "-" + product);
                        items.setInt(4, line * 3);
                        items.addBatch();
                    }
                }
                ps.executeBatch();
                items.executeBatch();
            }
            c.commit();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The columns of a shop table with the logical types to compare them by. */
    static Schema schema(String table) {
        List<Column> cols = switch (table) {
            case "customers" -> List.of(col("id", ColumnType.LONG), col("name", ColumnType.STRING),
                    col("email", ColumnType.STRING), col("created_at", ColumnType.TIMESTAMP),
                    col("active", ColumnType.BOOLEAN), col("score", ColumnType.DOUBLE));
            case "products" -> List.of(col("sku", ColumnType.STRING), col("title", ColumnType.STRING),
                    col("price", ColumnType.DECIMAL), col("weight", ColumnType.DOUBLE), col("photo", ColumnType.BYTES),
                    col("attrs", ColumnType.STRING), col("released", ColumnType.DATE), col("uid", ColumnType.STRING));
            case "orders" -> List.of(col("id", ColumnType.LONG), col("customer_id", ColumnType.LONG),
                    col("ordered_at", ColumnType.TIMESTAMP), col("shipped_at", ColumnType.TIMESTAMP_TZ),
                    col("note", ColumnType.STRING), col("total", ColumnType.DECIMAL), col("ratio", ColumnType.DOUBLE));
            default -> List.of(col("order_id", ColumnType.LONG), col("line", ColumnType.LONG),
                    col("sku", ColumnType.STRING), col("qty", ColumnType.LONG));
        };
        return new Schema(table, cols, List.of(cols.get(0).name()));
    }

    private static Column col(String name, ColumnType type) {
        return new Column(name, type, null, 0, 0, true);
    }

    /** Compares every table column by column (rows ordered by their first key column, then all columns). */
    static void assertSameData(TestDb source, TestDb target) {
        for (String t : TABLES) {
            Schema s = schema(t);
            List<DataRecord> expected = sorted(source.read(t, s));
            List<DataRecord> actual = sorted(target.read(t, s));
            assertThat(expected).as("source rows of %s", t).isNotEmpty();
            RecordFixtures.assertSameRows(actual, expected, t + " (" + source.kind + " -> " + target.kind + ")");
        }
    }

    private static List<DataRecord> sorted(List<DataRecord> rows) {
        return rows.stream().sorted((a, b) -> {
            for (int i = 0; i < a.values().length; i++) {
                int c = String.valueOf(a.get(i)).compareTo(String.valueOf(b.get(i)));
                if (c != 0) {
                    return c;
                }
            }
            return 0;
        }).toList();
    }
}
