package dev.caravan.formats;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.caravan.api.record.Column;
import dev.caravan.api.record.ColumnType;
import dev.caravan.api.record.DataRecord;
import dev.caravan.api.record.Schema;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** A schema with every column type and records that exercise NULLs, unicode, precision and edge values. */
public final class Samples {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Samples() {
    }

    public static Schema allTypes() {
        return new Schema("all_types", List.of(
                new Column("id", ColumnType.LONG, null, 0, 0, false),
                Column.of("flag", ColumnType.BOOLEAN),
                Column.of("small", ColumnType.INT),
                new Column("amount", ColumnType.DECIMAL, null, 12, 2, true),
                new Column("big", ColumnType.DECIMAL, null, 38, 10, true),
                Column.of("unbounded", ColumnType.DECIMAL),
                Column.of("ratio", ColumnType.FLOAT),
                Column.of("score", ColumnType.DOUBLE),
                Column.of("name", ColumnType.STRING),
                Column.of("blob", ColumnType.BYTES),
                Column.of("day", ColumnType.DATE),
                Column.of("at", ColumnType.TIME),
                Column.of("local ts", ColumnType.TIMESTAMP),
                Column.of("zoned_ts", ColumnType.TIMESTAMP_TZ),
                Column.of("doc", ColumnType.JSON),
                Column.of("uid", ColumnType.UUID)), List.of("id"));
    }

    public static List<DataRecord> allTypesRecords() {
        List<DataRecord> rows = new ArrayList<>();
        rows.add(new DataRecord(new Object[] {1L, true, 42, new BigDecimal("1234567890.12"),
            new BigDecimal("1234567890123456789012345678.0123456789"), new BigDecimal("3.14159265358979323846264338327950288"),
            1.5f, 0.1, "Zoë — 東京 🚀 naïve", new byte[] {0, 1, 2, (byte) 0xFF, 10, 13},
            LocalDate.of(2024, 2, 29), LocalTime.of(13, 45, 7, 123_456_000),
            LocalDateTime.of(2024, 2, 29, 13, 45, 7, 654_321_000),
            OffsetDateTime.of(2024, 2, 29, 13, 45, 7, 500_000_000, ZoneOffset.ofHoursMinutes(5, 30)),
            "{\"a\":[1,2,{\"b\":null}],\"s\":\"x\"}", UUID.fromString("123e4567-e89b-12d3-a456-426614174000")}));
        rows.add(new DataRecord(new Object[] {2L, null, null, null, null, null, null, null, null, null, null, null,
            null, null, null, null}));
        rows.add(new DataRecord(new Object[] {3L, false, Integer.MIN_VALUE, new BigDecimal("-0.05"),
            new BigDecimal("-99999999999999999999999999.9999999999"), new BigDecimal("-12345678901234567890.5"),
            -1.25f, Double.NaN, "", new byte[0], LocalDate.of(1, 1, 1), LocalTime.MIDNIGHT,
            LocalDateTime.of(1969, 12, 31, 23, 59, 59, 999_999_000),
            OffsetDateTime.of(1900, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC), "[]",
            UUID.fromString("00000000-0000-0000-0000-000000000000")}));
        rows.add(new DataRecord(new Object[] {Long.MAX_VALUE, true, Integer.MAX_VALUE, new BigDecimal("0.00"),
            new BigDecimal("0E-10"), new BigDecimal("100"), Float.MAX_VALUE, Double.NEGATIVE_INFINITY,
            "comma, \"quote\"\nnew line\r\ttab \\ backslash", "x".getBytes(StandardCharsets.UTF_8),
            LocalDate.of(9999, 12, 31), LocalTime.of(23, 59, 59, 999_999_000),
            LocalDateTime.of(2262, 4, 11, 23, 47, 16), OffsetDateTime.of(2038, 1, 19, 3, 14, 8, 0, ZoneOffset.ofHours(-8)),
            "\"just a string\"", UUID.fromString("ffffffff-ffff-ffff-ffff-ffffffffffff")}));
        return rows;
    }

    /** Asserts that two record lists hold the same values (instants for TIMESTAMP_TZ, parsed JSON for JSON). */
    public static void assertSameValues(Schema schema, List<DataRecord> actual, List<DataRecord> expected) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int r = 0; r < expected.size(); r++) {
            Object[] a = actual.get(r).values();
            Object[] e = expected.get(r).values();
            assertThat(a).as("record %d width", r + 1).hasSameSizeAs(e);
            for (int i = 0; i < e.length; i++) {
                Column c = schema.columns().get(i);
                assertThat(comparable(c, a[i])).as("record %d column %s", r + 1, c.name())
                        .isEqualTo(comparable(c, e[i]));
            }
        }
    }

    static Object comparable(Column c, Object v) {
        if (v == null) {
            return null;
        }
        if (v instanceof OffsetDateTime t) {
            return t.toInstant();
        }
        if (v instanceof byte[] b) {
            return new String(java.util.Base64.getEncoder().encode(b), StandardCharsets.US_ASCII);
        }
        if (c.type() == ColumnType.JSON) {
            try {
                return JSON.readTree((String) v);
            } catch (Exception e) {
                throw new AssertionError("not JSON: " + v, e);
            }
        }
        if (v instanceof BigDecimal d && c.precision() == 0) {
            return d.stripTrailingZeros();
        }
        if (v instanceof Float f && f == 0f) {
            return Float.floatToIntBits(f);
        }
        return v;
    }
}
