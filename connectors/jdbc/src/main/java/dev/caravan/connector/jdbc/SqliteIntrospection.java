package dev.caravan.connector.jdbc;

import dev.caravan.api.record.Column;
import dev.caravan.api.record.ColumnType;
import dev.caravan.api.record.TableDefinition;
import dev.caravan.connector.jdbc.dialect.SqliteDialect;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * SQLite structure from its table-valued PRAGMA functions ({@code pragma_table_info(?)} and friends, with the table
 * name bound as a parameter): the declared type names exactly as written, NOT NULL, defaults, the primary key,
 * indexes and foreign keys. A single-column {@code INTEGER PRIMARY KEY} is SQLite's rowid and generates values, so
 * it is reported as an identity column.
 */
final class SqliteIntrospection {
    private final Connection c;
    private final SqliteDialect dialect;

    SqliteIntrospection(Connection c, SqliteDialect dialect) {
        this.c = c;
        this.dialect = dialect;
    }

    List<ColumnInfo> columns(TableRef t) throws SQLException {
        List<ColumnInfo> out = new ArrayList<>();
        List<String[]> rows = new ArrayList<>();
        int pkCount = 0;
        try (PreparedStatement ps = c.prepareStatement("SELECT name, type, \"notnull\", dflt_value, pk"
                + " FROM pragma_table_info(?) ORDER BY cid")) {
            ps.setString(1, t.name());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(new String[] {rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5)});
                    if (rs.getInt(5) > 0) {
                        pkCount++;
                    }
                }
            }
        }
        for (String[] r : rows) {
            String declared = r[1] == null ? "" : r[1];
            ColumnType type = dialect.declaredType(declared);
            int[] params = SqliteDialect.declaredParams(declared);
            boolean rowid = pkCount == 1 && Integer.parseInt(r[4]) > 0
                    && declared.trim().toUpperCase(Locale.ROOT).equals("INTEGER");
            boolean nullable = !"1".equals(r[2]) && !rowid;
            Column col = new Column(r[0], type, declared, params[0], type == ColumnType.DECIMAL ? params[1] : 0,
                    nullable);
            out.add(new ColumnInfo(col, rowid, rowid ? null : dialect.portableDefault(r[3], type)));
        }
        return out;
    }

    List<String> primaryKey(TableRef t) throws SQLException {
        TreeMap<Integer, String> pk = new TreeMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT name, pk FROM pragma_table_info(?) WHERE pk > 0")) {
            ps.setString(1, t.name());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    pk.put(rs.getInt(2), rs.getString(1));
                }
            }
        }
        return new ArrayList<>(pk.values());
    }

    List<TableDefinition.Index> indexes(TableRef t) throws SQLException {
        List<TableDefinition.Index> out = new ArrayList<>();
        Map<String, Boolean> names = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT name, \"unique\", origin, partial"
                + " FROM pragma_index_list(?) ORDER BY name")) {
            ps.setString(1, t.name());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (!"pk".equals(rs.getString(3)) && rs.getInt(4) == 0) {
                        names.put(rs.getString(1), rs.getInt(2) == 1);
                    }
                }
            }
        }
        for (var e : names.entrySet()) {
            List<String> cols = new ArrayList<>();
            boolean expression = false;
            try (PreparedStatement ps = c.prepareStatement("SELECT name FROM pragma_index_info(?) ORDER BY seqno")) {
                ps.setString(1, e.getKey());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String n = rs.getString(1);
                        expression |= n == null;
                        cols.add(n);
                    }
                }
            }
            if (!expression && !cols.isEmpty()) {
                out.add(new TableDefinition.Index(e.getKey(), cols, e.getValue()));
            }
        }
        return out;
    }

    List<TableDefinition.ForeignKey> foreignKeys(TableRef t) throws SQLException {
        Map<Integer, List<String[]>> byId = new TreeMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT id, seq, \"table\", \"from\", \"to\", on_update,"
                + " on_delete FROM pragma_foreign_key_list(?) ORDER BY id, seq")) {
            ps.setString(1, t.name());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    byId.computeIfAbsent(rs.getInt(1), k -> new ArrayList<>()).add(new String[] {rs.getString(3),
                        rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7)});
                }
            }
        }
        List<TableDefinition.ForeignKey> out = new ArrayList<>();
        for (var e : byId.entrySet()) {
            List<String[]> p = e.getValue();
            String parent = p.get(0)[0];
            List<String> to = new ArrayList<>();
            for (String[] a : p) {
                to.add(a[2]);
            }
            if (to.contains(null)) { // REFERENCES parent without columns: the parent's primary key
                to = primaryKey(new TableRef(null, parent));
            }
            out.add(new TableDefinition.ForeignKey(t.name() + "_fk" + e.getKey(), p.stream().map(a -> a[1]).toList(),
                    parent, to, p.get(0)[4].toUpperCase(Locale.ROOT), p.get(0)[3].toUpperCase(Locale.ROOT)));
        }
        return out;
    }
}
