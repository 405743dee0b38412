package dev.caravan.connector.jdbc.dialect;

import dev.caravan.api.record.Column;
import dev.caravan.api.record.ColumnType;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.sqlite.core.CoreStatement;
import org.sqlite.core.SafeStmtPtr;

/**
 * Reads SQLite rows with one driver call per value instead of two. SQLite types values, not columns: any column may
 * hold an integer, a real, text, a blob or NULL, and asking the driver for a value's storage class is a JNI call of
 * its own. So the SELECT computes one more integer per row, in C, whose bit {@code i} is set when value {@code i} is
 * NULL or not of the storage class its column's logical type expects ({@code typeof(c) <> 'integer'} for
 * INT/LONG/BOOLEAN, {@code 'real'} for FLOAT/DOUBLE, {@code 'text'} for STRING/JSON/DATE/TIME/TIMESTAMP,
 * {@code 'blob'} for BYTES). Unflagged values are read with the typed getter; flagged ones, columns of other types
 * (DECIMAL, UUID, TIMESTAMP_TZ) and columns past the 63rd go through {@link SqliteDialect#read}, so they come out
 * exactly as they did before (an integer in a REAL column as a Double, text in an INTEGER column passed on as text).
 * How each column is read is chosen once, here.
 *
 * <p>Computing the flag costs SQLite about as much per value as the driver's storage-class call (measured: ~55 ns a
 * value either way), so the flag pays only together with what needs no check at all: in an ordinary table a column
 * of TEXT affinity holds only text, blobs and NULLs (SQLite turns numbers into text on the way in), which the
 * driver's byte getter returns as they are, so such a column is read with one call and no flag (UTF-8 databases);
 * and the rowid (a single {@code INTEGER PRIMARY KEY} of a rowid table) is always an integer. Not thread-safe.
 */
final class SqliteRowReader implements RowReader {
    /** Bits of the per-row flag: one per checked column (the sign bit is left alone). */
    static final int MAX_CHECKED = 63;

    static final byte GENERIC = 0;
    static final byte LONG = 1;
    static final byte BOOLEAN = 2;
    static final byte DOUBLE = 3;
    static final byte TEXT = 4;
    static final byte BYTES = 5;
    static final byte DATE = 6;
    static final byte TIME = 7;
    static final byte TIMESTAMP = 8;
    /** Kinds from here on are read without a flag. */
    static final byte ROWID = 9;
    static final byte TEXT_AFFINITY = 10;

    /**
     * What a table promises about its values.
     *
     * @param affinityHolds whether it is an ordinary table (every value went through its column's affinity); a view's
     *                      columns promise nothing
     * @param rowid         the column that is the table's rowid, or {@code null}
     */
    record TableFacts(boolean affinityHolds, String rowid) {
        static final TableFacts NONE = new TableFacts(false, null);
    }

    private final SqliteDialect dialect;
    /** Per column, its logical type and how it is read (the kinds above). */
    final ColumnType[] types;
    final byte[] kinds;
    private final String selectList;
    private final int flagColumn;
    private final boolean utf8;
    /** The result set whose statement {@link #pointer} is (a reader serves one query at a time). */
    private ResultSet statementOf;
    /** The driver's handle of the running statement, {@code null} when the driver is not sqlite-jdbc's own. */
    private SafeStmtPtr pointer;
    /** Per TIMESTAMP column, the value of the previous row (its date is reused when the same). */
    private final LocalDateTime[] lastTimestamp;

