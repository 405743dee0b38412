package dev.caravan.api.record;

import java.util.Arrays;

/**
 * One row: values by column index of its {@link Schema}. Values are Java types per {@link ColumnType}
 * ({@code Long}, {@code BigDecimal}, {@code Double}, {@code String}, {@code byte[]}, {@code java.time.*});
 * {@code null} is SQL NULL. Immutable by contract: producers do not modify the array after handing it over.
 */
public record DataRecord(Object[] values) {
    public Object get(int index) {
        return values[index];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DataRecord r && Arrays.deepEquals(values, r.values);
    }

    @Override
    public int hashCode() {
        return Arrays.deepHashCode(values);
    }

    @Override
    public String toString() {
        return Arrays.deepToString(values);
    }
}
