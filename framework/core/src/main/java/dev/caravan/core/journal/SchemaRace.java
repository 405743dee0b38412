package dev.caravan.core.journal;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Set;

/**
 * Processes that create the same tables at once on PostgreSQL (workers of a group starting together on a new
 * database): {@code CREATE TABLE IF NOT EXISTS} and {@code ADD COLUMN} are not atomic there, and the loser fails on
 * the catalog, with one of several errors depending on where the two met (8 workers on a new database: some failed
 * at every attempt, one table further each time). {@link #create} makes them take turns. H2 loses such races too,
 * between two engines of one process opening a new journal at once (its {@code CREATE INDEX IF NOT EXISTS} failed with
 * "General error: object already exists"): the statements are tried again, when they then find what the other made.
 */
public final class SchemaRace {
    /** The advisory lock the creation of Caravan's tables holds on PostgreSQL ("caravan" in ASCII). */
    static final long LOCK_KEY = 0x63617261_76616EL;
    private static final int ATTEMPTS = 5;

    /**
     * unique_violation (a duplicate key in the catalog), duplicate_table, duplicate_object (the table's row type:
     * 'type "x" already exists'), duplicate_column.
     */
    private static final Set<String> STATES = Set.of("23505", "42P07", "42710", "42701");
    /** H2's general error, which it gives when it meets another session's new table or index. */
    private static final int H2_GENERAL_ERROR = 50000;

    /** Statements that create tables unless they exist. */
    @FunctionalInterface
    public interface Ddl {
        void run(Statement st) throws SQLException;
    }

    private SchemaRace() {
    }

    /**
     * Runs {@code ddl} on {@code c} (in autocommit mode, left so): on PostgreSQL in one transaction holding an
     * advisory lock, so that processes doing the same at once take turns and the later ones find the tables; tried
     * again should it still lose such a race (another version of Caravan without the lock).
     */
    public static void create(Connection c, Ddl ddl) throws SQLException {
        boolean postgres = "PostgreSQL".equals(c.getMetaData().getDatabaseProductName());
        for (int attempt = 1; ; attempt++) {
            try (Statement st = c.createStatement()) {
                if (postgres) {
                    c.setAutoCommit(false);
                    st.execute("SELECT pg_advisory_xact_lock(" + LOCK_KEY + ")");
                }
                ddl.run(st);
                if (postgres) {
                    c.commit();
                }
                return;
            } catch (SQLException e) {
                if (postgres) {
                    c.rollback();
                }
                if (!lostRace(e) || attempt >= ATTEMPTS) {
                    throw e;
                }
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    private static boolean lostRace(SQLException e) {
        return STATES.contains(e.getSQLState()) || e.getErrorCode() == H2_GENERAL_ERROR
                && String.valueOf(e.getMessage()).contains("already exists");
    }
}
