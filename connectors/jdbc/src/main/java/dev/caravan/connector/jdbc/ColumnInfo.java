package dev.caravan.connector.jdbc;

import dev.caravan.api.record.Column;
import dev.caravan.api.record.ColumnType;

/**
 * A column as introspected: the logical {@link Column} plus what DDL generation needs.
 *
 * @param column   name, logical type, native type, precision, scale, nullability
 * @param identity whether the database generates its values (identity, serial, auto-increment)
 * @param rawDefault the default expression as the database reports it, or {@code null}
 */
record ColumnInfo(Column column, boolean identity, String rawDefault) {
    String name() {
        return column.name();
    }

    ColumnType type() {
        return column.type();
    }
}
