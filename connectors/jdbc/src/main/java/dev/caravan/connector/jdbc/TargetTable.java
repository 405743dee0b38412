package dev.caravan.connector.jdbc;

import dev.caravan.api.record.Column;
import dev.caravan.api.record.ColumnType;
import dev.caravan.api.record.Schema;
import dev.caravan.connector.jdbc.dialect.Dialect;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a sink writes: the table, its columns in record order (target names) with the logical types records carry,
 * and the key columns (target names). Immutable.
 *
 * @param sourceTable the source table's name (for reject lines), never {@code null}
 * @param keyIndexes  positions of the key columns in the record
 * @param decimals    the declared precision and scale of the table's DECIMAL columns (values are checked against
 *                    them), or {@link DecimalBounds#NONE} when not read
 */
record TargetTable(TableRef ref, String sourceTable, List<String> columns, List<ColumnType> types, List<String> keys,
        int[] keyIndexes, DecimalBounds decimals) {

    /** This table with the DECIMAL bounds the target reports. */
    TargetTable withDecimals(DecimalBounds bounds) {
        return new TargetTable(ref, sourceTable, columns, types, keys, keyIndexes, bounds);
    }

    /** This table as a relation with the (renamed) columns and logical types of {@code schema}, for deletes by key. */
    Relation relation(Dialect dialect, Schema schema) {
        List<ColumnInfo> cols = new ArrayList<>();
        for (int i = 0; i < columns.size(); i++) {
            Column c = schema.columns().get(i);
            cols.add(new ColumnInfo(new Column(columns.get(i), c.type(), c.nativeType(), c.precision(), c.scale(),
                    c.nullable()), false, null));
        }
        TableModel m = new TableModel(ref, cols, keys, List.of(), List.of(), List.of());
        return new Relation(dialect, dialect.qualified(ref), m, null);
    }
}
