package dev.caravan.connector.jdbc;

import java.util.Objects;

/**
 * A table name as the database spells it, with its schema (or catalog, for MariaDB), never pre-quoted.
 *
 * @param schema schema or database, or {@code null} for the connection's default
 * @param name   table name
 */
public record TableRef(String schema, String name) {
    public TableRef {
        Objects.requireNonNull(name, "name");
    }

    @Override
    public String toString() {
        return schema == null ? name : schema + "." + name;
    }
}
