package dev.caravan.connector.jdbc.dialect;

import dev.caravan.api.record.Column;
import dev.caravan.api.record.ColumnType;
import dev.caravan.connector.jdbc.sqlite.SqliteRecord;
import dev.caravan.connector.jdbc.sqlite.TableCursor;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Turns the records of a SQLite rowid table, as read from the database file ({@link TableCursor}), into the values
 * {@link SqliteRowReader} gives for the same rows: each column is read the way that reader reads it, a value of the
 * storage class its column expects is converted here, and for any other value (a number in a text column, text in an
 * integer column, a column an {@code ALTER TABLE ADD COLUMN} left out of an old record) {@link #decode} answers
 * {@code null}, so the caller reads that row through the driver. The conversions SQLite applies on the way out are
 * the column's affinity's: a REAL column's integers come out as reals. Not thread-safe.
 */
public final class SqliteRecordDecoder {
    private final byte[] kinds;
    private final ColumnType[] types;
    /** Per column, its field in the table's records. */
    private final int[] fields;
    private final boolean[] realAffinity;
    private final LocalDateTime[] lastTimestamp;
    private final SqliteRecord record = new SqliteRecord();
    /** The driver's reader of the same columns, for the rows the file alone cannot give. */
    private final SqliteRowReader rows;

    private SqliteRecordDecoder(SqliteRowReader rows, byte[] kinds, ColumnType[] types, int[] fields,
            boolean[] realAffinity) {
        this.rows = rows;
        this.kinds = kinds;
        this.types = types;
        this.fields = fields;
        this.realAffinity = realAffinity;
        this.lastTimestamp = new LocalDateTime[kinds.length];
    }

    /**
     * A decoder for {@code columns} of {@code table} when its records can be read from the file: an ordinary rowid
     * table of the main database, stored as UTF-8, whose key {@code keyColumn} is its rowid, without generated
     * columns, and whose columns all have a kind {@link SqliteRowReader} reads without the driver's generic path.
     */
    static Optional<SqliteRecordDecoder> of(SqliteDialect dialect, Connection c, String table, String keyColumn,
            List<Column> columns, boolean utf8) throws SQLException {
        if (!utf8) {
            return Optional.empty();
        }
        SqliteRowReader.TableFacts facts = SqliteRowReader.facts(c, table);
        if (!facts.affinityHolds() || facts.rowid() == null || !facts.rowid().equals(keyColumn)) {
            return Optional.empty();
        }
        List<String> names = new ArrayList<>();
        List<String> declared = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT name, type, hidden FROM pragma_table_xinfo(?, 'main') ORDER BY cid")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (rs.getInt(3) != 0) {
                        return Optional.empty(); // generated (a virtual one is not in the record) or hidden
                    }
                    names.add(rs.getString(1));
                    declared.add(rs.getString(2));
                }
            }
        }
        SqliteRowReader reader = new SqliteRowReader(dialect, columns, facts, true);
        int[] fields = new int[columns.size()];
        boolean[] real = new boolean[columns.size()];
        for (int i = 0; i < fields.length; i++) {
            fields[i] = names.indexOf(columns.get(i).name());
            if (fields[i] < 0 || reader.kinds[i] == SqliteRowReader.GENERIC) {
                return Optional.empty();
            }
            real[i] = realAffinity(declared.get(fields[i]));
        }
        return Optional.of(new SqliteRecordDecoder(reader, reader.kinds.clone(), reader.types.clone(), fields, real));
    }

    /**
     * How the driver reads the same columns of the same table ({@link SqliteRowReader}): what a row {@link #decode}
     * declines is read with it, so it comes out as every other row.
     */
    public RowReader rowReader() {
        return rows;
    }

    /** SQLite's affinity rules, in their order: INT first, then CHAR/CLOB/TEXT, BLOB or nothing, then REAL. */
    static boolean realAffinity(String declared) {
        String n = declared == null ? "" : declared.toUpperCase(Locale.ROOT);
        if (n.contains("INT") || n.contains("CHAR") || n.contains("CLOB") || n.contains("TEXT") || n.contains("BLOB")
                || n.isBlank()) {
            return false;
        }
        return n.contains("REAL") || n.contains("FLOA") || n.contains("DOUB");
    }

    /**
     * The values of the row {@code rowid} whose record is the first {@code length} bytes of {@code payload}, or
     * {@code null} when a value needs the driver.
     */
    public Object[] decode(long rowid, byte[] payload, int length) throws TableCursor.CorruptException {
        SqliteRecord r = record;
        r.parse(payload, length);
        Object[] values = new Object[kinds.length];
        for (int i = 0; i < kinds.length; i++) {
            byte kind = kinds[i];
            if (kind == SqliteRowReader.ROWID) {
                values[i] = rowid;
                continue;
            }
            int f = fields[i];
            if (f >= r.count()) {
                return null; // the column's default, which the record leaves out
            }
            if (r.isNull(f)) {
                continue;
            }
            Object v = value(r, f, kind, i);
            if (v == null) {
                return null;
            }
            values[i] = v;
        }
        return values;
    }

    /** The value of field {@code f} read as column {@code i} of {@code kind}, or null when the driver must read it. */
    private Object value(SqliteRecord r, int f, byte kind, int i) {
        switch (kind) {
            case SqliteRowReader.LONG:
                return r.isInteger(f) && !realAffinity[i] ? (Object) r.integer(f) : null;
            case SqliteRowReader.BOOLEAN:
                return r.isInteger(f) && !realAffinity[i] ? (Object) (r.integer(f) != 0) : null;
            case SqliteRowReader.DOUBLE:
                if (r.isReal(f)) {
                    return r.real(f);
                }
                return r.isInteger(f) && realAffinity[i] ? (Object) (double) r.integer(f) : null;
            case SqliteRowReader.TEXT_AFFINITY:
                return r.isText(f) || r.isBlob(f) ? text(r, f) : null;
            case SqliteRowReader.TEXT:
                return r.isText(f) ? text(r, f) : null;
            case SqliteRowReader.BYTES:
                return r.isBlob(f) ? Arrays.copyOfRange(r.data(), r.offset(f), r.offset(f) + r.length(f)) : null;
            case SqliteRowReader.TIMESTAMP:
                return r.isText(f) ? SqliteRowReader.timestamp(text(r, f), lastTimestamp, i)
                        : r.isInteger(f) || r.isReal(f) ? SqliteRowReader.timestamp(number(r, f), lastTimestamp, i)
                        : null;
            case SqliteRowReader.DATE:
            case SqliteRowReader.TIME:
                return r.isText(f) ? SqliteRowReader.temporal(text(r, f), kind)
                        : r.isInteger(f) || r.isReal(f) ? SqliteRowReader.temporal(number(r, f), kind) : null;
            default:
                return null;
        }
    }

    /** An integer or real field as the text SQLite would give for it. */
    private static String number(SqliteRecord r, int f) {
        return r.isInteger(f) ? Long.toString(r.integer(f))
                : java.math.BigDecimal.valueOf(r.real(f)).toPlainString();
    }

    private static String text(SqliteRecord r, int f) {
        return new String(r.data(), r.offset(f), r.length(f), StandardCharsets.UTF_8);
    }
}
