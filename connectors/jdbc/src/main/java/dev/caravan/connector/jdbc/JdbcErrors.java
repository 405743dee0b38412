package dev.caravan.connector.jdbc;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransientException;
import java.util.Locale;

/**
 * The one place where the jdbc connector turns {@link SQLException}s into {@link MigrationException}s, by what the
 * runner should do. SQLSTATE classes decide; MariaDB's vendor codes and SQLite's result codes fill the gaps:
 *
 * <table>
 * <caption>SQLException to ErrorKind</caption>
 * <tr><th>cause</th><th>kind</th></tr>
 * <tr><td>22 data exception, 23 constraint violation; MariaDB 1366/1292/1367 (incorrect value); SQLite
 * CONSTRAINT, MISMATCH, TOOBIG</td><td>USER_DATA: the row is refused (the sink sends it to the reject file)</td></tr>
 * <tr><td>08 connection, 40 rollback (serialization, deadlock), 53 resources (except disk full), 57 operator
 * intervention, HYT00 timeouts; MariaDB 1205 lock wait; SQLite BUSY/LOCKED; transient driver exceptions</td>
 * <td>TRANSIENT: retried</td></tr>
 * <tr><td>42P01/42S02 undefined table, 3D000 unknown database, 3F000 unknown schema; MariaDB 1049</td>
 * <td>NOT_FOUND</td></tr>
 * <tr><td>28 authorization, 42 syntax or access rule, other 3x/0x states; SQLite CANTOPEN, READONLY, AUTH,
 * PERM</td><td>USER_CONFIG</td></tr>
 * <tr><td>0A feature not supported</td><td>UNSUPPORTED</td></tr>
 * <tr><td>53100 disk full; SQLite FULL, IOERR, CORRUPT; anything else</td><td>FATAL</td></tr>
 * </table>
 *
 * Messages never contain passwords: they name the masked URL.
 */
final class JdbcErrors {
    private JdbcErrors() {
    }

    static MigrationException translate(SQLException e, String what) {
        ErrorKind kind = kind(e);
        return new MigrationException(kind, what + ": " + message(e), e);
    }

    /** Whether the failure is the row's fault (a candidate for the reject file) rather than the load's. */
    static boolean isRowProblem(SQLException e) {
        return kind(e) == ErrorKind.USER_DATA;
    }

    static String message(SQLException e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().strip();
        SQLException next = e.getNextException();
        if (next != null && next != e && next.getMessage() != null && !m.contains(next.getMessage())) {
            m += " (" + next.getMessage().strip() + ")";
        }
        return m.replaceAll("(?i)(password=)[^&;\\s]*", "$1****").replaceAll("\\s*\\R\\s*", " ");
    }

    static ErrorKind kind(SQLException e) {
        String state = e.getSQLState();
        if (e.getClass().getName().startsWith("org.sqlite.")) {
            return sqlite(e);
        }
        int code = e.getErrorCode();
        if (isMariaDb(e)) {
            switch (code) {
                case 1366, 1292, 1367, 1406, 1264, 1048, 1062, 1452, 1451, 1300, 3140:
                    return ErrorKind.USER_DATA;
                case 1205, 1213, 1040, 2013, 2006:
                    return ErrorKind.TRANSIENT;
                case 1049:
                    return ErrorKind.NOT_FOUND;
                default:
                    break;
            }
        }
        if (e instanceof SQLTimeoutException || e instanceof SQLTransientException
                || e instanceof SQLRecoverableException) {
            return ErrorKind.TRANSIENT;
        }
        if (state == null || state.length() < 2) {
            return ErrorKind.FATAL;
        }
        String cls = state.substring(0, 2).toUpperCase(Locale.ROOT);
        return switch (cls) {
            case "22", "23" -> ErrorKind.USER_DATA;
            case "08", "40", "57" -> ErrorKind.TRANSIENT;
            case "53" -> state.equals("53100") ? ErrorKind.FATAL : ErrorKind.TRANSIENT;
            case "HY" -> state.equalsIgnoreCase("HYT00") || state.equalsIgnoreCase("HYT01") ? ErrorKind.TRANSIENT
                    : ErrorKind.FATAL;
            case "3D", "3F" -> ErrorKind.NOT_FOUND;
            case "42" -> state.equals("42P01") || state.equalsIgnoreCase("42S02") || state.equals("42102")
                    ? ErrorKind.NOT_FOUND : ErrorKind.USER_CONFIG;
            case "28", "0L", "0P", "2B", "2D", "34", "44", "90" -> ErrorKind.USER_CONFIG;
            case "0A" -> ErrorKind.UNSUPPORTED;
            default -> ErrorKind.FATAL;
        };
    }

    private static boolean isMariaDb(SQLException e) {
        return e.getClass().getName().startsWith("org.mariadb.") || e.getClass().getName().startsWith("java.sql.")
                && e.getErrorCode() >= 1000 && e.getErrorCode() < 4000;
    }

    private static ErrorKind sqlite(SQLException e) {
        int code = e.getErrorCode() & 0xff;
        String m = e.getMessage() == null ? "" : e.getMessage().toLowerCase(Locale.ROOT);
        return switch (code) {
            case 19, 20, 18 -> ErrorKind.USER_DATA; // CONSTRAINT, MISMATCH, TOOBIG
            case 5, 6 -> ErrorKind.TRANSIENT; // BUSY, LOCKED
            case 14, 8, 23, 3, 26 -> ErrorKind.USER_CONFIG; // CANTOPEN, READONLY, AUTH, PERM, NOTADB
            case 13, 10, 11 -> ErrorKind.FATAL; // FULL, IOERR, CORRUPT
            default -> m.contains("no such table") ? ErrorKind.NOT_FOUND
                    : m.contains("syntax error") || m.contains("no such column") ? ErrorKind.USER_CONFIG
                    : ErrorKind.FATAL;
        };
    }
}
