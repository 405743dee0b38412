package dev.caravan.connector.jdbc;

import dev.caravan.api.record.Column;
import dev.caravan.api.record.Schema;
import dev.caravan.api.record.TableDefinition;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An introspected table: columns, the key used for reading, primary key, indexes and foreign keys. Immutable.
 *
 * @param ref         the table
 * @param columns     columns in table order
 * @param keyColumns  the key for splits and checkpoints (primary key, a unique NOT NULL index, or configured)
 * @param primaryKey  the primary key (possibly empty)
 * @param indexes     secondary indexes and unique constraints
 * @param foreignKeys foreign keys
 */
record TableModel(TableRef ref, List<ColumnInfo> columns, List<String> keyColumns, List<String> primaryKey,
        List<TableDefinition.Index> indexes, List<TableDefinition.ForeignKey> foreignKeys) {

    TableModel {
        columns = List.copyOf(columns);
        keyColumns = List.copyOf(keyColumns);
        primaryKey = List.copyOf(primaryKey);
        indexes = List.copyOf(indexes);
        foreignKeys = List.copyOf(foreignKeys);
    }

    Schema schema() {
        return new Schema(ref.name(), columns.stream().map(ColumnInfo::column).toList(), keyColumns);
    }

    ColumnInfo column(String name) {
        for (ColumnInfo c : columns) {
            if (c.name().equals(name)) {
                return c;
            }
        }
        return null;
    }

    TableDefinition definition(String dialect) {
        Map<String, String> defaults = new LinkedHashMap<>();
        for (ColumnInfo c : columns) {
            if (c.rawDefault() != null && !c.identity()) {
                defaults.put(c.name(), c.rawDefault());
            }
        }
        List<String> identity = columns.stream().filter(ColumnInfo::identity).map(ColumnInfo::name).toList();
        // the definition's schema keys are the primary key: that is what the target recreates
        Schema schema = new Schema(ref.name(), columns.stream().map(ColumnInfo::column).toList(), primaryKey);
        return new TableDefinition(dialect, schema, indexes, foreignKeys, defaults, identity);
    }

    /** A copy with other columns (a projection or reordering) and key. */
    TableModel withColumns(List<ColumnInfo> cols, List<String> keys) {
        return new TableModel(ref, cols, keys, primaryKey, indexes, foreignKeys);
    }

    static List<String> names(List<Column> columns) {
        return columns.stream().map(Column::name).toList();
    }
}