    /**
     * @param utf8 whether the database stores text as UTF-8 ({@code PRAGMA encoding}): then text is fetched as its
     *             bytes and decoded here (cheaper than the driver's direct-buffer decoding); else with getString
     */
    SqliteRowReader(SqliteDialect dialect, List<Column> columns, TableFacts table, boolean utf8) {
        this.dialect = dialect;
        this.types = columns.stream().map(Column::type).toArray(ColumnType[]::new);
        this.kinds = new byte[this.types.length];
        this.utf8 = utf8;
        this.lastTimestamp = new LocalDateTime[this.types.length];
        List<String> quotedColumns = columns.stream().map(c -> dialect.quote(c.name())).toList();
        StringBuilder flags = new StringBuilder();
        for (int i = 0; i < kinds.length; i++) {
            Column c = columns.get(i);
            boolean integer = types[i] == ColumnType.LONG || types[i] == ColumnType.INT;
            boolean text = types[i] == ColumnType.STRING || types[i] == ColumnType.JSON;
            if (integer && c.name().equals(table.rowid())) {
                kinds[i] = ROWID;
            } else if (text && utf8 && table.affinityHolds() && textAffinity(c.nativeType())) {
                kinds[i] = TEXT_AFFINITY;
            } else if (i < MAX_CHECKED) {
                kinds[i] = kind(types[i]);
            }
            if (kinds[i] != GENERIC && kinds[i] < ROWID) { // a checked kind: one bit of the flag
                flags.append(flags.length() == 0 ? "" : " | ").append("((typeof(").append(quotedColumns.get(i))
                        .append(") <> '").append(storageClass(kinds[i])).append("') << ").append(i).append(')');
            }
        }
        String list = String.join(", ", quotedColumns);
        this.selectList = flags.length() == 0 ? list : list + ", " + flags;
        this.flagColumn = flags.length() == 0 ? 0 : kinds.length + 1;
    }

    /** SQLite's rule: a declared type containing CHAR, CLOB or TEXT, and not INT, gives the column TEXT affinity. */
    static boolean textAffinity(String declared) {
        String n = declared == null ? "" : declared.toUpperCase(Locale.ROOT);
        return !n.contains("INT") && (n.contains("CHAR") || n.contains("CLOB") || n.contains("TEXT"));
    }

