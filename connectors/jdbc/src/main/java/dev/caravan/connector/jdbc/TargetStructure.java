package dev.caravan.connector.jdbc;

import dev.caravan.api.error.MigrationException;
import dev.caravan.api.record.Column;
import dev.caravan.api.record.Schema;
import dev.caravan.api.record.TableDefinition;
import dev.caravan.connector.jdbc.dialect.Dialect;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A target table's structure held against what the sink loads or creates: {@link #requireLoadable} refuses a table a
 * data-only load cannot write (missing, or without a column of the source), and {@link #differences} lists what the
 * table lacks of the structure a full migration creates (the verification of a schema-only run), and
 * {@link #refuseDroppingOthers} refuses a replace that would drop more than the table. Reads the catalog only; one
 * use per connection.
 */
final class TargetStructure {
    private final Connection connection;
    private final Dialect dialect;
    private final TableRef table;

    TargetStructure(Connection connection, Dialect dialect, TableRef table) {
        this.connection = connection;
        this.dialect = dialect;
        this.table = table;
    }

    private boolean exists() throws SQLException {
        return new Introspector(connection, dialect).tables(table.schema()).contains(table.name());
    }

    /**
     * Throws USER_CONFIG when the table is missing or lacks one of {@code columns} (target names).
     *
     * @param why what forbids creating or altering it, e.g. {@code "load=data loads into existing tables only"}
     * @param fix what the user can do instead
     */
    void requireLoadable(List<String> columns, String why, String fix) throws SQLException {
        if (!exists()) {
            throw MigrationException.userConfig("target table " + table + " does not exist: " + why + "; " + fix);
        }
        TableModel actual = new Introspector(connection, dialect).describe(table, List.of());
        List<String> missing = columns.stream().filter(name -> actual.column(name) == null).toList();
        if (!missing.isEmpty()) {
            throw MigrationException.userConfig("target table " + table + " has no column " + String.join(", ",
                    missing) + ": " + why + "; add the column" + (missing.size() > 1 ? "s" : "") + ", or " + fix);
        }
    }

    /**
     * What the table lacks of what {@code ddl} creates for the schema and definition: the table, columns, the primary
     * key, indexes, identity columns and (when {@code foreignKeys}) foreign keys; empty when it has all of it.
     */
    List<String> differences(Ddl ddl, Renames renames, String sourceTable, Schema schema, TableDefinition def,
            boolean foreignKeys) throws SQLException {
        if (!exists()) {
            return List.of("table " + table + " is missing");
        }
        Introspector in = new Introspector(connection, dialect);
        TableModel actual = in.describe(table, List.of());
        List<String> out = new ArrayList<>();
        for (Column c : schema.columns()) {
            String name = renames.column(sourceTable, c.name());
            if (actual.column(name) == null) {
                out.add("column " + name + " is missing");
            }
        }
        List<String> sourcePk = Ddl.primaryKey(schema, def);
        List<String> pk = renames.columns(sourceTable, sourcePk);
        if (!pk.isEmpty() && !actual.primaryKey().equals(pk)) {
            out.add("primary key (" + String.join(", ", pk) + ") is missing" + (actual.primaryKey().isEmpty() ? ""
                    : ", the table's is (" + String.join(", ", actual.primaryKey()) + ")"));
        }
        Set<String> indexes = in.indexNames(table);
        for (Ddl.NamedStatement ix : ddl.namedIndexes(table, schema, def)) {
            if (!indexes.contains(ix.name())) {
                out.add("index " + ix.name() + " is missing");
            }
        }
        for (String id : Ddl.identityColumns(schema, def)) {
            Column c = schema.columns().get(schema.indexOf(id));
            boolean created = !dialect.identityClause(c).isEmpty() || dialect.identityIsInlinePrimaryKey()
                    && sourcePk.equals(List.of(id));
            ColumnInfo target = actual.column(renames.column(sourceTable, id));
            if (created && target != null && !target.identity()) {
                out.add("column " + target.name() + " is no identity column");
            }
        }
        if (foreignKeys) {
            ExistingForeignKeys existing = ExistingForeignKeys.of(connection, dialect, table);
            for (Ddl.NamedStatement fk : ddl.foreignKeys(table, schema, def)) {
                if (!existing.names().contains(fk.name()) && !existing.shapes().contains(fk.shape())) {
                    out.add("foreign key " + fk.name() + " is missing");
                }
            }
        }
        return out;
    }

    /**
     * Refuses to replace (drop) a table that a view reads or that a foreign key of a table outside the migration
     * references ({@code migrated}: the target names of the migration's tables): PostgreSQL's and H2's DROP ...
     * CASCADE would destroy them without a word, and MariaDB's drop (with foreign key checks off) would leave the key
     * unchecked against the new rows. The migration's own tables are replaced too, and their foreign keys are added
     * again after the load.
     */
    void refuseDroppingOthers(Set<String> migrated) throws SQLException {
        TableRef t = table;
        List<String> views = dialect.dependentViews(connection, t);
        List<Introspector.ForeignKeyRef> keys = new Introspector(connection, dialect).referencingKeys(t).stream()
                .filter(k -> !(Objects.equals(k.table().schema(), t.schema())
                        && (k.table().name().equals(t.name()) || migrated.contains(k.table().name()))))
                .toList();
        if (views.isEmpty() && keys.isEmpty()) {
            return;
        }
        List<String> lost = new ArrayList<>();
        views.forEach(v -> lost.add("the view " + v));
        keys.forEach(k -> lost.add("the foreign key " + k.describe()));
        List<String> tables = keys.stream().map(k -> k.table().toString()).distinct().toList();
        throw MigrationException.userConfig("mode replace would drop " + t + " and with it " + String.join(", ", lost)
                + ", which this migration does not re-create: "
                + (tables.isEmpty() ? "" : "include " + String.join(", ", tables) + " in the migration, or ")
                + "drop " + (lost.size() > 1 ? "them" : views.isEmpty() ? "the foreign key" : "the view")
                + " first, or use mode append or upsert to keep the table");
    }

    /**
     * The statements that drop the foreign keys by which other tables of the migration ({@code migrated}) reference
     * the table, before it is replaced, where dropping the table leaves them ({@link Dialect#dropForeignKey}): MariaDB
     * would refuse to create the new table while a key of another type points at it (errno 150). Their own replace
     * drops those tables, and the migration adds its keys again after the load.
     */
    List<String> dropMigratedReferences(Set<String> migrated) throws SQLException {
        List<String> out = new ArrayList<>();
        for (Introspector.ForeignKeyRef k : new Introspector(connection, dialect).referencingKeys(table)) {
            boolean self = Objects.equals(k.table(), table);
            if (!self && Objects.equals(k.table().schema(), table.schema()) && migrated.contains(k.table().name())) {
                dialect.dropForeignKey(k.table(), k.name()).ifPresent(out::add);
            }
        }
        return out;
    }
}
