package dev.caravan.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.api.record.Column;
import dev.caravan.api.record.ColumnType;
import dev.caravan.api.record.DataRecord;
import dev.caravan.api.record.Schema;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The fixture table of the record contract suites and value comparison by meaning: a {@code Long} key with gaps,
 * unicode text with quotes, tabs and newlines, a decimal, a double, a boolean, a timestamp (microseconds), a date
 * and bytes, every non-key column NULL in some rows. Deterministic for a seed. Stateless.
 */
public final class RecordFixtures {
    private RecordFixtures() {
    }

    /** The fixture schema, key {@code id}. */
    public static Schema schema(String table) {
        return new Schema(table, List.of(
                new Column("id", ColumnType.LONG, null, 0, 0, false),
                new Column("name", ColumnType.STRING, null, 200, 0, true),
                new Column("amount", ColumnType.DECIMAL, null, 12, 2, true),
                new Column("ratio", ColumnType.DOUBLE, null, 0, 0, true),
                new Column("flag", ColumnType.BOOLEAN, null, 0, 0, true),
                new Column("created", ColumnType.TIMESTAMP, null, 0, 0, true),
                new Column("day", ColumnType.DATE, null, 0, 0, true),
                new Column("payload", ColumnType.BYTES, null, 0, 0, true)), List.of("id"));
    }

    /** {@code n} rows with keys 3, 6, 9, ... in key order. */
    public static List<DataRecord> rows(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        String[] words = {"plain", "Grüße", "naïve café", "日本語テキスト", "emoji 🚀", "it's \"quoted\"",
            "tab\there", "line\nbreak", "back\\slash", "semi;colon,comma"};
        List<DataRecord> out = new ArrayList<>(n);
        for (int i = 1; i <= n; i++) {
            boolean nulls = i % 7 == 0;
            byte[] payload = new byte[r.nextInt(0, 24)];
            for (int b = 0; b < payload.length; b++) {
                payload[b] = (byte) r.nextInt(256);
            }
            out.add(new DataRecord(new Object[] {
                (long) i * 3,
                nulls ? null : words[r.nextInt(words.length)] + " #" + i,
                nulls ? null : BigDecimal.valueOf(r.nextLong(-99_999_999_99L, 99_999_999_99L), 2),
                nulls ? null : r.nextDouble() * 1e6 - 5e5,
                nulls ? null : r.nextBoolean(),
                nulls ? null : LocalDateTime.of(2000 + r.nextInt(40), 1 + r.nextInt(12), 1 + r.nextInt(28),
                        r.nextInt(24), r.nextInt(60), r.nextInt(60), r.nextInt(1_000_000) * 1000),
                nulls ? null : LocalDate.of(1990 + r.nextInt(50), 1 + r.nextInt(12), 1 + r.nextInt(28)),
                nulls ? null : payload}));
        }
        return out;
    }

    /** The key of a fixture row. */
    public static long key(DataRecord r) {
        return ((Number) r.get(0)).longValue();
    }

    /** Sorts rows by their fixture key. */
    public static List<DataRecord> byKey(List<DataRecord> rows) {
        List<DataRecord> copy = new ArrayList<>(rows);
        copy.sort(Comparator.comparingLong(RecordFixtures::key));
        return copy;
    }

    /** Asserts that two lists of rows hold the same values, row by row and column by column, by meaning. */
    public static void assertSameRows(List<DataRecord> actual, List<DataRecord> expected, String what) {
        assertThat(actual).as("%s: number of rows", what).hasSize(expected.size());
        for (int i = 0; i < expected.size(); i++) {
            Object[] a = actual.get(i).values();
            Object[] e = expected.get(i).values();
            assertThat(a.length).as("%s: columns of row %d", what, i).isEqualTo(e.length);
            for (int c = 0; c < e.length; c++) {
                if (!same(a[c], e[c])) {
                    throw new AssertionError(what + ": row " + i + " (key " + e[0] + ") column " + c + ": expected <"
                            + show(e[c]) + "> but was <" + show(a[c]) + ">");
                }
            }
        }
    }

    /** Whether two values mean the same: numbers by value, bytes by content, zoned times by instant. */
    public static boolean same(Object a, Object e) {
        if (a == null || e == null) {
            return a == e;
        }
        if (a instanceof byte[] x && e instanceof byte[] y) {
            return Arrays.equals(x, y);
        }
        if (a instanceof Double || e instanceof Double || a instanceof Float || e instanceof Float) {
            return a instanceof Number x && e instanceof Number y
                    && Double.compare(x.doubleValue(), y.doubleValue()) == 0;
        }
        if (a instanceof Number x && e instanceof Number y) {
            return new BigDecimal(x.toString()).compareTo(new BigDecimal(y.toString())) == 0;
        }
        if (a instanceof Boolean x && e instanceof Number y) {
            return x == (y.intValue() != 0);
        }
        if (a instanceof OffsetDateTime x && e instanceof OffsetDateTime y) {
            return x.toInstant().equals(y.toInstant());
        }
        if (a instanceof OffsetDateTime x && e instanceof LocalDateTime y) {
            return x.withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime().equals(y);
        }
        if (a instanceof LocalTime x && e instanceof LocalTime y) {
            return x.equals(y);
        }
        return a.equals(e) || a.toString().equals(e.toString());
    }

    private static String show(Object v) {
        if (v instanceof byte[] b) {
            return Arrays.toString(b);
        }
        return v == null ? "NULL" : v + " (" + v.getClass().getSimpleName() + ")";
    }
}
