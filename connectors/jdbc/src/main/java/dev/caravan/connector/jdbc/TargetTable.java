package dev.caravan.connector.jdbc;

import dev.caravan.api.record.ColumnType;
import java.util.List;

/**
 * Where a sink writes: the table, its columns in record order (target names) with the logical types records carry,
 * and the key columns (target names). Immutable.
 *
 * @param sourceTable the source table's name (for reject lines), never {@code null}
 * @param keyIndexes  positions of the key columns in the record
 */
record TargetTable(TableRef ref, String sourceTable, List<String> columns, List<ColumnType> types, List<String> keys,
        int[] keyIndexes) {
}
