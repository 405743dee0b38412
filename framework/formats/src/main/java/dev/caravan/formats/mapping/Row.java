package dev.caravan.formats.mapping;

import dev.caravan.api.record.Schema;

/** A source record as seen by a derived column: values by source column name or index. */
public interface Row {
    /** The value of a source column by name; {@code IllegalArgumentException} for an unknown name. */
    Object get(String column);

    /** The value of a source column by index. */
    Object get(int index);

    /** The source schema. */
    Schema schema();
}
