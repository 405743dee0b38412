package dev.caravan.connector.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.api.verify.VerificationItem;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PostgreSQL dates and timestamps beyond java.time's everyday range (found by exploratory testing): {@code infinity}
 * and {@code -infinity} were refused by PostgreSQL targets and written as the year 999999999 into H2, verification
 * then failed with a java.time message, and BC dates were refused whenever a table was written with text COPY. BC
 * dates went into MariaDB and SQLite unchecked.
 */
class PostgresDatesIT {
    private static final String ROWS = "SELECT id || ' ' || coalesce(dt::text, '-') || ' ' || coalesce(ts::text, '-')"
            + " || ' ' || coalesce(tz::text, '-') FROM d ORDER BY id";

    @TempDir
    Path dir;

    /** @param interval whether the table has an interval column, which makes PostgreSQL targets use text COPY */
    private static TestDb source(boolean interval) {
        TestDb source = TestDb.postgres("dates");
        source.exec("SET TIME ZONE 'UTC'", "CREATE TABLE d (id int PRIMARY KEY, dt date, ts timestamp, tz timestamptz"
                + (interval ? ", iv interval" : "") + ")",
                "INSERT INTO d (id, dt, ts, tz) VALUES (1, '0044-03-15 BC', '0044-03-15 12:00 BC',"
                        + " '0044-03-15 12:00+00 BC'), (2, 'infinity', 'infinity', 'infinity'),"
                        + " (3, '-infinity', '-infinity', '-infinity'), (4, '2020-01-01', '2020-01-01 10:00',"
                        + " '2020-01-01 10:00+00'), (5, NULL, NULL, NULL)");
        return source;
    }

    @Test
    void postgresToPostgresCarriesInfinityAndBcWithBinaryCopyTextCopyAndInserts() {
        for (String variant : new String[] {"binary", "text", "upsert"}) {
            TestDb source = source(variant.equals("text"));
            TestDb target = TestDb.postgres("dates_t");
            EdgeValueRuns.complete(dir.resolve(variant), source, target,
                    Map.of("mode", variant.equals("upsert") ? "upsert" : "append"));
            assertThat(target.column(ROWS)).as(variant).containsExactlyElementsOf(source.column(ROWS));
        }
    }

    @Test
    void otherTargetsRejectInfinityRowByRowAndVerificationSaysWhereNotWhy() {
        EdgeValueRuns.Loaded load = EdgeValueRuns.withRejects(dir, source(false), TestDb.h2(dir, "dates"));

        assertThat(load.result().rejected()).isEqualTo(2);
        assertThat(load.rejects()).contains("the date infinity (PostgreSQL's) has no value in H2",
                "the date -infinity (PostgreSQL's) has no value in H2");
        assertThat(load.result().verification().problems()).as("the rejected rows' range, not a java.time error")
                .isNotEmpty().extracting(VerificationItem::detail)
                .noneMatch(d -> d != null && d.contains("Invalid value"));
    }

    /**
     * MariaDB stored 1 BC as the year 0000 (and refused earlier years only with its "Incorrect date value"), SQLite stored
     * the text -0043-03-15, which its date functions do not read: neither holds a date before the year 1, so such a
     * row is a reject that names the date as PostgreSQL writes it, and the other rows load.
     */
    @Test
    void mariaDbAndSqliteRejectBcDatesRowByRow() {
        TestDb source = source(false);
        source.exec("INSERT INTO d (id, dt, ts, tz) VALUES (6, '0001-12-31 BC', '2020-01-01', NULL),"
                + " (7, '0001-01-01', '0001-01-01 00:00', '0001-01-01 00:00+00')");
        for (TestDb target : new TestDb[] {TestDb.mariadb("dates_m"), TestDb.sqlite(dir, "dates_s")}) {
            String name = target.uri().startsWith("jdbc:mariadb") ? "MariaDB" : "SQLite";
            EdgeValueRuns.Loaded load = EdgeValueRuns.withRejects(dir.resolve(name), source, target);

            assertThat(load.result().rejected()).as(name + ": " + load.rejects()).isEqualTo(4);
            assertThat(target.column("SELECT id FROM d ORDER BY id")).as(name).containsExactly("4", "5", "7");
            assertThat(load.rejects()).as(name).contains("\"key\":\"1\"", "the date 0044-03-15 BC is before the year 1,"
                    + " which " + name + " does not hold", "\"key\":\"6\"", "the date 0001-12-31 BC is before the"
                    + " year 1");
        }
    }
}
