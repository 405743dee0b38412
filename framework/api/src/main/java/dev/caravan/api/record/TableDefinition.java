package dev.caravan.api.record;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The structure of a source table beyond its {@link Schema}: what a database target needs to rebuild it
 * (indexes, unique constraints, foreign keys, defaults, identity columns). Produced by {@link DescribedSource},
 * consumed by {@link TableStructure}. Immutable.
 *
 * @param dialect         the source's dialect ({@code postgresql}, {@code mariadb}, {@code h2}, {@code sqlite},
 *                        ...), so a target can apply type rules per dialect pair; never {@code null}
 * @param schema          the source schema (column native types are the source dialect's names)
 * @param indexes         secondary indexes and unique constraints (not the primary key)
 * @param foreignKeys     foreign keys of this table
 * @param defaults        portable column defaults by column name: a SQL literal ({@code 'text'} with doubled
 *                        quotes, a number, {@code TRUE}, {@code FALSE}) or {@code CURRENT_TIMESTAMP},
 *                        {@code CURRENT_DATE}, {@code CURRENT_TIME}; defaults that are not portable are left out
 * @param identityColumns columns whose values the database generates (identity, serial, auto-increment)
 */
public record TableDefinition(String dialect, Schema schema, List<Index> indexes, List<ForeignKey> foreignKeys,
        Map<String, String> defaults, List<String> identityColumns) {

    public TableDefinition {
        Objects.requireNonNull(dialect, "dialect");
        Objects.requireNonNull(schema, "schema");
        indexes = List.copyOf(indexes);
        foreignKeys = List.copyOf(foreignKeys);
        defaults = Map.copyOf(defaults);
        identityColumns = List.copyOf(identityColumns);
    }

    /** A definition with nothing but the schema. */
    public static TableDefinition of(String dialect, Schema schema) {
        return new TableDefinition(dialect, schema, List.of(), List.of(), Map.of(), List.of());
    }

    /**
     * An index or unique constraint.
     *
     * @param name    name in the source (targets may rename it to stay unique)
     * @param columns indexed columns in order
     * @param unique  whether values must be unique
     */
    public record Index(String name, List<String> columns, boolean unique) {
        public Index {
            columns = List.copyOf(columns);
        }
    }

    /**
     * A foreign key.
     *
     * @param name              constraint name in the source
     * @param columns           referencing columns of this table
     * @param referencedTable   the referenced table as the source names it
     * @param referencedColumns referenced columns, in the same order
     * @param onDelete          {@code NO ACTION}, {@code CASCADE}, {@code SET NULL}, {@code SET DEFAULT} or
     *                          {@code RESTRICT}
     * @param onUpdate          same choices as {@code onDelete}
     */
    public record ForeignKey(String name, List<String> columns, String referencedTable, List<String> referencedColumns,
            String onDelete, String onUpdate) {
        public ForeignKey {
            columns = List.copyOf(columns);
            referencedColumns = List.copyOf(referencedColumns);
        }
    }
}
