package dev.caravan.connector.jdbc;

import dev.caravan.api.journal.Checkpoint;
import dev.caravan.api.record.DataRecord;
import dev.caravan.api.record.RecordBatch;
import dev.caravan.api.record.RecordReader;
import dev.caravan.api.record.Split;
import dev.caravan.connector.jdbc.dialect.RowReader;
import dev.caravan.connector.jdbc.dialect.SqliteDialect;
import dev.caravan.connector.jdbc.dialect.SqliteRecordDecoder;
import dev.caravan.connector.jdbc.sqlite.SqliteFile;
import dev.caravan.connector.jdbc.sqlite.TableCursor;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one split of a SQLite rowid table from the database file instead of through the driver (the driver spends two
 * thirds of a table scan's time on a JNI call per value). Each batch is read inside a read transaction of a SQLite
 * connection, which holds the database's SHARED lock: no writer can change the file meanwhile. The batches, the
 * checkpoint ({@code jdbc.lastKey}, the last rowid returned) and the values are those of {@link KeysetReader}; a row
 * whose record holds a value the file alone cannot turn into the same value is read through the driver
 * ({@link SqliteRecordDecoder}).
 *
 * <p>Whatever this reader cannot read, it hands to a {@link KeysetReader} from its last key: a table that is not an
 * ordinary rowid table with its rowid as the key, a database in WAL mode (its file may be behind its log) or not in
 * UTF-8, an in-memory database, and a file that does not parse (logged). Not thread-safe.
 */
final class SqliteFileReader implements RecordReader {
    private static final Logger LOG = LoggerFactory.getLogger(SqliteFileReader.class);

    private final ConnectionFactory factory;
    private final Relation rel;
    private final Split split;
    private final int batchSize;
    private final Long upper;
    private final int keyIndex;
    private final SplitPosition position;
    private boolean done;
    private Connection connection;
    private SqliteRecordDecoder decoder;
    private SqliteFile file;
    private TableCursor cursor;
    private SqliteFile.Header cursorHeader;
    private int cursorRoot;
    private PreparedStatement rowByKey;
    private RowReader rows;
    /** Rows whose record held a value only the driver turns into this reader's value. */
    private long throughDriver;
    /** Set once this reader has handed the split over. */
    private RecordReader keyset;

    SqliteFileReader(ConnectionFactory factory, Relation rel, Split split, Checkpoint from, int batchSize) {
        this.factory = factory;
        this.rel = rel;
        this.split = split;
        this.batchSize = batchSize;
        this.position = new SplitPosition(split, from);
        this.upper = split.upperBound() == null ? null : rowid(split.upperBound());
        this.keyIndex = rel.model().columns().indexOf(rel.model().column(rel.keys().get(0)));
    }

    /** Whether this reader may read {@code rel}: a SQLite table (not a query) with a one-column key and no window. */
    static boolean accepts(ConnectionFactory factory, Relation rel, boolean isTable) {
        return isTable && factory.dialect() instanceof SqliteDialect && rel.keys().size() == 1 && rel.window() == null;
    }

    private long rowid(String key) {
        return ((Number) KeyCodec.decode(key, rel.keyTypes())[0]).longValue();
    }

    @Override
    public Optional<RecordBatch> nextBatch() {
        if (keyset != null) {
            return keyset.nextBatch();
        }
        if (done) {
            return Optional.empty();
        }
        try {
            if (connection == null && !open()) {
                return handOver().nextBatch();
            }
            return readBatch();
        } catch (IOException | IndexOutOfBoundsException e) {
            LOG.warn("{}: reading {} from the file {} stopped at key {} ({}); reading the rest through the driver",
                    factory.maskedUrl(), rel.model().ref(), file, position.after(), e.toString());
            return handOver().nextBatch();
        } catch (SQLException e) {
            throw JdbcErrors.translate(e, "reading " + rel.model().ref() + " split " + split.id());
        }
    }

    /** Opens the connection; false when the table or its database cannot be read from the file. */
    private boolean open() throws SQLException, IOException {
        connection = factory.open(false);
        Optional<SqliteRecordDecoder> d = ((SqliteDialect) rel.dialect()).recordDecoder(connection,
                rel.model().ref(), rel.keys().get(0), rel.model().schema().columns());
        if (d.isEmpty()) {
            return false;
        }
        String path = null;
        try (PreparedStatement ps = connection.prepareStatement("SELECT file FROM pragma_database_list"
                + " WHERE name = 'main'"); ResultSet rs = ps.executeQuery()) {
            if (rs.next()) {
                path = rs.getString(1);
            }
        }
        if (path == null || path.isEmpty()) {
            return false; // in memory, or a temporary database
        }
        decoder = d.get();
        file = SqliteFile.open(Path.of(path));
        rows = decoder.rowReader(); // the table's facts were read once, for both
        rowByKey = connection.prepareStatement("SELECT " + rows.selectList() + " FROM " + rel.from() + " WHERE "
                + rel.keyList() + " = ?");
        connection.setAutoCommit(false);
        return true;
    }

    private Optional<RecordBatch> readBatch() throws SQLException, IOException {
        List<DataRecord> batch = new ArrayList<>(Math.min(batchSize, 65_536));
        boolean readable;
        try {
            readable = readInTransaction(batch);
        } finally {
            connection.rollback(); // ends the read transaction; nothing was written
        }
        if (!readable) { // WAL mode (the file may be behind the log) or no longer UTF-8
            return handOver().nextBatch();
        }
        if (batch.isEmpty()) {
            return Optional.empty();
        }
        String lastKey = KeyCodec.encode(new Object[] {batch.get(batch.size() - 1).values()[keyIndex]});
        position.returned(lastKey);
        return Optional.of(new RecordBatch(batch, lastKey));
    }

    /** Fills {@code batch} from the file; false (and nothing read) when the file cannot be read as it is. */
    private boolean readInTransaction(List<DataRecord> batch) throws SQLException, IOException {
        int root = rootPage(); // the first read of the transaction: from here on SQLite holds the SHARED lock
        SqliteFile.Header header = file.header();
        if (header.wal() || !header.utf8()) {
            return false;
        }
        if (cursor == null || root != cursorRoot || !header.equals(cursorHeader)) {
            cursor = new TableCursor(file, header, root);
            cursorRoot = root;
            cursorHeader = header;
        }
        cursor.seekAfter(position.after() == null ? null : rowid(position.after()));
        while (batch.size() < batchSize) {
            if (!cursor.next() || upper != null && cursor.rowid() > upper) {
                done = true;
                break;
            }
            Object[] values = decoder.decode(cursor.rowid(), cursor.payload(), cursor.payloadLength());
            batch.add(new DataRecord(values != null ? values : throughDriver(cursor.rowid())));
        }
        return true;
    }

    private int rootPage() throws SQLException, IOException {
        try (PreparedStatement ps = connection.prepareStatement("SELECT rootpage FROM sqlite_master"
                + " WHERE type = 'table' AND name = ?")) {
            ps.setString(1, rel.model().ref().name());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new IOException("table " + rel.model().ref().name() + " is gone from sqlite_master");
                }
                return rs.getInt(1);
            }
        }
    }

    /** The row {@code rowid} read through the driver, as {@link KeysetReader} reads it. */
    private Object[] throughDriver(long rowid) throws SQLException, IOException {
        throughDriver++;
        rowByKey.setLong(1, rowid);
        try (ResultSet rs = rowByKey.executeQuery()) {
            if (!rs.next()) {
                throw new IOException("row " + rowid + " is in the file but not in the table");
            }
            return rows.read(rs);
        }
    }

    /** From here on, a {@link KeysetReader} reads the split from the last key this reader returned. */
    private RecordReader handOver() {
        closeConnection();
        keyset = new KeysetReader(factory, rel, split, position.checkpoint(), batchSize);
        return keyset;
    }

    /** How many rows this reader read through the driver, one by one (see {@link SqliteRecordDecoder}). */
    long rowsThroughDriver() {
        return throughDriver;
    }

    /** Whether this reader reads from the file (it has not handed the split to the driver). */
    boolean readsFile() {
        return keyset == null && decoder != null;
    }

    @Override
    public Checkpoint checkpoint() {
        if (keyset != null) {
            return keyset.checkpoint(); // started from this reader's last key
        }
        return position.checkpoint();
    }

    @Override
    public void close() {
        if (keyset != null) {
            keyset.close();
        }
        closeConnection();
    }

    private void closeConnection() {
        if (connection != null) {
            try {
                connection.close(); // also closes the statement
            } catch (SQLException e) {
                // closing a read-only connection; nothing to protect
            }
            connection = null;
        }
    }
}
