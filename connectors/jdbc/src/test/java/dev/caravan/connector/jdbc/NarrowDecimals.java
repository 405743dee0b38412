package dev.caravan.connector.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.Map;

/**
 * The narrow-DECIMAL load the tests of every target share: numeric(14,4) values given DECIMAL(10,2) by a
 * {@code typeMapping} rule. Values that fit exactly load; one with more decimals (which MariaDB, PostgreSQL and H2
 * round) and one with more integer digits (which some refuse, SQLite keeps) are rejects that name the row and why.
 */
final class NarrowDecimals {
    private NarrowDecimals() {
    }

    /** An H2 source table {@code m (id, v numeric(12,4))}: rows 2 and 3 do not fit DECIMAL(10,2), the others do. */
    static TestDb source(Path dir) {
        TestDb source = TestDb.h2(dir, "narrow_src");
        source.exec("CREATE TABLE \"m\" (\"id\" INT PRIMARY KEY, \"v\" NUMERIC(14,4))",
                "INSERT INTO \"m\" VALUES (1, 12.5), (2, 1.2345), (3, 123456789.5), (4, 12345678.12), (5, 1.2300),"
                        + " (6, NULL), (7, -99999999.99)");
        return source;
    }

    /** Loads the source into {@code target} with the rule and checks what was written and what was rejected. */
    static void loadAndCheck(Path dir, TestDb target) {
        loadAndCheck(dir, target, Map.of());
    }

    /** {@link #loadAndCheck(Path, TestDb)} with more target options. */
    static void loadAndCheck(Path dir, TestDb target, Map<String, String> targetOptions) {
        Map<String, String> options = new java.util.HashMap<>(targetOptions);
        options.put("typeMapping", "column:m.v=DECIMAL(10,2)");
        EdgeValueRuns.Loaded load = EdgeValueRuns.withRejects(dir, source(dir), target, options);

        assertThat(load.result().rejected()).as(target.uri() + ": " + load.rejects()).isEqualTo(2);
        assertThat(load.rejects()).as(target.uri()).contains("\"key\":\"2\"", "the value 1.2345 does not fit"
                + " DECIMAL(10,2) of column v: 4 decimals, at most 2 (it would be rounded)", "\"key\":\"3\"",
                "the value 123456789.5 does not fit DECIMAL(10,2) of column v: 9 digits before the decimal point, at"
                        + " most 8");
        assertThat(target.column("SELECT " + target.q("id") + " FROM " + target.q("m") + " ORDER BY "
                + target.q("id"))).as(target.uri()).containsExactly("1", "4", "5", "6", "7");
        assertThat(target.column("SELECT " + target.q("v") + " FROM " + target.q("m") + " ORDER BY "
                + target.q("id")).stream().map(v -> v == null ? "null" : new BigDecimal(v).stripTrailingZeros()
                        .toPlainString())).as(target.uri()).containsExactly("12.5", "12345678.12", "1.23", "null",
                                "-99999999.99");
    }
}
