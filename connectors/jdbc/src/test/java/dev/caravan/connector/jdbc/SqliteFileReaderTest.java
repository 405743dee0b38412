package dev.caravan.connector.jdbc;

import static dev.caravan.connector.jdbc.RowText.describe;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.caravan.api.error.MigrationException;
import dev.caravan.api.journal.Checkpoint;
import dev.caravan.api.record.Column;
import dev.caravan.api.record.DataRecord;
import dev.caravan.api.record.RecordBatch;
import dev.caravan.api.record.RecordReader;
import dev.caravan.api.record.RecordSource;
import dev.caravan.api.record.Split;
import dev.caravan.connector.jdbc.dialect.RowReader;
import dev.caravan.connector.jdbc.dialect.SqliteDialect;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A SQLite table read from its database file gives, split by split and batch by batch, the rows the driver gives: the
 * values of every storage class in every column (those the file alone cannot turn into the driver's value are read
 * through the driver), records spilling onto overflow pages, deep b-trees of small pages, rowids with gaps and of
 * every size, old records without a column added later. What it cannot read (WAL mode, generated columns, WITHOUT
 * ROWID) it reads through the driver from where it stopped.
 */
class SqliteFileReaderTest {
    private static final SqliteDialect SQLITE = new SqliteDialect();
    private static final String COLUMNS = "k INTEGER PRIMARY KEY, i INTEGER, r REAL, t TEXT, b BLOB, ts TIMESTAMP,"
            + " ok BOOLEAN, d DATE, tm TIME, j JSON, v VARCHAR(20), x";
    private static final String[] VALUES = {"NULL", "0", "1", "-1", "127", "-129", "32767", "8388607", "-2147483649",
        "140737488355327", "-9223372036854775808", "9223372036854775807", "1.5", "279818.335431", "3.0", "1e308",
        "''", "'abc'", "'42'", "'2024-02-29 23:59:59.123456'", "'2024-02-29'", "'12:34:56'", "'not a date'",
        "'h\u00e9llo \u4e16\u754c \ud83d\ude00'", "X''", "X'00ff10'", "'t' || char(0) || 'u'",
        "randomblob(9000)", "printf('%.*c', 70000, 'y')"};
    private static final long[] INTEGERS = {0, 1, -1, 127, -129, 32767, 8388607, -2147483649L, 140737488355327L,
        Long.MIN_VALUE, Long.MAX_VALUE};
    private static final double[] REALS = {0.0, 1.0, -3.0, 1.5, 279818.335431, 1e308, 9007199254740993.0};
    private static final String[] TEXTS = {"", "abc ", "h\u00e9llo \u4e16\u754c \ud83d\ude00 ", "t\u0000u "};

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(ints = {512, 4096, 65536})
    void everyRowComesOutAsTheDriverReadsIt(int pageSize) throws Exception {
        Path db = dir.resolve("m.db");
        try (Connection c = connect(db); Statement st = c.createStatement()) {
            st.execute("PRAGMA page_size = " + pageSize);
            st.execute("CREATE TABLE m (" + COLUMNS + ")");
            c.setAutoCommit(false);
            long k = -5;
            for (String v : VALUES) { // each value in every column, at rowids from -5 up
                st.execute("INSERT INTO m VALUES (" + (k++) + ", " + String.join(", ",
                        Collections.nCopies(10, v)) + ", " + v + ")");
            }
            // many rows of values of their columns' own storage classes (read from the file alone): integers of
            // every size, REAL values SQLite stores as integers, text and blobs on overflow pages; several levels
            // of b-tree with small pages, gaps between rowids
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO m VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
                    + " NULL)")) {
                for (int i = 0; i < 3000; i++) {
                    ps.setLong(1, 100 + 3L * i);
                    ps.setLong(2, INTEGERS[i % INTEGERS.length]);
                    ps.setDouble(3, i % 4 == 3 ? i / 7.0 : REALS[i % REALS.length]);
                    ps.setString(4, i % 500 == 7 ? "z".repeat(70_000) : TEXTS[i % TEXTS.length] + i);
                    ps.setBytes(5, i % 700 == 9 ? new byte[9000] : i % 3 == 0 ? null : new byte[] {0, (byte) i, 16});
                    ps.setString(6, i % 50 == 1 ? "not a date" : String.format("2024-%02d-%02d 10:11:%02d.%d",
                            1 + i % 12, 1 + i % 29, i % 60, i % 1000));
                    ps.setInt(7, i % 2);
                    ps.setString(8, "2024-02-29");
                    ps.setString(9, "12:34:56");
                    ps.setString(10, "{\"a\": " + i + "}");
                    ps.setString(11, "v" + i);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            st.execute("INSERT INTO m (k, t) VALUES (4611686018427387904, 'far')");
            // one value of another storage class in a row of ordinary ones
            st.execute("INSERT INTO m (k, i, j, t) VALUES (50000, 'abc', NULL, 'a'), (50001, 1, 5, 'b'),"
                    + " (50002, 2, '{}', 3.25)");
            st.execute("DELETE FROM m WHERE k BETWEEN 1000 AND 1300"); // free space inside pages
            c.commit();
        }
        List<String> expected = driverRows(db, "m");
        assertThat(expected).hasSize(VALUES.length + 3000 + 4 - 101);
        for (int splits : new int[] {1, 3}) {
            Read read = readAll(db, "m", splits, 7);
            assertThat(read.rows).as("%d split(s), page size %d", splits, pageSize).containsExactlyElementsOf(expected);
            assertThat(read.fromFile).as("read from the file").isTrue();
            assertThat(read.throughDriver).as("only rows with values of other storage classes go through the driver")
                    .isBetween(3L, VALUES.length + 3L);
        }
    }

