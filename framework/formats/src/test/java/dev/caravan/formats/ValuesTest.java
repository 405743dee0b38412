package dev.caravan.formats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.caravan.api.record.ColumnType;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ValuesTest {

    @Test
    void castsBetweenNeighbouringTypes() {
        assertThat(Values.coerce(7, ColumnType.LONG, 0, 0)).isEqualTo(7L);
        assertThat(Values.coerce(new BigDecimal("12.000"), ColumnType.INT, 0, 0)).isEqualTo(12);
        assertThat(Values.coerce(" 42 ", ColumnType.LONG, 0, 0)).isEqualTo(42L);
        assertThat(Values.coerce(3L, ColumnType.DECIMAL, 5, 2)).isEqualTo(new BigDecimal("3.00"));
        assertThat(Values.coerce(0.1f, ColumnType.DOUBLE, 0, 0)).isEqualTo(0.1);
        assertThat(Values.coerce(0.1, ColumnType.DECIMAL, 0, 0)).isEqualTo(new BigDecimal("0.1"));
        assertThat(Values.coerce("t", ColumnType.BOOLEAN, 0, 0)).isEqualTo(true);
        assertThat(Values.coerce(Instant.EPOCH, ColumnType.TIMESTAMP_TZ, 0, 0)).isEqualTo(OffsetDateTime.of(1970, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC));
        assertThat(Values.coerce(OffsetDateTime.of(2024, 1, 1, 2, 0, 0, 0, ZoneOffset.ofHours(2)), ColumnType.TIMESTAMP, 0, 0))
                .isEqualTo(LocalDateTime.of(2024, 1, 1, 0, 0));
        assertThat(Values.coerce("2024-01-01 10:00:00+0130", ColumnType.TIMESTAMP_TZ, 0, 0))
                .isEqualTo(OffsetDateTime.of(2024, 1, 1, 10, 0, 0, 0, ZoneOffset.ofHoursMinutes(1, 30)));
        assertThat(Values.coerce(LocalDate.of(2024, 1, 1), ColumnType.STRING, 0, 0)).isEqualTo("2024-01-01");
        assertThat(Values.coerce(new byte[16], ColumnType.UUID, 0, 0)).isEqualTo(new UUID(0, 0));
        assertThat(Values.coerce("{\"a\":1}", ColumnType.JSON, 0, 0)).isEqualTo("{\"a\":1}");
    }

    @Test
    void refusesWhatDoesNotFitAndSaysWhy() {
        assertThatThrownBy(() -> Values.coerce(1.5, ColumnType.LONG, 0, 0)).hasMessage("1.5 does not fit LONG: it is not a whole number");
        assertThatThrownBy(() -> Values.coerce(new BigDecimal("1234.5"), ColumnType.DECIMAL, 4, 1))
                .hasMessage("1234.5 does not fit DECIMAL(4,1): it needs more than 3 digits before the decimal point");
        assertThatThrownBy(() -> Values.coerce(Double.NaN, ColumnType.DECIMAL, 0, 0)).hasMessageContaining("no NaN");
        assertThatThrownBy(() -> Values.coerce(1e300, ColumnType.FLOAT, 0, 0)).hasMessageContaining("out of range");
        assertThatThrownBy(() -> Values.coerce("2024-01-01T10:00:00", ColumnType.TIMESTAMP_TZ, 0, 0))
                .hasMessageContaining("it has no UTC offset: use TIMESTAMP");
        assertThatThrownBy(() -> Values.coerce(new byte[] {(byte) 0xFF}, ColumnType.STRING, 0, 0))
                .hasMessageContaining("not valid UTF-8");
        assertThatThrownBy(() -> Values.coerce("1.5d", ColumnType.DOUBLE, 0, 0)).hasMessage("'1.5d' is not a DOUBLE");
        assertThatThrownBy(() -> Values.coerce(LocalDate.EPOCH, ColumnType.LONG, 0, 0)).hasMessage("1970-01-01 (LocalDate) does not fit LONG");
    }

    /** 1e400 became Infinity and 1e-400 became 0.0 without a word, from CSV text and from JSON numbers alike. */
    @Test
    void numbersBeyondTheRangeOfDoubleAndFloatAreRefusedNotRounded() {
        assertThatThrownBy(() -> Values.coerce("1e400", ColumnType.DOUBLE, 0, 0))
                .hasMessage("'1e400' does not fit DOUBLE: it is beyond the largest DOUBLE (about 1.8E308)");
        assertThatThrownBy(() -> Values.coerce("-1.5E-400", ColumnType.DOUBLE, 0, 0))
                .hasMessage("'-1.5E-400' does not fit DOUBLE: it is nearer to 0 than the smallest DOUBLE (4.9E-324)");
        assertThatThrownBy(() -> Values.coerce(new BigDecimal("1.5e400"), ColumnType.DOUBLE, 0, 0))
                .hasMessage("1.5E+400 does not fit DOUBLE: it is beyond the largest DOUBLE (about 1.8E308)");
        assertThatThrownBy(() -> Values.coerce(new BigDecimal("1e-400"), ColumnType.DOUBLE, 0, 0))
                .hasMessageContaining("nearer to 0 than the smallest DOUBLE");
        assertThatThrownBy(() -> Values.coerce("1e-50", ColumnType.FLOAT, 0, 0))
                .hasMessage("'1e-50' does not fit FLOAT: it is nearer to 0 than the smallest FLOAT (1.4E-45)");
        assertThatThrownBy(() -> Values.coerce("1e50", ColumnType.FLOAT, 0, 0))
                .hasMessage("'1e50' does not fit FLOAT: it is out of range");
        assertThat(Values.coerce("-0.0e-400", ColumnType.DOUBLE, 0, 0)).isEqualTo(-0.0);
        assertThat(Values.coerce("0e999", ColumnType.DOUBLE, 0, 0)).isEqualTo(0.0);
        assertThat(Values.coerce(BigDecimal.ZERO, ColumnType.FLOAT, 0, 0)).isEqualTo(0.0f);
        assertThat(Values.coerce("-Infinity", ColumnType.DOUBLE, 0, 0)).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(Values.coerce("1e308", ColumnType.DOUBLE, 0, 0)).isEqualTo(1e308);
        assertThat(Values.coerce("4.9e-324", ColumnType.DOUBLE, 0, 0)).isEqualTo(Double.MIN_VALUE);
    }

    @Test
    void schemaTextRoundTrips() {
        String text = "id:LONG NOT NULL, \"order \"\"date\"\"\":DATE, price:DECIMAL(12,2), n:bigint, t:timestamptz";
        var cols = SchemaText.parseColumns(text);
        assertThat(cols).extracting(c -> c.type()).containsExactly(ColumnType.LONG, ColumnType.DATE, ColumnType.DECIMAL,
                ColumnType.LONG, ColumnType.TIMESTAMP_TZ);
        assertThat(cols.get(1).name()).isEqualTo("order \"date\"");
        assertThat(SchemaText.parseColumns(SchemaText.format(cols))).isEqualTo(cols);
        assertThat(SchemaJson.fromJson(SchemaJson.toJson(new dev.caravan.api.record.Schema("s", cols, java.util.List.of("id")))))
                .get().extracting(s -> s.columns()).isEqualTo(cols);
    }

    @Test
    void globsSelectKeysLikeTheObjectPipeline() {
        var g = dev.caravan.formats.store.ObjectGlob.of("in/2024/**/*.{csv,tsv}");
        assertThat(g.prefix()).isEqualTo("in/2024/");
        assertThat(g.matches("in/2024/01/a.csv")).isTrue();
        assertThat(g.matches("in/2024/a.tsv")).isTrue();
        assertThat(g.matches("in/2023/a.csv")).isFalse();
        var any = dev.caravan.formats.store.ObjectGlob.of("*.jsonl");
        assertThat(any.prefix()).isEmpty();
        assertThat(any.matches("deep/down/x.jsonl")).isTrue();
        assertThatThrownBy(() -> dev.caravan.formats.store.ObjectGlob.of("a/{b")).hasMessageContaining("unclosed");
    }
}
