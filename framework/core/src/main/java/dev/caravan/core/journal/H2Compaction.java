package dev.caravan.core.journal;

import java.sql.Connection;
import java.sql.SQLException;
import org.h2.mvstore.FileStore;
import org.h2.mvstore.MVStore;

/**
 * When an embedded H2 journal's file is compacted. H2 compacts by default on every close, for up to 200 ms: tens of
 * milliseconds of every command, most of it when little or nothing changed (a no-change rerun), and while chunks
 * freed in the last 45 s are kept (H2's retention time) a compaction of a busy file can take its whole 200 ms and
 * free little. The journal is opened with {@code MAX_COMPACT_TIME=0} instead ({@link JournalDatabase#durable}), and
 * its close compacts the file (for up to {@link #MAX_MILLIS}, as H2 would) only when it is larger than
 * {@code caravan.journal.compactAbove} bytes ({@link #ABOVE_BYTES} by default) and less than
 * {@link #BELOW_FILL_RATE}% of its chunks hold live data: the file stays within that size or about twice what it
 * holds.
 */
final class H2Compaction {
    /** Compact when less than this share (percent) of the file's chunks is live. */
    static final int BELOW_FILL_RATE = 50;
    /** The longest compaction, H2's own default. */
    static final int MAX_MILLIS = 200;
    /** Files up to this size are never compacted (a journal of a few runs of thousands of objects). */
    static final long ABOVE_BYTES = 32L << 20;

    private H2Compaction() {
    }

    /**
     * Compacts the file of an embedded H2 database when it is sparse; false when it was not (or could not be: another
     * database, a remote H2, a failure, all of which leave the close to the database as it is). Asks the store itself,
     * size first: no SQL (a query of H2's settings table took ~3 ms of every close).
     */
    static boolean compactIfSparse(Connection connection) {
        try {
            MVStore store = fileStore(connection);
            FileStore<?> file = store == null ? null : store.getFileStore();
            if (file == null || file.size() <= Long.getLong("caravan.journal.compactAbove", ABOVE_BYTES)
                    || file.getChunksFillRate() >= BELOW_FILL_RATE) {
                return false;
            }
            store.compactFile(MAX_MILLIS);
            return true;
        } catch (SQLException | RuntimeException | LinkageError e) {
            return false; // the close goes on; the next one tries again
        }
    }

    /**
     * Compacts the file of an embedded H2 database now, whatever its size, when less than {@link #BELOW_FILL_RATE}%
     * of its chunks is live, for up to {@code
     * caravan.journal.compactMillis} ms (10 s by default). Returns the file's size after, or -1 for any other database (a
     * PostgreSQL journal, or an embedded one another process hosts: its own close compacts it when sparse).
     */
    static long compactNow(Connection connection) throws SQLException {
        MVStore store = fileStore(connection);
        FileStore<?> file = store == null ? null : store.getFileStore();
        if (file == null) {
            return -1;
        }
        if (file.getChunksFillRate() >= BELOW_FILL_RATE) {
            return file.size(); // dense already: moving its chunks would only grow it for a while (measured)
        }
        try {
            store.commit();
            store.compactFile(Integer.getInteger("caravan.journal.compactMillis", 10_000));
        } catch (RuntimeException | AssertionError e) {
            // H2's own consistency checks (with -ea) may refuse a move; the file stays as it is, still valid, and
            // the close compacts it when sparse
        }
        return file.size();
    }

    /** The MVStore of an embedded H2 file database on this connection, or {@code null} for any other database. */
    static MVStore fileStore(Connection connection) throws SQLException {
        if (!isEmbeddedH2File(connection.getMetaData().getURL())) {
            return null;
        }
        org.h2.engine.Session session = connection.unwrap(org.h2.jdbc.JdbcConnection.class).getSession();
        if (!(session instanceof org.h2.engine.SessionLocal local) || local.getDatabase().getStore() == null) {
            return null;
        }
        return local.getDatabase().getStore().getMvStore();
    }

    static boolean isEmbeddedH2File(String url) {
        String upper = url.toUpperCase(java.util.Locale.ROOT);
        return upper.startsWith("JDBC:H2:") && !upper.startsWith("JDBC:H2:MEM:") && !upper.startsWith("JDBC:H2:TCP:")
                && !upper.startsWith("JDBC:H2:SSL:");
    }
}