    @Test
    void oldRecordsWithoutALaterColumnComeWithItsDefault() throws Exception {
        Path db = dir.resolve("added.db");
        try (Connection c = connect(db); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE a (k INTEGER PRIMARY KEY, t TEXT)");
            st.execute("INSERT INTO a VALUES (1, 'one'), (2, 'two')");
            st.execute("ALTER TABLE a ADD COLUMN z TEXT DEFAULT 'zz'");
            st.execute("ALTER TABLE a ADD COLUMN n INTEGER DEFAULT 7");
            st.execute("INSERT INTO a VALUES (3, 'three', 'own', 8)");
        }
        Read read = readAll(db, "a", 1, 100);
        assertThat(read.rows).containsExactly("Long:1 String:one String:zz Long:7", "Long:2 String:two String:zz Long:7",
                "Long:3 String:three String:own Long:8").containsExactlyElementsOf(driverRows(db, "a"));
        assertThat(read.fromFile).isTrue();
        assertThat(read.throughDriver).as("the two old records").isEqualTo(2);
    }

    @Test
    void aReaderResumesAfterItsCheckpointAndCheckpointsTheLastKeyItReturned() throws Exception {
        Path db = dir.resolve("resume.db");
        try (Connection c = connect(db); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE r (k INTEGER PRIMARY KEY, t TEXT)");
            st.execute("WITH RECURSIVE g(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM g LIMIT 50)"
                    + " INSERT INTO r SELECT i * 2, 'r' || i FROM g");
        }
        try (RecordSource s = open(db, "r", 10)) {
            RecordReader reader = s.open(new Split("0", null, "60"), new Checkpoint(Map.of(KeysetReader.LAST_KEY,
                    "41")));
            assertThat(reader).isInstanceOf(SqliteFileReader.class);
            RecordBatch first = reader.nextBatch().orElseThrow();
            assertThat(first.records().get(0).values()).containsExactly(42L, "r21");
            assertThat(first.records()).hasSize(10);
            assertThat(first.lastKey()).isEqualTo("60");
            assertThat(reader.checkpoint().get(KeysetReader.LAST_KEY)).isEqualTo("60");
            assertThat(reader.nextBatch()).as("the split ends at its upper bound").isEmpty();
            reader.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"wal", "generated", "without rowid", "descending key"})
    void whatTheFileCannotShowIsReadThroughTheDriver(String kind) throws Exception {
        Path db = dir.resolve("other.db");
        try (Connection c = connect(db); Statement st = c.createStatement()) {
            st.execute(switch (kind) {
                case "generated" -> "CREATE TABLE o (k INTEGER PRIMARY KEY, t TEXT, g TEXT AS (t || '!'))";
                case "without rowid" -> "CREATE TABLE o (k INTEGER PRIMARY KEY, t TEXT) WITHOUT ROWID";
                case "descending key" -> "CREATE TABLE o (k INTEGER PRIMARY KEY DESC, t TEXT)";
                default -> "CREATE TABLE o (k INTEGER PRIMARY KEY, t TEXT)";
            });
            st.execute("WITH RECURSIVE g(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM g LIMIT 30)"
                    + " INSERT INTO o (k, t) SELECT i, 'o' || i FROM g");
            if (kind.equals("wal")) {
                st.execute("PRAGMA journal_mode = WAL");
                st.execute("UPDATE o SET t = 'in the log only' WHERE k = 3");
            }
            List<String> expected = driverRows(db, "o");
            Read read = readAll(db, "o", 1, 4); // while this connection keeps the log from being checkpointed
            assertThat(read.rows).containsExactlyElementsOf(expected).hasSize(30);
            assertThat(read.fromFile).isFalse();
            if (kind.equals("wal")) {
                assertThat(read.rows.get(2)).endsWith("String:in the log only");
            }
        }
    }

