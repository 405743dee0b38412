package dev.caravan.connector.jdbc;

import dev.caravan.api.error.MigrationException;
import dev.caravan.api.record.Column;
import dev.caravan.api.record.ColumnType;
import dev.caravan.api.record.TableDefinition;
import dev.caravan.connector.jdbc.dialect.Dialect;
import dev.caravan.connector.jdbc.dialect.SqliteDialect;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads table structure through {@link DatabaseMetaData} (columns, types, nullability, primary key, indexes,
 * foreign keys, defaults, auto-increment), with dialect queries where metadata falls short (SQLite's declared
 * types and PRAGMAs, MariaDB's JSON columns). Metadata name arguments are patterns, so results are filtered by
 * exact name: a table called {@code a_b} never picks up {@code axb}.
 */
final class Introspector {
    private static final Set<String> TABLE_TYPES = Set.of("TABLE", "BASE TABLE", "PARTITIONED TABLE");
    private static final int UNBOUNDED = 10_485_760;

    private final Connection c;
    private final Dialect dialect;

    Introspector(Connection c, Dialect dialect) {
        this.c = c;
        this.dialect = dialect;
    }

    /** The schema to use: the configured one, else the connection's. */
    String schemaOrDefault(String schema) throws SQLException {
        return schema != null ? schema : dialect.defaultSchema(c);
    }

    /** Names of the base tables of a schema, sorted. */
    List<String> tables(String schema) throws SQLException {
        List<String> out = new ArrayList<>();
        if (dialect instanceof SqliteDialect) {
            try (PreparedStatement ps = c.prepareStatement("SELECT name FROM sqlite_master WHERE type = 'table'"
                    + " AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        }
        DatabaseMetaData md = c.getMetaData();
        try (ResultSet rs = md.getTables(catalog(schema), schemaPattern(md, schema), "%", null)) {
            while (rs.next()) {
                String type = rs.getString("TABLE_TYPE");
                String owner = dialect.schemaIsCatalog() ? rs.getString("TABLE_CAT") : rs.getString("TABLE_SCHEM");
                if (type != null && TABLE_TYPES.contains(type.toUpperCase(Locale.ROOT))
                        && (schema == null || schema.equals(owner))) {
                    out.add(rs.getString("TABLE_NAME"));
                }
            }
        }
        out.sort(null);
        return out;
    }

    /** The table as the database spells it: exact match, else the only case-insensitive match, else empty. */
    java.util.Optional<String> resolve(String schema, String table) throws SQLException {
        List<String> all = tables(schema);
        if (all.contains(table)) {
            return java.util.Optional.of(table);
        }
        List<String> ci = all.stream().filter(t -> t.equalsIgnoreCase(table)).toList();
        return ci.size() == 1 ? java.util.Optional.of(ci.get(0)) : java.util.Optional.empty();
    }

    TableModel describe(TableRef t, List<String> configuredKey) throws SQLException {
        List<ColumnInfo> columns;
        List<String> pk;
        List<TableDefinition.Index> indexes;
        List<TableDefinition.ForeignKey> fks;
        if (dialect instanceof SqliteDialect sqlite) {
            SqliteIntrospection s = new SqliteIntrospection(c, sqlite);
            columns = s.columns(t);
            pk = s.primaryKey(t);
            indexes = s.indexes(t);
            fks = s.foreignKeys(t);
        } else {
            columns = columns(t);
            pk = primaryKey(t);
            indexes = indexes(t, pk);
            fks = foreignKeys(t);
        }
        if (columns.isEmpty()) {
            throw MigrationException.notFound("table " + t + " not found (or it has no columns you may read)");
        }
        List<String> key = key(t, columns, pk, indexes, configuredKey);
        return new TableModel(t, columns, key, pk, indexes, fks);
    }

    private List<String> key(TableRef t, List<ColumnInfo> columns, List<String> pk, List<TableDefinition.Index> indexes,
            List<String> configured) {
        if (!configured.isEmpty()) {
            for (String k : configured) {
                if (columns.stream().noneMatch(col -> col.name().equals(k))) {
                    throw MigrationException.userConfig("keyColumn '" + k + "' is not a column of " + t);
                }
            }
            return configured;
        }
        if (!pk.isEmpty()) {
            return pk;
        }
        for (TableDefinition.Index ix : indexes) {
            if (ix.unique() && ix.columns().stream().allMatch(n -> columns.stream()
                    .anyMatch(col -> col.name().equals(n) && !col.column().nullable()))) {
                return ix.columns();
            }
        }
        return List.of();
    }

    private List<ColumnInfo> columns(TableRef t) throws SQLException {
        DatabaseMetaData md = c.getMetaData();
        Map<String, ColumnType> hints = dialect.typeHints(c, t);
        TreeMap<Integer, ColumnInfo> byPosition = new TreeMap<>();
        try (ResultSet rs = md.getColumns(catalog(t.schema()), schemaPattern(md, t.schema()), escape(md, t.name()),
                "%")) {
            while (rs.next()) {
                if (!t.name().equals(rs.getString("TABLE_NAME")) || !ownerMatches(rs, t.schema())) {
                    continue;
                }
                String name = rs.getString("COLUMN_NAME");
                int jdbcType = rs.getInt("DATA_TYPE");
                String typeName = rs.getString("TYPE_NAME");
                int size = rs.getInt("COLUMN_SIZE");
                int digits = rs.getInt("DECIMAL_DIGITS");
                ColumnType type = hints.getOrDefault(name, dialect.logicalType(jdbcType, typeName, size, digits));
                // an array's size is its element's (PostgreSQL's int4[] says 10): as text it is unbounded
                boolean array = jdbcType == java.sql.Types.ARRAY;
                int precision = array ? 0 : switch (type) {
                    case DECIMAL, STRING, INT, BYTES -> size > 0 && size < UNBOUNDED && !(type == ColumnType.DECIMAL
                            && size > 1000) ? size : 0;
                    default -> 0;
                };
                int scale = type == ColumnType.DECIMAL && precision > 0 ? dialect.decimalScale(digits) : 0;
                boolean nullable = rs.getInt("NULLABLE") != DatabaseMetaData.columnNoNulls;
                String auto = rs.getString("IS_AUTOINCREMENT");
                boolean identity = "YES".equalsIgnoreCase(auto);
                String def = rs.getString("COLUMN_DEF");
                int pos = rs.getInt("ORDINAL_POSITION");
                byPosition.put(pos, new ColumnInfo(new Column(name, type, dialect.nativeTypeName(typeName), precision,
                        scale, nullable),
                        identity, identity ? null : dialect.portableDefault(def, type)));
            }
        }
        return new ArrayList<>(byPosition.values());
    }

    /** Whether the table has a primary key. */
    boolean hasPrimaryKey(TableRef t) throws SQLException {
        return !primaryKey(t).isEmpty();
    }

    private List<String> primaryKey(TableRef t) throws SQLException {
        TreeMap<Integer, String> cols = new TreeMap<>();
        try (ResultSet rs = c.getMetaData().getPrimaryKeys(catalog(t.schema()), t.schema() == null
                || dialect.schemaIsCatalog() ? null : t.schema(), t.name())) {
            while (rs.next()) {
                if (t.name().equals(rs.getString("TABLE_NAME"))) {
                    cols.put(rs.getInt("KEY_SEQ"), rs.getString("COLUMN_NAME"));
                }
            }
        }
        return new ArrayList<>(cols.values());
    }

    private List<TableDefinition.Index> indexes(TableRef t, List<String> pk) throws SQLException {
        Map<String, TreeMap<Integer, String>> cols = new LinkedHashMap<>();
        Map<String, Boolean> unique = new LinkedHashMap<>();
        Set<String> skip = new HashSet<>();
        try (ResultSet rs = c.getMetaData().getIndexInfo(catalog(t.schema()), t.schema() == null
                || dialect.schemaIsCatalog() ? null : t.schema(), t.name(), false, true)) {
            while (rs.next()) {
                String name = rs.getString("INDEX_NAME");
                String col = rs.getString("COLUMN_NAME");
                if (name == null || rs.getShort("TYPE") == DatabaseMetaData.tableIndexStatistic
                        || !t.name().equals(rs.getString("TABLE_NAME"))) {
                    continue;
                }
                if (col == null || rs.getString("FILTER_CONDITION") != null) {
                    skip.add(name); // expression or partial index: not portable
                    continue;
                }
                cols.computeIfAbsent(name, k -> new TreeMap<>()).put((int) rs.getShort("ORDINAL_POSITION"),
                        col.startsWith("\"") && col.endsWith("\"") ? col.substring(1, col.length() - 1)
                                .replace("\"\"", "\"") : col);
                unique.put(name, !rs.getBoolean("NON_UNIQUE"));
            }
        }
        List<TableDefinition.Index> out = new ArrayList<>();
        for (var e : cols.entrySet()) {
            List<String> columns = new ArrayList<>(e.getValue().values());
            boolean isPk = unique.get(e.getKey()) && columns.equals(pk);
            if (!isPk && !skip.contains(e.getKey())) {
                out.add(new TableDefinition.Index(e.getKey(), columns, unique.get(e.getKey())));
            }
        }
        return out;
    }

    /** The names of a table's indexes (primary key and unique constraints included), as the database spells them. */
    Set<String> indexNames(TableRef t) throws SQLException {
        Set<String> names = new HashSet<>();
        try (ResultSet rs = c.getMetaData().getIndexInfo(catalog(t.schema()), t.schema() == null
                || dialect.schemaIsCatalog() ? null : t.schema(), t.name(), false, true)) {
            while (rs.next()) {
                String name = rs.getString("INDEX_NAME");
                if (name != null && t.name().equals(rs.getString("TABLE_NAME"))) {
                    names.add(name);
                }
            }
        }
        return names;
    }

    /** Whether a foreign key (of another table or of the table itself) references the table. */
    boolean referenced(TableRef t) throws SQLException {
        return !referencingKeys(t).isEmpty();
    }

    /**
     * A foreign key of {@code table} (named {@code name}) that references another table.
     *
     * @param columns what it ties, e.g. {@code audit.item -> items.id}, one entry per column
     */
    record ForeignKeyRef(TableRef table, String name, List<String> columns) {
        /** The key, its table and what it ties, e.g. {@code audit_item of app.audit (audit.item -> items.id)}. */
        String describe() {
            return name + " of " + table + " (" + String.join(", ", columns) + ")";
        }
    }

    /**
     * The foreign keys that reference the table (of other tables and of itself), each once, in the order the
     * database lists them.
     */
    List<ForeignKeyRef> referencingKeys(TableRef t) throws SQLException {
        Map<List<Object>, List<String>> keys = new LinkedHashMap<>(); // (table, name) -> columns
        try (ResultSet rs = c.getMetaData().getExportedKeys(catalog(t.schema()), t.schema() == null
                || dialect.schemaIsCatalog() ? null : t.schema(), t.name())) {
            while (rs.next()) {
                if (t.name().equals(rs.getString("PKTABLE_NAME"))) {
                    String owner = dialect.schemaIsCatalog() ? rs.getString("FKTABLE_CAT")
                            : rs.getString("FKTABLE_SCHEM");
                    String name = rs.getString("FK_NAME");
                    String child = rs.getString("FKTABLE_NAME");
                    keys.computeIfAbsent(List.of(new TableRef(owner, child), name == null ? "(unnamed)" : name),
                            k -> new ArrayList<>()).add(child + "." + rs.getString("FKCOLUMN_NAME") + " -> "
                                    + t.name() + "." + rs.getString("PKCOLUMN_NAME"));
                }
            }
        }
        List<ForeignKeyRef> out = new ArrayList<>();
        keys.forEach((k, columns) -> out.add(new ForeignKeyRef((TableRef) k.get(0), (String) k.get(1),
                List.copyOf(columns))));
        return out;
    }

    private List<TableDefinition.ForeignKey> foreignKeys(TableRef t) throws SQLException {
        Map<String, List<String[]>> parts = new LinkedHashMap<>();
        Map<String, String[]> meta = new LinkedHashMap<>();
        int unnamed = 0;
        String current = null;
        try (ResultSet rs = c.getMetaData().getImportedKeys(catalog(t.schema()), t.schema() == null
                || dialect.schemaIsCatalog() ? null : t.schema(), t.name())) {
            while (rs.next()) {
                String name = rs.getString("FK_NAME");
                if (name == null) {
                    name = rs.getShort("KEY_SEQ") == 1 ? "fk" + (++unnamed) : current;
                }
                current = name;
                parts.computeIfAbsent(name, k -> new ArrayList<>()).add(new String[] {
                    Short.toString(rs.getShort("KEY_SEQ")), rs.getString("FKCOLUMN_NAME"),
                    rs.getString("PKCOLUMN_NAME")});
                meta.put(name, new String[] {rs.getString("PKTABLE_NAME"), rule(rs.getShort("DELETE_RULE")),
                    rule(rs.getShort("UPDATE_RULE"))});
            }
        }
        List<TableDefinition.ForeignKey> out = new ArrayList<>();
        for (var e : parts.entrySet()) {
            List<String[]> p = e.getValue();
            p.sort((a, b) -> Integer.compare(Integer.parseInt(a[0]), Integer.parseInt(b[0])));
            String[] m = meta.get(e.getKey());
            out.add(new TableDefinition.ForeignKey(e.getKey(), p.stream().map(a -> a[1]).toList(), m[0],
                    p.stream().map(a -> a[2]).toList(), m[1], m[2]));
        }
        return out;
    }

    static String rule(int r) {
        return switch (r) {
            case DatabaseMetaData.importedKeyCascade -> "CASCADE";
            case DatabaseMetaData.importedKeySetNull -> "SET NULL";
            case DatabaseMetaData.importedKeySetDefault -> "SET DEFAULT";
            case DatabaseMetaData.importedKeyRestrict -> "RESTRICT";
            default -> "NO ACTION";
        };
    }

    private boolean ownerMatches(ResultSet rs, String schema) throws SQLException {
        if (schema == null) {
            return true;
        }
        String owner = dialect.schemaIsCatalog() ? rs.getString("TABLE_CAT") : rs.getString("TABLE_SCHEM");
        return owner == null || schema.equals(owner);
    }

    private String catalog(String schema) {
        return dialect.schemaIsCatalog() ? schema : null;
    }

    private String schemaPattern(DatabaseMetaData md, String schema) throws SQLException {
        return schema == null || dialect.schemaIsCatalog() ? null : escape(md, schema);
    }

    private static String escape(DatabaseMetaData md, String name) throws SQLException {
        String esc = md.getSearchStringEscape();
        if (esc == null || esc.isEmpty()) {
            return name;
        }
        return name.replace(esc, esc + esc).replace("_", esc + "_").replace("%", esc + "%");
    }
}
