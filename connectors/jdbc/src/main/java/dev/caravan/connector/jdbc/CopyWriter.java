package dev.caravan.connector.jdbc;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyManager;

/**
 * PostgreSQL's COPY protocol through the driver's {@link CopyManager}: rows are encoded in the binary COPY format
 * ({@link CopyBinary}) when every target column has a type it knows, else in text format ({@link CopyText}), and
 * streamed in chunks of 256 KiB; memory stays bounded by the batch. Not thread-safe.
 */
final class CopyWriter extends BatchWriter {
    private static final int CHUNK = 256 * 1024;
    private final CopyManager copy;
    private final String sql;
    private final CopyText out = new CopyText();
    private final CopyBinary binary;

    CopyWriter(ConnectionFactory factory, TargetTable table, RejectLog rejects) {
        super(factory, table, rejects);
        try {
            copy = connection.unwrap(PGConnection.class).getCopyAPI();
        } catch (SQLException e) {
            close();
            throw JdbcErrors.translate(e, "opening COPY to " + table.ref());
        }
        StringBuilder cols = new StringBuilder();
        for (String c : table.columns()) {
            cols.append(cols.length() == 0 ? "" : ", ").append(dialect.quote(c));
        }
        List<String> types = columnTypes(table);
        binary = CopyBinary.supports(types) ? new CopyBinary(types) : null;
        sql = "COPY " + dialect.qualified(table.ref()) + " (" + cols + ") FROM STDIN"
                + (binary != null ? " (FORMAT binary)" : "");
    }

    /** The PostgreSQL type names of the target columns, in record order. */
    private List<String> columnTypes(TargetTable table) {
        Map<String, String> byName = new HashMap<>();
        try (PreparedStatement ps = connection.prepareStatement("SELECT a.attname, t.typname FROM pg_attribute a"
                + " JOIN pg_type t ON t.oid = a.atttypid WHERE a.attrelid = to_regclass(?) AND a.attnum > 0"
                + " AND NOT a.attisdropped")) {
            ps.setString(1, dialect.qualified(table.ref()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    byName.put(rs.getString(1), rs.getString(2));
                }
            }
            connection.commit();
        } catch (SQLException e) {
            close();
            throw JdbcErrors.translate(e, "reading the column types of " + table.ref());
        }
        List<String> out = new ArrayList<>();
        for (String c : table.columns()) {
            out.add(byName.getOrDefault(c, "?"));
        }
        return out;
    }

    @Override
    protected void load(List<Object[]> rows) throws SQLException {
        if (binary != null) {
            loadBinary(rows);
            return;
        }
        CopyIn in = copy.copyIn(sql);
        try {
            out.clear();
            for (Object[] row : rows) {
                out.row(row);
                if (out.size() >= CHUNK) {
                    flush(in);
                }
            }
            flush(in);
            in.endCopy();
        } catch (SQLException e) {
            cancel(in, e);
            throw e;
        } finally {
            cancel(in, null);
        }
    }

    /**
     * Encodes and sends in chunks of {@link #CHUNK}, so the server parses and stores one chunk while the next is
     * encoded (encoding the whole batch first left the server idle meanwhile, then the client idle while it caught
     * up). A value that cannot be encoded cancels the COPY and fails the load with its own SQLSTATE, so the caller
     * rolls back to its savepoint and isolates the row as before.
     */
    private void loadBinary(List<Object[]> rows) throws SQLException {
        CopyIn in = copy.copyIn(sql);
        try {
            binary.clear();
            binary.header();
            for (Object[] row : rows) {
                binary.row(row);
                if (binary.size() >= CHUNK) {
                    in.writeToCopy(binary.bytes(), 0, binary.size());
                    binary.clear();
                }
            }
            binary.trailer();
            in.writeToCopy(binary.bytes(), 0, binary.size());
            in.endCopy();
        } catch (SQLException e) {
            cancel(in, e);
            throw e;
        } finally {
            cancel(in, null);
        }
    }

    /** Ends a COPY that is still open; a failure to cancel is kept with the error that caused it, if any. */
    private static void cancel(CopyIn in, SQLException cause) {
        if (!in.isActive()) {
            return;
        }
        try {
            in.cancelCopy();
        } catch (SQLException e) {
            if (cause != null) {
                cause.addSuppressed(e);
            }
        }
    }

    private void flush(CopyIn in) throws SQLException {
        if (out.size() > 0) {
            in.writeToCopy(out.bytes(), 0, out.size());
            out.clear();
        }
    }
}
