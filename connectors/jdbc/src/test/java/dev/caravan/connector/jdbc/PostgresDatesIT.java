package dev.caravan.connector.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.api.journal.RunOutcome;
import dev.caravan.api.verify.VerificationItem;
import dev.caravan.core.records.RecordMigrationResult;
import dev.caravan.core.records.TableMigrationSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PostgreSQL dates and timestamps beyond java.time's everyday range (found by exploratory testing): {@code infinity}
 * and {@code -infinity} were refused by PostgreSQL targets and written as the year 999999999 into H2, verification
 * then failed with a java.time message, and BC dates were refused whenever a table was written with text COPY.
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
            TableMigrationSpec spec = TableMigrationSpec.builder(source.uri(), target.uri())
                    .targetOptions(Map.of("mode", variant.equals("upsert") ? "upsert" : "append")).build();

            RecordMigrationResult r = EngineSupport.run(dir.resolve(variant), spec);

            assertThat(r.outcome()).as(variant + ": " + EngineSupport.describe(r)).isEqualTo(RunOutcome.COMPLETE);
            assertThat(target.column(ROWS)).as(variant).containsExactlyElementsOf(source.column(ROWS));
        }
    }

    @Test
    void otherTargetsRejectInfinityRowByRowAndVerificationSaysWhereNotWhy() throws Exception {
        TestDb source = source(false);
        TestDb target = TestDb.h2(dir, "dates");
        Path rejects = dir.resolve("rejects.jsonl");
        TableMigrationSpec spec = TableMigrationSpec.builder(source.uri(), target.uri())
                .targetOptions(Map.of("rejectFile", rejects.toString())).build();

        RecordMigrationResult r = EngineSupport.run(dir, spec);

        assertThat(r.errors()).as(EngineSupport.describe(r)).isEmpty();
        assertThat(r.rejected()).isEqualTo(2);
        assertThat(target.column("SELECT \"id\" FROM \"d\" ORDER BY \"id\"")).containsExactly("1", "4", "5");
        assertThat(Files.readString(rejects)).contains("the date infinity (PostgreSQL's) has no value in H2",
                "the date -infinity (PostgreSQL's) has no value in H2");
        assertThat(r.verification().problems()).as("the rejected rows' range, not a java.time error").isNotEmpty()
                .extracting(VerificationItem::detail).noneMatch(d -> d != null && d.contains("Invalid value"));
    }
}