    @Test
    void aDamagedPageFailsTheReadInsteadOfGivingOtherRows() throws Exception {
        Path db = dir.resolve("damaged.db");
        try (Connection c = connect(db); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE d (k INTEGER PRIMARY KEY, t TEXT)");
            st.execute("WITH RECURSIVE g(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM g LIMIT 2000)"
                    + " INSERT INTO d SELECT i, printf('%.*c', 100, 'd') FROM g");
        }
        long pageSize;
        int root;
        try (Connection c = connect(db); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT (SELECT page_size FROM pragma_page_size),"
                        + " (SELECT rootpage FROM sqlite_master WHERE name = 'd')")) {
            rs.next();
            pageSize = rs.getLong(1);
            root = rs.getInt(2);
        }
        try (RandomAccessFile f = new RandomAccessFile(db.toFile(), "rw")) {
            f.seek((root + 3L - 1) * pageSize); // a leaf after the root: its page type becomes nonsense
            f.write(0x42);
        }
        assertThatThrownBy(() -> readAll(db, "d", 1, 100)).isInstanceOf(MigrationException.class)
                .hasMessageContaining("malformed");
        assertThat(Files.size(db)).isGreaterThan(0);
    }

    /** The rows of {@code table}, read through the driver as {@link KeysetReader} reads them. */
    private List<String> driverRows(Path db, String table) throws SQLException {
        List<Column> columns;
        try (RecordSource s = open(db, table, 100)) {
            columns = s.schema().columns();
        }
        List<String> out = new ArrayList<>();
        try (Connection c = connect(db); Statement st = c.createStatement()) {
            RowReader reader = SQLITE.rowReader(c, new TableRef(null, table), columns);
            try (ResultSet rs = st.executeQuery("SELECT " + reader.selectList() + " FROM " + table + " ORDER BY k")) {
                while (rs.next()) {
                    out.add(describe(reader.read(rs)));
                }
            }
        }
        return out;
    }

    private record Read(List<String> rows, boolean fromFile, long throughDriver) {
    }

    /** Every row of every split, batch by batch; whether every split was read from the file to its end. */
    private Read readAll(Path db, String table, int splits, int batchSize) {
        List<String> rows = new ArrayList<>();
        boolean fromFile = true;
        long throughDriver = 0;
        try (RecordSource s = open(db, table, batchSize)) {
            for (Split split : s.splits(splits)) {
                RecordReader reader = s.open(split, null);
                String lastKey = null;
                for (Optional<RecordBatch> b = reader.nextBatch(); b.isPresent(); b = reader.nextBatch()) {
                    assertThat(b.get().records()).hasSizeLessThanOrEqualTo(batchSize).isNotEmpty();
                    for (DataRecord r : b.get().records()) {
                        rows.add(describe(r.values()));
                    }
                    assertThat(b.get().lastKey()).isEqualTo(rows.get(rows.size() - 1).split(" ")[0].substring(5));
                    lastKey = b.get().lastKey();
                }
                assertThat(reader.checkpoint().get(KeysetReader.LAST_KEY)).isEqualTo(lastKey);
                fromFile &= reader instanceof SqliteFileReader f && f.readsFile();
                throughDriver += reader instanceof SqliteFileReader f ? f.rowsThroughDriver() : 0;
                reader.close();
            }
        }
        return new Read(rows, fromFile, throughDriver);
    }

    private static RecordSource open(Path db, String table, int batchSize) {
        return new JdbcRecordProvider().openSource("sqlite:" + db, TestDb.config(Map.of("table", table,
                "batchSize", Integer.toString(batchSize))));
    }

    private static Connection connect(Path db) throws SQLException {
        return DriverManager.getConnection("jdbc:sqlite:" + db);
    }
}
