package dev.caravan.connector.jdbc.dialect;

import static dev.caravan.connector.jdbc.RowText.describe;
import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.api.record.Column;
import dev.caravan.api.record.ColumnType;
import dev.caravan.connector.jdbc.TableRef;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * SQLite's row reader reads values of their column's usual storage class with typed getters and every other value
 * (NULL, an integer in a REAL column, text in an INTEGER column, a blob anywhere, ...) exactly as the per-value
 * path does: each row of a table mixing every storage class in every column comes out the same both ways.
 */
class SqliteRowReaderTest {
    private static final SqliteDialect SQLITE = new SqliteDialect();
    /** Every logical type, as the introspection makes them from the declared types of table m. */
    private static final List<Column> COLUMNS = List.of(col("i", "INTEGER"), col("r", "REAL"), col("t", "TEXT"),
            col("b", "BLOB"), col("ts", "TIMESTAMP"), col("ok", "BOOLEAN"), col("d", "DATE"), col("n", "NUMERIC(10,2)"),
            col("u", "UUID"), col("tm", "TIME"), col("j", "JSON"), col("v", "VARCHAR(20)"), col("x", ""));

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"UTF-8", "UTF-16le"})
    void everyStorageClassInEveryColumnReadsAsThePerValuePathReadsIt(String encoding) throws Exception {
        try (Connection c = open(encoding)) {
            try (Statement st = c.createStatement()) {
                st.execute("CREATE TABLE m (k INTEGER PRIMARY KEY, i INTEGER, r REAL, t TEXT, b BLOB, ts TIMESTAMP,"
                        + " ok BOOLEAN, d DATE, n NUMERIC(10,2), u UUID, tm TIME, j JSON, v VARCHAR(20), x)");
                String[] values = {"NULL", "0", "-9223372036854775808", "9223372036854775807", "1.5", "279818.335431",
                    "1e308", "''", "'abc'", "'42'", "'2024-02-29 23:59:59.123456'", "'2024-02-29'", "'12:34:56'",
                    "'not a date'", "'h\u00e9llo \u4e16\u754c \ud83d\ude00'", "X''", "X'00ff10'", "'A5F0E9D2-1C3B-4F5A-9E8D-7C6B5A4F3E2D'",
                    "'t' || char(0) || 'u'"};
                int k = 0;
                for (String v : values) { // each value in every column
                    st.execute("INSERT INTO m VALUES (" + (++k) + ", " + String.join(", ", java.util.Collections
                            .nCopies(COLUMNS.size(), v)) + ")");
                }
                st.execute("INSERT INTO m VALUES (" + (++k) + ", 7, 2.25, 'text', X'01', '2024-01-01 00:00:00', 1,"
                        + " '2024-01-02', 3.5, 'a5f0e9d2-1c3b-4f5a-9e8d-7c6b5a4f3e2d', '01:02:03', '{}', 'v', 8)");
                st.execute("CREATE VIEW mixed AS SELECT k, t AS i, r, t, b, ts, ok, d, n, u, tm, j, v, x FROM m"
                        + " UNION ALL SELECT k + 100, r, r, i, b, ts, ok, d, n, u, tm, r, i, x FROM m");
            }
            List<Column> all = new ArrayList<>(List.of(col("k", "INTEGER")));
            all.addAll(COLUMNS);
            List<String> fast = rows(c, SQLITE.rowReader(c, new TableRef(null, "m"), all), "m");
            List<String> generic = rows(c, generic(all), "m");
            assertThat(fast).hasSize(20).containsExactlyElementsOf(generic);
            assertThat(fast.get(19)).isEqualTo("Long:20 Long:7 Double:2.25 String:text byte[]:01"
                    + " LocalDateTime:2024-01-01T00:00 Boolean:true LocalDate:2024-01-02 BigDecimal:3.5"
                    + " String:a5f0e9d2-1c3b-4f5a-9e8d-7c6b5a4f3e2d LocalTime:01:02:03 String:{} String:v String:8");
            fast = fast.stream().map(r -> r.substring(r.indexOf(' ') + 1)).toList(); // without k
            assertThat(fast.get(5)).as("REAL keeps every digit; a fraction in an INTEGER or BLOB column is passed on as"
                    + " text (the target decides)").startsWith("String:279818.335431 Double:279818.335431"
                    + " String:279818.335431 String:279818.335431");
            assertThat(fast.get(1)).as("an integer in a REAL column is a double").startsWith("Long:0 Double:0.0 ");
            assertThat(fast.get(14)).as("unicode text in a text column")
                    .contains("String:h\u00e9llo \u4e16\u754c \ud83d\ude00 ");
            assertThat(fast.get(7).split(" ")[2]).as("empty text").isEqualTo("String:");
            assertThat(fast.get(16).split(" ")[2]).as("a blob in a TEXT column is read as UTF-8 text, as before")
                    .isEqualTo("String:\u0000\uFFFD\u0010");
            assertThat(fast.get(15).split(" ")[3]).as("an empty blob is not NULL").isEqualTo("byte[]:");
            assertThat(fast.get(0)).isEqualTo("null ".repeat(COLUMNS.size()).trim());
            assertThat(fast.get(17)).as("a uuid keeps its text, in lower case").contains("String:a5f0e9d2-1c3b-4f5a");
            // a view promises nothing: text and reals under INTEGER/TEXT declared types read as per value
            List<String> view = rows(c, SQLITE.rowReader(c, new TableRef(null, "mixed"), all), "mixed");
            assertThat(view).hasSize(40).containsExactlyElementsOf(rows(c, generic(all), "mixed"));
            assertThat(view.get(26).split(" ")[3]).as("a real in a view column declared TEXT, as Java writes it")
                    .isEqualTo("String:1.0E308");
            assertThat(fast.get(8)).as("text in an INTEGER or REAL column is passed on as text")
                    .startsWith("String:abc String:abc String:abc");
        }
    }

    @Test
    void aTableWiderThanTheFlagReadsTheRestPerValue() throws Exception {
        int n = SqliteRowReader.MAX_CHECKED + 5;
        List<String> names = new ArrayList<>();
        List<Column> columns = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            names.add("\"c" + i + "\"");
            columns.add(col("c" + i, "INTEGER"));
        }
        try (Connection c = open("UTF-8"); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE w (" + String.join(", ", names.stream().map(q -> q + " INTEGER").toList()) + ")");
            st.execute("INSERT INTO w VALUES (" + String.join(", ", java.util.Collections.nCopies(n, "1")) + ")");
            st.execute("INSERT INTO w VALUES (" + String.join(", ", java.util.Collections.nCopies(n, "'x'")) + ")");
            RowReader r = SQLITE.rowReader(c, new TableRef(null, "w"), columns);
            List<String> fast = new ArrayList<>();
            try (ResultSet rs = st.executeQuery("SELECT " + r.selectList() + " FROM w")) {
                while (rs.next()) {
                    fast.add(describe(r.read(rs)));
                }
            }
            assertThat(fast).containsExactly("Long:1 ".repeat(n).trim(), "String:x ".repeat(n).trim());
        }
    }

    @Test
    void onlyATrueRowidIsReadWithoutACheck() throws Exception {
        List<Column> columns = List.of(col("k", "INTEGER"), col("v", "TEXT"));
        try (Connection c = open("UTF-8"); Statement st = c.createStatement()) {
            // neither key is the rowid: SQLite stores the text as it is
            st.execute("CREATE TABLE descending (k INTEGER PRIMARY KEY DESC, v TEXT)");
            st.execute("CREATE TABLE clustered (k INTEGER PRIMARY KEY, v TEXT) WITHOUT ROWID");
            for (String t : List.of("descending", "clustered")) {
                st.execute("INSERT INTO " + t + " VALUES ('abc', 'x'), (5, 'y')");
                RowReader r = SQLITE.rowReader(c, new TableRef(null, t), columns);
                assertThat(r.selectList()).as(t).contains("typeof(\"k\")");
                assertThat(rows(c, r, t)).as(t).containsExactly("Long:5 String:y", "String:abc String:x");
            }
            st.execute("CREATE TABLE plain (k INTEGER PRIMARY KEY, v TEXT)");
            st.execute("INSERT INTO plain VALUES (NULL, 'x'), (-3, NULL)"); // NULL makes a rowid
            RowReader r = SQLITE.rowReader(c, new TableRef(null, "plain"), columns);
            assertThat(r.selectList()).as("nothing to check").isEqualTo("\"k\", \"v\"");
            assertThat(rows(c, r, "plain")).containsExactly("Long:-3 null", "Long:1 String:x");
        }
    }

    private Connection open(String encoding) throws SQLException {
        Connection c = SQLITE.driver().connect("jdbc:sqlite:" + dir.resolve(encoding + ".db"), new Properties());
        try (Statement st = c.createStatement()) {
            st.execute("PRAGMA encoding = '" + encoding + "'");
        }
        return c;
    }

    private static Column col(String name, String declared) {
        return new Column(name, SQLITE.declaredType(declared), declared, 0, 0, true);
    }

    private static RowReader generic(List<Column> columns) {
        return RowReader.generic(SQLITE, columns.stream().map(c -> SQLITE.quote(c.name())).toList(),
                columns.stream().map(Column::type).toList());
    }

    private static List<String> rows(Connection c, RowReader reader, String table) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT " + reader.selectList() + " FROM " + table + " ORDER BY k")) {
            while (rs.next()) {
                out.add(describe(reader.read(rs)));
            }
        }
        return out;
    }
}
