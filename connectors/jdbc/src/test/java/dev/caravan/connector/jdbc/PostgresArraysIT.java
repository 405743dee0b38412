package dev.caravan.connector.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.api.journal.RunOutcome;
import dev.caravan.core.records.RecordMigrationResult;
import dev.caravan.core.records.TableMigrationSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PostgreSQL array columns (found by exploratory testing): they became varchar(N) with N the element's display size
 * (int4[] -> varchar(10)), and every row holding a longer array was refused, PostgreSQL to PostgreSQL too.
 */
class PostgresArraysIT {
    @TempDir
    Path dir;

    private static TestDb source() {
        TestDb source = TestDb.postgres("arrs");
        source.exec("CREATE TABLE arrs (id int PRIMARY KEY, a int[], t text[], ts timestamp[])",
                "INSERT INTO arrs VALUES (1, '{1,2,3,4,5,6,7,8,9,10,11,12}', '{\"hello world\",b}',"
                        + " '{\"2020-01-01 00:00:00\"}'), (2, '{{1,2},{3,4}}', NULL, NULL)");
        return source;
    }

    @Test
    void arraysKeepTheirTypeBetweenPostgresDatabases() {
        TestDb source = source();
        TestDb target = TestDb.postgres("arrs_t");
        TableMigrationSpec spec = TableMigrationSpec.builder(source.uri(), target.uri())
                .sourceOptions(Map.of("table", "arrs")).targetOptions(Map.of("table", "arrs")).build();

        RecordMigrationResult r = EngineSupport.run(dir, spec);

        assertThat(r.outcome()).as(EngineSupport.describe(r)).isEqualTo(RunOutcome.COMPLETE);
        String all = "SELECT concat_ws('|', a::text, t::text, ts::text) FROM arrs ORDER BY id";
        assertThat(target.column(all)).isEqualTo(source.column(all));
        assertThat(target.column("SELECT data_type FROM information_schema.columns WHERE table_name = 'arrs'"
                + " AND column_name = 'a'")).containsExactly("ARRAY");
    }

    @Test
    void arraysTravelAsTextOfAnyLengthToAnotherDatabase() {
        TestDb source = source();
        TestDb target = TestDb.sqlite(dir, "arrs");
        TableMigrationSpec spec = TableMigrationSpec.builder(source.uri(), target.uri())
                .sourceOptions(Map.of("table", "arrs")).targetOptions(Map.of("table", "arrs")).build();

        RecordMigrationResult r = EngineSupport.run(dir, spec);

        assertThat(r.outcome()).as(EngineSupport.describe(r)).isEqualTo(RunOutcome.COMPLETE);
        assertThat(target.column("SELECT a FROM arrs ORDER BY id")).containsExactly("{1,2,3,4,5,6,7,8,9,10,11,12}",
                "{{1,2},{3,4}}");
    }
}
