package dev.caravan.api.record;

import java.util.List;

/**
 * The shape of records: ordered columns and the key columns used for splits and checkpoints.
 *
 * @param name       table or dataset name
 * @param columns    columns in record order
 * @param keyColumns names of the key columns (primary key), possibly empty
 */
public record Schema(String name, List<Column> columns, List<String> keyColumns) {
    public Schema {
        columns = List.copyOf(columns);
        keyColumns = List.copyOf(keyColumns);
    }

    public int indexOf(String column) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).name().equals(column)) {
                return i;
            }
        }
        return -1;
    }
}
