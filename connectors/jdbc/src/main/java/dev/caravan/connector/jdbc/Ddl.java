package dev.caravan.connector.jdbc;

import dev.caravan.api.error.MigrationException;
import dev.caravan.api.record.Column;
import dev.caravan.api.record.ColumnType;
import dev.caravan.api.record.Schema;
import dev.caravan.api.record.TableDefinition;
import dev.caravan.connector.jdbc.dialect.ColumnSizes;
import dev.caravan.connector.jdbc.dialect.Dialect;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Generates the target's DDL from a schema and the source's {@link TableDefinition}: CREATE TABLE with mapped types
 * (user {@link TypeRules} first, then the dialect's built-in table), NOT NULL, portable defaults, identity and the
 * primary key; after the load the secondary indexes and unique constraints; last the foreign keys. Every name goes
 * through the dialect's quoting and the sink's {@link Renames}. Stateless.
 */
final class Ddl {
    private final Dialect dialect;
    private final TypeRules rules;
    private final Renames renames;
    private final String sourceTable;

    Ddl(Dialect dialect, TypeRules rules, Renames renames, String sourceTable) {
        this.dialect = dialect;
        this.rules = rules;
        this.renames = renames;
        this.sourceTable = sourceTable;
    }

    /** The primary key to create: the definition's when there is one, else the schema's key. */
    static List<String> primaryKey(Schema schema, TableDefinition def) {
        List<String> pk = def != null ? def.schema().keyColumns() : schema.keyColumns();
        return pk.stream().allMatch(k -> schema.indexOf(k) >= 0) ? pk : List.of();
    }

    /** The (source) columns created as identity columns: the definition's that are integers in the schema. */
    static List<String> identityColumns(Schema schema, TableDefinition def) {
        if (def == null) {
            return List.of();
        }
        return def.identityColumns().stream().filter(id -> {
            int i = schema.indexOf(id);
            return i >= 0 && (schema.columns().get(i).type() == ColumnType.INT
                    || schema.columns().get(i).type() == ColumnType.LONG);
        }).toList();
    }

    private String col(String name) {
        return renames.column(sourceTable, name);
    }

    /**
     * The target type of a column: a user rule, else the dialect's; a column of a key gets the length
     * {@link #keyLengths} found for it.
     */
    String typeOf(Column c, TableDefinition def, Set<String> indexed, Map<String, Integer> keyLengths) {
        String sourceDialect = def == null ? null : def.dialect();
        String rule = rules.apply(sourceTable, c, sourceDialect);
        if (rule != null) {
            return rule;
        }
        Integer length = keyLengths.get(c.name());
        Column sized = length == null ? c : new Column(c.name(), c.type(), c.nativeType(), length, c.scale(),
                c.nullable());
        if (!dialect.holdsAnyDecimalScale()) {
            sized = ColumnSizes.withPortableScale(sized);
        }
        return dialect.targetType(sized, sourceDialect, indexed.contains(c.name()));
    }

    /** The target types {@code typeMapping} rules give columns of the schema, by column name, in column order. */
    Map<String, String> ruleTypes(Schema schema, TableDefinition def) {
        String sourceDialect = def == null ? null : def.dialect();
        Map<String, String> out = new java.util.LinkedHashMap<>();
        for (Column c : schema.columns()) {
            String rule = rules.apply(sourceTable, c, sourceDialect);
            if (rule != null) {
                out.put(c.name(), rule);
            }
        }
        return out;
    }

    private static Set<String> indexedColumns(Schema schema, TableDefinition def) {
        Set<String> out = new HashSet<>();
        keys(schema, def).forEach(out::addAll);
        if (def != null) {
            out.addAll(def.identityColumns());
        }
        return out;
    }

    /** The column lists the target indexes: primary key, key columns, indexes and foreign keys. */
    private static List<List<String>> keys(Schema schema, TableDefinition def) {
        List<List<String>> out = new ArrayList<>();
        out.add(primaryKey(schema, def));
        out.add(schema.keyColumns());
        if (def != null) {
            def.indexes().forEach(ix -> out.add(ix.columns()));
            def.foreignKeys().forEach(fk -> out.add(fk.columns()));
        }
        return out;
    }

    /**
     * Per column of a bounded key (MariaDB: 3072 bytes, so a primary key of a BIGINT and a text cannot be BIGINT +
     * VARCHAR(768)), the longest length that lets every key holding it fit ({@link Dialect#keyLengths}). Columns a
     * user rule types are left to the rule. A key that cannot fit is refused (USER_CONFIG) before anything is
     * written, saying which columns to map to shorter types.
     */
    Map<String, Integer> keyLengths(Schema schema, TableDefinition def) {
        String sourceDialect = def == null ? null : def.dialect();
        Map<String, Integer> out = new HashMap<>();
        for (List<String> key : keys(schema, def)) {
            List<Column> cols = key.stream().filter(k -> schema.indexOf(k) >= 0)
                    .map(k -> schema.columns().get(schema.indexOf(k)))
                    .filter(c -> rules.apply(sourceTable, c, sourceDialect) == null).toList();
            for (Map.Entry<String, Integer> e : dialect.keyLengths(cols).entrySet()) {
                if (e.getValue() < 1) {
                    throw MigrationException.userConfig("the key (" + String.join(", ", key) + ") of table "
                            + sourceTable + " cannot fit the " + dialect.maxKeyBytes() + " bytes " + dialect.displayName()
                            + " allows for an index key: map its columns to shorter types with typeMapping (e.g. "
                            + "column:" + sourceTable + "." + e.getKey() + "=VARCHAR(100))");
                }
                out.merge(e.getKey(), e.getValue(), Math::min);
            }
        }
        return out;
    }

    /**
     * CREATE TABLE.
     *
     * @param withPrimaryKey false to leave the primary key for {@link #addPrimaryKey} after the load
     */
    List<String> createTable(TableRef target, Schema schema, TableDefinition def, boolean withPrimaryKey) {
        List<String> pk = primaryKey(schema, def);
        Set<String> indexed = indexedColumns(schema, def);
        Map<String, Integer> keyLengths = keyLengths(schema, def);
        Set<String> identity = new LinkedHashSet<>(identityColumns(schema, def));
        boolean inlinePk = dialect.identityIsInlinePrimaryKey() && pk.size() == 1 && identity.contains(pk.get(0));
        List<String> parts = new ArrayList<>();
        for (Column c : schema.columns()) {
            StringBuilder sb = new StringBuilder(dialect.quote(col(c.name()))).append(' ');
            if (inlinePk && c.name().equals(pk.get(0))) {
                parts.add(sb.append("INTEGER PRIMARY KEY AUTOINCREMENT").toString());
                continue;
            }
            sb.append(typeOf(c, def, indexed, keyLengths));
            if (identity.contains(c.name())) {
                sb.append(dialect.identityClause(c));
            } else if (def != null) {
                String d = dialect.renderDefault(def.defaults().get(c.name()), c.type());
                if (d != null) {
                    sb.append(" DEFAULT ").append(d);
                }
            }
            if (!c.nullable() || pk.contains(c.name())) {
                sb.append(" NOT NULL");
            }
            parts.add(sb.toString());
        }
        if (!pk.isEmpty() && !inlinePk && withPrimaryKey) {
            parts.add("PRIMARY KEY (" + list(pk) + ")");
        }
        List<String> renamedIdentity = identity.stream().map(this::col).toList();
        parts.addAll(dialect.extraTableClauses(schema.columns(), renames.columns(sourceTable, pk),
                new LinkedHashSet<>(renamedIdentity)));
        if (dialect.inlineForeignKeys() && def != null) {
            for (TableDefinition.ForeignKey fk : def.foreignKeys()) {
                if (fk.columns().stream().allMatch(k -> schema.indexOf(k) >= 0)) {
                    parts.add(foreignKeyClause(target, fk));
                }
            }
        }
        return List.of("CREATE TABLE " + dialect.qualified(target) + " (\n  " + String.join(",\n  ", parts) + "\n)"
                + dialect.createTableSuffix());
    }

    /** The deferred primary key, or nothing when there is no key. */
    List<String> addPrimaryKey(TableRef target, Schema schema, TableDefinition def) {
        List<String> pk = primaryKey(schema, def);
        return pk.isEmpty() ? List.of() : List.of("ALTER TABLE " + dialect.qualified(target) + " ADD PRIMARY KEY ("
                + list(pk) + ")");
    }

    List<String> indexes(TableRef target, Schema schema, TableDefinition def) {
        return namedIndexes(target, schema, def).stream().map(NamedStatement::sql).toList();
    }

    /** The CREATE INDEX statements with the index names they create (to skip those a target has already). */
    List<NamedStatement> namedIndexes(TableRef target, Schema schema, TableDefinition def) {
        List<NamedStatement> out = new ArrayList<>();
        if (def == null) {
            return out;
        }
        for (TableDefinition.Index ix : def.indexes()) {
            if (!ix.columns().stream().allMatch(k -> schema.indexOf(k) >= 0)) {
                continue; // a column the mapping dropped
            }
            String name = name(target.name(), ix.name());
            out.add(new NamedStatement(name, "CREATE " + (ix.unique() ? "UNIQUE " : "") + "INDEX IF NOT EXISTS "
                    + dialect.quote(name) + " ON " + dialect.qualified(target) + " (" + list(ix.columns()) + ")"));
        }
        return out;
    }

    /** ALTER TABLE ... ADD CONSTRAINT ... FOREIGN KEY for the dialects that can add them later. */
    List<NamedStatement> foreignKeys(TableRef target, Schema schema, TableDefinition def) {
        List<NamedStatement> out = new ArrayList<>();
        if (def == null || dialect.inlineForeignKeys()) {
            return out;
        }
        for (TableDefinition.ForeignKey fk : def.foreignKeys()) {
            if (fk.columns().stream().allMatch(k -> schema.indexOf(k) >= 0)) {
                String name = name(target.name(), fk.name());
                out.add(new NamedStatement(name, "ALTER TABLE " + dialect.qualified(target) + " ADD CONSTRAINT "
                        + dialect.quote(name) + " " + foreignKeyClause(target, fk), foreignKeyShape(fk)));
            }
        }
        return out;
    }

    /**
     * A statement and the name of the object it creates; for a foreign key, its {@code shape} too
     * ({@link #foreignKeyShape}), by which one the target already has under another name is recognised.
     */
    record NamedStatement(String name, String sql, String shape) {
        NamedStatement(String name, String sql) {
            this(name, sql, null);
        }
    }

    /** {@code (col, ...) -> parent (col, ...)} in the target's names, lower case: what a foreign key ties. */
    private String foreignKeyShape(TableDefinition.ForeignKey fk) {
        List<String> parentColumns = fk.referencedColumns().stream()
                .map(c -> renames.column(fk.referencedTable(), c)).toList();
        return shape(fk.columns(), renames.table(fk.referencedTable()), parentColumns);
    }

    /** The shape of a foreign key from {@code columns} to {@code parent (parentColumns)}. */
    static String shape(List<String> columns, String parent, List<String> parentColumns) {
        return ("(" + String.join(",", columns) + ")->" + parent + "(" + String.join(",", parentColumns) + ")")
                .toLowerCase(java.util.Locale.ROOT);
    }

    private String foreignKeyClause(TableRef target, TableDefinition.ForeignKey fk) {
        TableRef parent = new TableRef(target.schema(), renames.table(fk.referencedTable()));
        StringBuilder sb = new StringBuilder("FOREIGN KEY (").append(list(fk.columns())).append(") REFERENCES ")
                .append(dialect.qualified(parent)).append(" (");
        for (int i = 0; i < fk.referencedColumns().size(); i++) {
            sb.append(i == 0 ? "" : ", ").append(dialect.quote(renames.column(fk.referencedTable(),
                    fk.referencedColumns().get(i))));
        }
        sb.append(')');
        sb.append(action(" ON DELETE ", fk.onDelete())).append(action(" ON UPDATE ", fk.onUpdate()));
        return sb.toString();
    }

    private static String action(String prefix, String rule) {
        return switch (rule == null ? "" : rule) {
            case "CASCADE", "SET NULL", "SET DEFAULT", "RESTRICT" -> prefix + rule;
            default -> "";
        };
    }

    private String list(List<String> sourceColumns) {
        StringBuilder sb = new StringBuilder();
        for (String c : sourceColumns) {
            sb.append(sb.length() == 0 ? "" : ", ").append(dialect.quote(col(c)));
        }
        return sb.toString();
    }

    /**
     * A name for an index or constraint of the target table: the source's name with the source table's name
     * replaced by the target's (or prefixed by it), shortened with a hash to the dialect's limit.
     */
    String name(String targetTable, String sourceName) {
        String base = sourceName.startsWith(sourceTable) ? targetTable + sourceName.substring(sourceTable.length())
                : targetTable + "_" + sourceName;
        return fit(dialect, base, dialect.maxIdentifierLength());
    }

    /**
     * {@code base} when the dialect keeps it within {@code max} ({@link Dialect#identifierLength}), else its longest
     * whole-code-point start that fits with {@code _<hash of base>} appended: names that differ stay different.
     */
    static String fit(Dialect dialect, String base, int max) {
        if (dialect.identifierLength(base) <= max) {
            return base;
        }
        String hash = Integer.toHexString(base.hashCode());
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < base.length(); i = base.offsetByCodePoints(i, 1)) {
            String next = sb.toString() + new String(Character.toChars(base.codePointAt(i)));
            if (dialect.identifierLength(next) > max - hash.length() - 1) {
                break;
            }
            sb.setLength(0);
            sb.append(next);
        }
        return sb + "_" + hash;
    }

    /**
     * Refuses (USER_CONFIG) a table or column name longer than the target keeps: PostgreSQL would cut it short
     * without an error (two long names could then become one), MariaDB refuses it while the table is prepared.
     *
     * @param table      the target table's name
     * @param renameable whether the table's name comes from the source (then the rename option gives another)
     */
    void checkNames(String table, Schema schema, boolean renameable) {
        String hint = renameable ? "give it a shorter name with the rename option: rename=" + escape(sourceTable)
                + "=<new name>" : "choose a shorter name with the table option";
        tooLong("table name '" + table + "'", table, hint);
        for (Column c : schema.columns()) {
            String name = col(c.name());
            tooLong("column name '" + name + "' of table " + table, name, "give it a shorter name with the rename"
                    + " option: rename=" + escape(sourceTable) + "." + escape(c.name()) + "=<new name>");
        }
    }

    private void tooLong(String what, String name, String hint) {
        int n = dialect.identifierLength(name);
        if (n > dialect.maxIdentifierLength()) {
            throw MigrationException.userConfig(what + " is " + n + " " + dialect.identifierUnit() + " long, and "
                    + dialect.displayName() + " keeps at most " + dialect.maxIdentifierLength() + ": " + hint);
        }
    }

    /** A name as the rename option reads it: backslash before {@code , = .} and itself. */
    private static String escape(String name) {
        return name.replaceAll("([\\\\,=.])", "\\\\$1");
    }
}
