package dev.caravan.api.record;

/**
 * One column of a {@link Schema}.
 *
 * @param name       column name as the source spells it (never pre-quoted)
 * @param type       logical type
 * @param nativeType the source's own type name (e.g. {@code numeric(12,2)}), or {@code null}
 * @param precision  precision or length, or {@code 0} when not applicable
 * @param scale      scale for decimals, else {@code 0}
 * @param nullable   whether NULL is allowed
 */
public record Column(String name, ColumnType type, String nativeType, int precision, int scale, boolean nullable) {
    public static Column of(String name, ColumnType type) {
        return new Column(name, type, null, 0, 0, true);
    }
}
