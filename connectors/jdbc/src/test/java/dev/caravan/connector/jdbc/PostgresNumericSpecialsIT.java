package dev.caravan.connector.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PostgreSQL's numeric holds NaN, Infinity and -Infinity, which a BigDecimal cannot: one such value failed the whole
 * table on read ("Bad value for type BigDecimal : NaN", found by exploratory testing). Between PostgreSQL databases
 * they are carried (COPY and INSERT); a target that cannot hold them gets the row as a reject.
 */
class PostgresNumericSpecialsIT {
    @TempDir
    Path dir;

    private static TestDb source() {
        TestDb source = TestDb.postgres("nan");
        source.exec("CREATE TABLE n (id int PRIMARY KEY, v numeric, w numeric(10,2))",
                "INSERT INTO n VALUES (1, 1.5, 2.25), (2, 'NaN', 'NaN'), (3, 'Infinity', 1), (4, '-Infinity', NULL)");
        return source;
    }

    @Test
    void postgresToPostgresCarriesThemWithCopyAndWithInserts() {
        TestDb source = source();
        for (String mode : new String[] {"append", "upsert"}) {
            TestDb target = TestDb.postgres("nan_t");
            EdgeValueRuns.complete(dir.resolve(mode), source, target, Map.of("mode", mode));
            assertThat(target.column("SELECT id || ' ' || v || ' ' || coalesce(w::text, '-') FROM n ORDER BY id"))
                    .as(mode).containsExactly("1 1.5 2.25", "2 NaN NaN", "3 Infinity 1.00", "4 -Infinity -");
        }
    }

    @Test
    void aTargetThatCannotHoldThemRejectsTheRowsNotTheTable() {
        TestDb target = TestDb.sqlite(dir, "nan");
        EdgeValueRuns.Loaded load = EdgeValueRuns.withRejects(dir, source(), target);

        assertThat(load.result().rejected()).isEqualTo(3);
        assertThat(target.column("SELECT id FROM n")).containsExactly("1");
        assertThat(load.rejects()).contains("not a decimal number: NaN", "not a decimal number: Infinity",
                "only PostgreSQL's numeric holds NaN and Infinity");
    }
}