    /** What {@code table} promises (nothing when it is not an ordinary table of the connection's databases). */
    static TableFacts facts(Connection c, String table) throws SQLException {
        boolean withoutRowid;
        try (PreparedStatement ps = c.prepareStatement("SELECT type, wr FROM pragma_table_list(?)"
                + " ORDER BY schema = 'temp' DESC, schema = 'main' DESC")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next() || !"table".equals(rs.getString(1))) {
                    return TableFacts.NONE;
                }
                withoutRowid = rs.getInt(2) != 0;
            }
        }
        if (withoutRowid) {
            return new TableFacts(true, null);
        }
        List<String> pk = new ArrayList<>();
        String type = null;
        try (PreparedStatement ps = c.prepareStatement("SELECT name, type FROM pragma_table_info(?) WHERE pk > 0")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    pk.add(rs.getString(1));
                    type = rs.getString(2);
                }
            }
        }
        if (pk.size() != 1 || type == null || !type.trim().equalsIgnoreCase("INTEGER")) {
            return new TableFacts(true, null);
        }
        // INTEGER PRIMARY KEY DESC is not the rowid (a quirk SQLite keeps): then the key has an index of its own
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT count(*) FROM pragma_index_list(?) WHERE origin = 'pk'")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                return new TableFacts(true, rs.next() && rs.getInt(1) == 0 ? pk.get(0) : null);
            }
        }
    }

    private static byte kind(ColumnType type) {
        return switch (type) {
            case INT, LONG -> LONG;
            case BOOLEAN -> BOOLEAN;
            case FLOAT, DOUBLE -> DOUBLE;
            case STRING, JSON -> TEXT;
            case BYTES -> BYTES;
            case DATE -> DATE;
            case TIME -> TIME;
            case TIMESTAMP -> TIMESTAMP;
            case DECIMAL, UUID, TIMESTAMP_TZ -> GENERIC;
        };
    }

    private static String storageClass(byte kind) {
        return switch (kind) {
            case LONG, BOOLEAN -> "integer";
            case DOUBLE -> "real";
            case BYTES -> "blob";
            default -> "text";
        };
    }

    @Override
    public String selectList() {
        return selectList;
    }

    @Override
    public Object[] read(ResultSet rs) throws SQLException {
        long flags = flagColumn == 0 ? -1L : rs.getLong(flagColumn);
        Object[] values = new Object[kinds.length];
        for (int i = 0; i < kinds.length; i++) {
            int col = i + 1;
            byte kind = kinds[i];
            if (kind == GENERIC || kind < ROWID && (flags & (1L << i)) != 0) { // ROWID and TEXT_AFFINITY: no flag
                values[i] = dialect.read(rs, col, types[i]);
                continue;
            }
            values[i] = switch (kind) {
                case LONG, ROWID -> rs.getLong(col);
                case TEXT_AFFINITY -> affinityText(rs, col);
                case BOOLEAN -> rs.getLong(col) != 0;
                case DOUBLE -> real(rs, col);
                case TEXT -> text(rs, col);
                case BYTES -> rs.getBytes(col);
                case TIMESTAMP -> timestamp(text(rs, col), i);
                default -> temporal(text(rs, col), kind);
            };
        }
        return values;
    }

    /**
     * A value the flag says is a REAL: read with the native getter alone. The driver's getDouble asks the value's
     * storage class first (a second JNI call per value) only to return 0 for a NULL, which the flag has excluded.
     */
    private double real(ResultSet rs, int col) throws SQLException {
        if (rs != statementOf) {
            statementOf = rs;
            Statement st = rs.getStatement();
            pointer = st instanceof CoreStatement core ? core.pointer : null;
        }
        SafeStmtPtr p = pointer;
        if (p == null) {
            return rs.getDouble(col);
        }
        int index = col - 1; // the native API counts columns from 0
        return p.safeRunDouble((db, stmt) -> db.column_double(stmt, index));
    }

    private String text(ResultSet rs, int col) throws SQLException {
        if (!utf8) {
            return rs.getString(col);
        }
        byte[] b = rs.getBytes(col);
        return b == null ? "" : new String(b, StandardCharsets.UTF_8);
    }

    /** Text, a blob (as UTF-8, like the per-value path) or NULL: the byte getter returns each as it is. */
    private static String affinityText(ResultSet rs, int col) throws SQLException {
        byte[] b = rs.getBytes(col);
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }

    /**
     * Dates and times are ISO-8601 text, or numbers as SQLite keeps them (an integer is Unix time, a real a Julian day:
     * {@link Values#epoch}, {@link Values#julian}); text that is none of these is passed on as it is (the target
     * decides).
     */
    static Object temporal(String s, byte kind) {
        Object number = number(s);
        try {
            return kind == DATE ? Values.toDate(number != null ? number : s)
                    : number instanceof Long l ? LocalDateTime.ofInstant(Values.epoch(l), java.time.ZoneOffset.UTC)
                            .toLocalTime() : Values.toTime(s);
        } catch (Values.BadValue e) {
            return s;
        }
    }

    /** The text of a number SQLite stored in a date column: a Long (integer) or a Double (real), else null. */
    static Object number(String s) {
        if (s == null || s.isEmpty()) {
            return null;
        }
        if (INTEGER_TEXT.matcher(s).matches()) {
            return Long.parseLong(s);
        }
        return REAL_TEXT.matcher(s).matches() ? Double.parseDouble(s) : null;
    }

    private static final java.util.regex.Pattern INTEGER_TEXT = java.util.regex.Pattern.compile("-?\\d{1,18}");
    private static final java.util.regex.Pattern REAL_TEXT = java.util.regex.Pattern.compile("-?\\d+\\.\\d*");

    private Object timestamp(String s, int column) {
        return timestamp(s, lastTimestamp, column);
    }

    /**
     * What Values.toTimestamp does with text, reusing the column's previous date ({@code last[column]}) when it is
     * the same; text that is not a timestamp is passed on as it is.
     */
    static Object timestamp(String s, LocalDateTime[] last, int column) {
        Object number = number(s);
        if (number != null) {
            return Values.toTimestamp(number);
        }
        try {
            LocalDateTime t = Values.parseLocalDateTime(s.trim(), last[column]);
            last[column] = t;
            return t;
        } catch (DateTimeParseException | StringIndexOutOfBoundsException e) {
            return s;
        }
    }
}
