package dev.caravan.connector.jdbc;

import dev.caravan.api.record.ColumnType;
import dev.caravan.connector.jdbc.dialect.Dialect;
import dev.caravan.connector.jdbc.dialect.RowReader;
import dev.caravan.connector.jdbc.dialect.Values;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * What a source reads: a table or a query (as a derived table), its select list, its key, and an optional
 * incremental window; builds the WHERE clauses of key ranges with every value bound as a parameter. Immutable.
 *
 * @param from       the FROM item (a quoted table or {@code (query) caravan_q})
 * @param model      columns and keys
 * @param window     only rows whose window column lies in (after, upTo], or {@code null}
 */
record Relation(Dialect dialect, String from, TableModel model, Window window) {

    /**
     * An incremental window over a monotonically growing column.
     *
     * @param column column name
     * @param type   its logical type
     * @param after  exclusive lower bound, or {@code null} (then NULLs are included)
     * @param upTo   inclusive upper bound, or {@code null}
     */
    record Window(String column, ColumnType type, String after, String upTo) {
    }

    List<String> keys() {
        return model.keyColumns();
    }

    List<ColumnType> keyTypes() {
        return keys().stream().map(k -> model.column(k).type()).toList();
    }

    /** A reader of the relation's rows, made once per split reader on its connection ({@link Dialect#rowReader}). */
    RowReader rowReader(Connection c) throws SQLException {
        boolean table = from.equals(dialect.qualified(model.ref())); // else a query: (...) caravan_q
        return dialect.rowReader(c, table ? model.ref() : null, model.schema().columns());
    }

    String keyList() {
        StringBuilder sb = new StringBuilder();
        for (String k : keys()) {
            sb.append(sb.length() == 0 ? "" : ", ").append(dialect.quote(k));
        }
        return sb.toString();
    }

    /** {@code k} or {@code (k1, k2)} for comparisons. */
    private String keyTuple() {
        return keys().size() == 1 ? dialect.quote(keys().get(0)) : "(" + keyList() + ")";
    }

    private String placeholders() {
        return keys().size() == 1 ? "?" : "(" + "?, ".repeat(keys().size() - 1) + "?)";
    }

    /** A WHERE clause (possibly empty) for keys in (lower, upper] and the window, with its values to bind. */
    Where where(String lower, String upper) {
        List<String> conds = new ArrayList<>();
        List<Object[]> binds = new ArrayList<>();
        if (lower != null) {
            conds.add(keyTuple() + " > " + placeholders());
            binds.add(KeyCodec.decode(lower, keyTypes()));
        }
        if (upper != null) {
            conds.add(keyTuple() + " <= " + placeholders());
            binds.add(KeyCodec.decode(upper, keyTypes()));
        }
        if (window != null) {
            String q = dialect.quote(window.column());
            if (window.after() != null) {
                conds.add(q + " > ?");
                binds.add(new Object[] {Values.convert(window.after(), window.type())});
            }
            if (window.upTo() != null) {
                conds.add(window.after() == null ? "(" + q + " <= ? OR " + q + " IS NULL)" : q + " <= ?");
                binds.add(new Object[] {Values.convert(window.upTo(), window.type())});
            }
        }
        List<ColumnType> types = new ArrayList<>();
        List<Object> values = new ArrayList<>();
        int b = 0;
        if (lower != null) {
            addAll(values, types, binds.get(b++), keyTypes());
        }
        if (upper != null) {
            addAll(values, types, binds.get(b++), keyTypes());
        }
        while (b < binds.size()) {
            values.add(binds.get(b++)[0]);
            types.add(window.type());
        }
        return new Where(conds.isEmpty() ? "" : " WHERE " + String.join(" AND ", conds), values, types);
    }

    private static void addAll(List<Object> values, List<ColumnType> types, Object[] v, List<ColumnType> t) {
        for (int i = 0; i < v.length; i++) {
            values.add(v[i]);
            types.add(t.get(i));
        }
    }

    /** A WHERE clause and the values of its placeholders. */
    record Where(String sql, List<Object> values, List<ColumnType> types) {
        /** Binds the values starting at parameter {@code first}; returns the next free index. */
        int bind(Dialect d, PreparedStatement ps, int first) throws SQLException {
            int i = first;
            for (int v = 0; v < values.size(); v++) {
                d.bind(ps, i++, values.get(v), types.get(v));
            }
            return i;
        }
    }
}
