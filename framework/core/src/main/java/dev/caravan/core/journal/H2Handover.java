package dev.caravan.core.journal;

import java.sql.SQLException;

/**
 * What a process sharing an embedded H2 journal ({@code AUTO_SERVER=TRUE}) meets when the process hosting it (the
 * first to open it, which serves the others over loopback) exits: H2 answers "database is already closed" while the
 * host shuts down, then the connection is broken. {@link JournalDatabase#call} then opens a new connection, which
 * finds the new host or becomes it, and does the work again. Stateless.
 */
final class H2Handover {
    /** Attempts of one unit of work while the host changes (pauses of 0.1 s, 0.2 s, ...: about 4.5 s in all). */
    static final int ATTEMPTS = 10;

    private H2Handover() {
    }

    /**
     * Whether H2 says the journal's host process closed it or left: DATABASE_CALLED_AT_SHUTDOWN (90121),
     * CONNECTION_BROKEN (90067), DATABASE_IS_CLOSED (90098) or OBJECT_CLOSED (90007), on the exception, its causes or
     * its next exceptions (a failed batch).
     */
    static boolean hostWentAway(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                int code = sql.getErrorCode();
                if (code == 90121 || code == 90067 || code == 90098 || code == 90007) {
                    return true;
                }
                SQLException next = sql.getNextException();
                if (next != null && next != t && hostWentAway(next)) {
                    return true;
                }
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }
}
