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
        } finally {
            if (in.isActive()) {
                in.cancelCopy();
            }
        }
    }

    private void loadBinary(List<Object[]> rows) throws SQLException {
        binary.clear();
        binary.header();
        for (Object[] row : rows) {
            binary.row(row); // a value that cannot be encoded fails here, before the server sees anything
        }
        binary.trailer();
        CopyIn in = copy.copyIn(sql);
        try {
            for (int off = 0; off < binary.size(); off += CHUNK) {
                in.writeToCopy(binary.bytes(), off, Math.min(CHUNK, binary.size() - off));
            }
            in.endCopy();
        } finally {
            if (in.isActive()) {
                in.cancelCopy();
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
