package dev.caravan.connector.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.api.record.Column;
import dev.caravan.api.record.ColumnType;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What fits a declared DECIMAL(p,s) exactly: the edges the narrow-DECIMAL runs do not reach. */
class DecimalBoundsTest {
    private static DecimalBounds bounds(int precision, int scale) {
        TableModel t = new TableModel(new TableRef(null, "t"), List.of(new ColumnInfo(new Column("v",
                ColumnType.DECIMAL, "DECIMAL", precision, scale, true), false, null), new ColumnInfo(new Column("s",
                        ColumnType.STRING, "TEXT", 0, 0, true), false, null)), List.of(), List.of(), List.of(),
                List.of());
        return DecimalBounds.of(t, List.of("v", "s", "missing"));
    }

    @Test
    void onlyABoundedDecimalColumnIsChecked() {
        DecimalBounds b = bounds(4, 2);
        assertThat(b.bounded(0)).isTrue();
        assertThat(b.bounded(1)).isFalse();
        assertThat(b.bounded(2)).isFalse();
        assertThat(b.refusal(1, new BigDecimal("123.456"), "s")).isNull();
        assertThat(bounds(0, 0)).isSameAs(DecimalBounds.NONE);
    }

    @Test
    void zeroAndPureFractionsFitAScaleEqualToThePrecision() {
        DecimalBounds b = bounds(2, 2);
        assertThat(b.refusal(0, BigDecimal.ZERO, "v")).isNull();
        assertThat(b.refusal(0, new BigDecimal("0.00"), "v")).isNull();
        assertThat(b.refusal(0, new BigDecimal("-0.99"), "v")).isNull();
        assertThat(b.refusal(0, BigDecimal.ONE, "v")).isEqualTo("the value 1 does not fit DECIMAL(2,2) of column v: 1"
                + " digits before the decimal point, at most 0");
    }

    @Test
    void integersAndDoublesAreCheckedAsTheirDecimalValue() {
        DecimalBounds b = bounds(3, 1);
        assertThat(b.refusal(0, 99L, "v")).isNull();
        assertThat(b.refusal(0, 100L, "v")).contains("3 digits before the decimal point, at most 2");
        assertThat(b.refusal(0, 1200L, "v")).contains("4 digits before the decimal point");
        assertThat(b.refusal(0, 0.5d, "v")).isNull();
        assertThat(b.refusal(0, 0.25d, "v")).contains("2 decimals, at most 1 (it would be rounded)");
        assertThat(b.refusal(0, Double.NaN, "v")).as("left to the dialect").isNull();
        assertThat(b.refusal(0, "1.25", "v")).as("no number").isNull();
    }

    @Test
    void postgresScalesOutsideZeroToThePrecision() {
        DecimalBounds hundreds = bounds(3, -2); // numeric(3,-2): up to 99900, in hundreds
        assertThat(hundreds.refusal(0, new BigDecimal("12300"), "v")).isNull();
        assertThat(hundreds.refusal(0, -99900L, "v")).isNull();
        assertThat(hundreds.refusal(0, 12345L, "v")).isEqualTo("the value 12345 does not fit DECIMAL(3,-2) of column"
                + " v: it would be rounded to a multiple of 100");
        assertThat(hundreds.refusal(0, 100000L, "v")).contains("6 digits before the decimal point, at most 5");
        DecimalBounds tiny = bounds(3, 5); // numeric(3,5): below 0.01, 5 decimals
        assertThat(tiny.refusal(0, new BigDecimal("0.00999"), "v")).isNull();
        assertThat(tiny.refusal(0, new BigDecimal("0.000123"), "v")).contains("6 decimals, at most 5");
        assertThat(tiny.refusal(0, new BigDecimal("0.01"), "v")).isNotNull();
    }
}
