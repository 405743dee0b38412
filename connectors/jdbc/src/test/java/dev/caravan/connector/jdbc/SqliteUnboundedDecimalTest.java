package dev.caravan.connector.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An unbounded decimal (PostgreSQL {@code numeric}, H2 {@code DECFLOAT}) written into SQLite: its NUMERIC affinity
 * turns a value that is no 64-bit integer into a double, which kept about 15 significant digits and lost the others
 * without a word. Such a value is now a reject that says so; one SQLite holds exactly is written.
 */
class SqliteUnboundedDecimalTest {
    @TempDir
    Path dir;

    private TestDb source() {
        TestDb source = TestDb.h2(dir, "unbounded_src");
        source.exec("CREATE TABLE \"m\" (\"id\" INT PRIMARY KEY, \"v\" DECFLOAT)",
                "INSERT INTO \"m\" VALUES (1, 1.5), (2, 12345678901234567.89), (3, 123456789012345678),"
                        + " (4, 0.1234567890123456789), (5, 12345678901234.5), (6, NULL), (7, -9223372036854775808)");
        return source;
    }

    @Test
    void aValueSqliteWouldRoundIsARejectAndTheOthersAreExact() {
        TestDb source = source();
        TestDb target = TestDb.sqlite(dir, "unbounded_dst");

        EdgeValueRuns.Loaded load = EdgeValueRuns.withRejects(dir, source, target, Map.of());

        assertThat(load.result().rejected()).as(load.rejects()).isEqualTo(2);
        assertThat(load.rejects()).contains("\"key\":\"2\"", "the value 12345678901234567.89 has 19 significant"
                + " digits: the database would keep about 15 of them", "\"key\":\"4\"");
        assertThat(target.column("SELECT id FROM m ORDER BY id")).containsExactly("1", "3", "5", "6", "7");
        assertThat(target.column("SELECT CAST(v AS TEXT) FROM m ORDER BY id").stream()
                .map(v -> v == null ? "null" : new BigDecimal(v).stripTrailingZeros().toPlainString()))
                .containsExactly("1.5", "123456789012345678", "12345678901234.5", "null", "-9223372036854775808");
    }

    /** The way out the docs give for every digit: a text column, which SQLite keeps as written. */
    @Test
    void aTextColumnKeepsEveryDigit() {
        TestDb target = TestDb.sqlite(dir, "unbounded_text");

        EdgeValueRuns.Loaded load = EdgeValueRuns.withRejects(dir, source(), target,
                Map.of("typeMapping", "column:m.v=TEXT"));

        assertThat(load.result().rejected()).as(load.rejects()).isZero();
        assertThat(target.column("SELECT v FROM m WHERE id IN (2, 4) ORDER BY id").stream()
                .map(v -> new BigDecimal(v).stripTrailingZeros().toPlainString()))
                .containsExactly("12345678901234567.89", "0.1234567890123456789");
    }
}
