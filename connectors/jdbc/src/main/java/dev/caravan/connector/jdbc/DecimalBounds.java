package dev.caravan.connector.jdbc;

import dev.caravan.api.record.ColumnType;
import java.math.BigDecimal;
import java.util.List;

/**
 * The declared precision and scale of the target table's DECIMAL columns, in record order, as the target reports them
 * once the table exists (created from a {@code typeMapping} rule, or a table appended to). A value that does not fit
 * its column exactly is refused before it is sent: MariaDB, PostgreSQL and H2 round extra decimals without an error,
 * and SQLite keeps any value whatever its declared type, so the row becomes a reject instead of being changed. Where
 * the database keeps fewer digits than a DECIMAL column declares or than an unbounded one is given (SQLite's NUMERIC
 * affinity makes a number that is no 64-bit integer a double: {@link
 * dev.caravan.connector.jdbc.dialect.Dialect#exactDecimalDigits}), a value with more significant digits is refused
 * too. Immutable.
 */
final class DecimalBounds {
    /** No bounded DECIMAL column. */
    static final DecimalBounds NONE = new DecimalBounds(new int[0], new int[0], new boolean[0], 0);

    /** Per record column, the declared precision (0: not a bounded DECIMAL) and scale. */
    private final int[] precision;
    private final int[] scale;
    /** Per record column, whether it is a DECIMAL column (bounded or not) of a database that keeps fewer digits. */
    private final boolean[] fewerDigits;
    private final int exactDigits;

    private DecimalBounds(int[] precision, int[] scale, boolean[] fewerDigits, int exactDigits) {
        this.precision = precision;
        this.scale = scale;
        this.fewerDigits = fewerDigits;
        this.exactDigits = exactDigits;
    }

    /**
     * The bounds of {@code columns} (target names, record order) in the introspected target table; a column the
     * table lacks, or whose type is not a DECIMAL with a precision, is not bounded.
     */
    static DecimalBounds of(TableModel target, List<String> columns) {
        return of(target, columns, 0);
    }

    /**
     * {@link #of(TableModel, List)} on a database that keeps {@code exactDigits} significant digits of a decimal that
     * is no 64-bit integer in any DECIMAL column (0: every declared digit).
     */
    static DecimalBounds of(TableModel target, List<String> columns, int exactDigits) {
        int[] p = new int[columns.size()];
        int[] s = new int[columns.size()];
        boolean[] fewer = new boolean[columns.size()];
        boolean any = false;
        for (int i = 0; i < p.length; i++) {
            ColumnInfo c = target.column(columns.get(i));
            if (c != null && c.type() == ColumnType.DECIMAL) {
                if (c.column().precision() > 0) {
                    p[i] = c.column().precision();
                    s[i] = c.column().scale();
                }
                fewer[i] = exactDigits > 0 && (p[i] == 0 || p[i] > exactDigits);
                any |= p[i] > 0 || fewer[i];
            }
        }
        return any ? new DecimalBounds(p, s, fewer, exactDigits) : NONE;
    }

    /** Whether column {@code i}'s values may not fit it (only then {@link #refusal} may refuse). */
    boolean bounded(int i) {
        return i < precision.length && (precision[i] > 0 || fewerDigits[i]);
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
        if (p == 0) {
            return roundedDigits(plain);
        }
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
        return fewerDigits[i] ? roundedDigits(plain) : null;
    }

    /** Why the database would round {@code plain} (more significant digits than it keeps), or {@code null}. */
    private String roundedDigits(BigDecimal plain) {
        boolean integer = plain.scale() <= 0 && plain.toBigInteger().bitLength() < Long.SIZE;
        if (integer || plain.precision() <= exactDigits) {
            return null;
        }
        return "the value " + shortened(plain.toPlainString()) + " has " + plain.precision() + " significant digits:"
                + " the database would keep about " + exactDigits + " of them (SQLite stores a number that is no"
                + " 64-bit integer as a double)";
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
