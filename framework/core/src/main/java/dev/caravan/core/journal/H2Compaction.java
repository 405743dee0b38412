package dev.caravan.core.journal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * When an embedded H2 journal's file is compacted. H2 compacts by default on every close, for up to 200 ms: tens of
 * milliseconds of every command, most of it when little or nothing changed (a no-change rerun). The journal is
 * opened with {@code MAX_COMPACT_TIME=0} instead ({@link JournalDatabase#durable}), and its close compacts the file
 * (for up to {@link #MAX_MILLIS}, as H2 would) only when less than {@link #BELOW_FILL_RATE}% of its chunks hold live
 * data, so the file stays within about twice what it holds.
 */
final class H2Compaction {
    /** Compact when less than this share (percent) of the file's chunks is live. */
    static final int BELOW_FILL_RATE = 50;
    /** The longest compaction, H2's own default. */
    static final int MAX_MILLIS = 200;

    private H2Compaction() {
    }

    /**
     * Compacts the file of an embedded H2 database when it is sparse; false when it was not (or could not be: another
     * database, a remote H2, a failure, all of which leave the close to the database as it is).
     */
    static boolean compactIfSparse(Connection connection) {
        try {
            if (!isEmbeddedH2File(connection.getMetaData().getURL())) {
                return false;
            }
            Integer fill = chunksFillRate(connection);
            if (fill == null || fill >= BELOW_FILL_RATE) {
                return false;
            }
            org.h2.engine.Session session = connection.unwrap(org.h2.jdbc.JdbcConnection.class).getSession();
            if (!(session instanceof org.h2.engine.SessionLocal local) || local.getDatabase().getStore() == null) {
                return false;
            }
            local.getDatabase().getStore().getMvStore().compactFile(MAX_MILLIS);
            return true;
        } catch (SQLException | RuntimeException | LinkageError e) {
            return false; // the close goes on; the next one tries again
        }
    }

    /** The percentage of the file's chunk space that holds live data, or null when H2 does not say. */
    static Integer chunksFillRate(Connection connection) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS"
                + " WHERE SETTING_NAME = 'info.CHUNKS_FILL_RATE'"); ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Integer.valueOf(rs.getString(1).trim()) : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    static boolean isEmbeddedH2File(String url) {
        String upper = url.toUpperCase(java.util.Locale.ROOT);
        return upper.startsWith("JDBC:H2:") && !upper.startsWith("JDBC:H2:MEM:") && !upper.startsWith("JDBC:H2:TCP:")
                && !upper.startsWith("JDBC:H2:SSL:");
    }
}
