package dev.caravan.connector.jdbc;

import dev.caravan.api.record.ColumnType;
import java.math.BigDecimal;
import java.util.List;

/**
 * The declared precision and scale of the target table's DECIMAL columns, in record order, as the target reports them
 * once the table exists (created from a {@code typeMapping} rule, or a table appended to). A value that does not fit
 * its column exactly is refused before it is sent: MariaDB, PostgreSQL and H2 round extra decimals without an error,
 * and SQLite keeps any value whatever its declared type, so the row becomes a reject instead of being changed.
 * Immutable.
 */
final class DecimalBounds {
    /** No bounded DECIMAL column. */
    static final DecimalBounds NONE = new DecimalBounds(new int[0], new int[0]);

    /** Per record column, the declared precision (0: not a bounded DECIMAL) and scale. */
    private final int[] precision;
    private final int[] scale;

    private DecimalBounds(int[] precision, int[] scale) {
        this.precision = precision;
        this.scale = scale;
    }

    /**
     * The bounds of {@code columns} (target names, record order) in the introspected target table; a column the
     * table lacks, or whose type is not a DECIMAL with a precision, is not bounded.
     */
    static DecimalBounds of(TableModel target, List<String> columns) {
        int[] p = new int[columns.size()];
        int[] s = new int[columns.size()];
        boolean any = false;
        for (int i = 0; i < p.length; i++) {
            ColumnInfo c = target.column(columns.get(i));
            if (c != null && c.type() == ColumnType.DECIMAL && c.column().precision() > 0) {
                p[i] = c.column().precision();
                s[i] = c.column().scale();
                any = true;
            }
        }
        return any ? new DecimalBounds(p, s) : NONE;
    }

    /** Whether column {@code i} is a DECIMAL with a declared precision (only then {@link #refusal} may refuse). */
    boolean bounded(int i) {
        return i < precision.length && precision[i] > 0;
    }

    /**
     * Why {@code value} (converted for its column) does not fit column {@code i} exactly, naming {@code column}, or
     * {@code null} when it fits, is no number, or the column is not bounded.
     */
    String refusal(int i, Object value, String column) {
        if (!bounded(i)) {
            return null;
        }
        BigDecimal d = decimal(value);
        if (d == null || d.signum() == 0) {
            return null;
        }
        BigDecimal plain = d.stripTrailingZeros();
        int p = precision[i];
        int s = scale[i];
        String what = "the value " + shortened(plain.toPlainString()) + " does not fit DECIMAL(" + p + "," + s
                + ") of column " + column + ": ";
        if (plain.scale() > s) {
            return what + (s < 0 ? "it would be rounded to a multiple of " + BigDecimal.ONE.scaleByPowerOfTen(-s)
                    .toPlainString() : plain.scale() + " decimals, at most " + s + " (it would be rounded)");
        }
        int integerDigits = plain.precision() - plain.scale();
        if (integerDigits > p - s) {
            return what + integerDigits + " digits before the decimal point, at most " + Math.max(p - s, 0);
        }
        return null;
    }

    /** The value as a decimal, or {@code null} for no finite number. */
    private static BigDecimal decimal(Object value) {
        if (value instanceof BigDecimal d) {
            return d;
        }
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return BigDecimal.valueOf(((Number) value).longValue());
        }
        if (value instanceof Double d && Double.isFinite(d)) {
            return BigDecimal.valueOf(d);
        }
        if (value instanceof Float f && Float.isFinite(f)) {
            return new BigDecimal(Float.toString(f));
        }
        return null;
    }

    private static String shortened(String text) {
        return text.length() > 80 ? text.substring(0, 80) + "..." : text;
    }
}
