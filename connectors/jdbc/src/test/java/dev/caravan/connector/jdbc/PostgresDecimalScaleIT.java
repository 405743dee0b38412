package dev.caravan.connector.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.api.journal.RunOutcome;
import dev.caravan.core.records.RecordMigrationResult;
import dev.caravan.core.records.TableMigrationSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PostgreSQL 15's numeric scales outside 0..precision: {@code numeric(3,-2)} (rounded to hundreds, up to 99900) and
 * {@code numeric(3,5)} (five decimals, below 0.001). The driver reports the negative scale as 2046 (its 11 bits),
 * so such a column was created as numeric(3,2046) (PostgreSQL refused it, the table failed) or NUMERIC(3,2046) (H2,
 * SQLite: every row rejected). They now arrive with every value: as they are into PostgreSQL, and as
 * DECIMAL(5,0) and DECIMAL(5,5), which hold them exactly, where a DECIMAL's scale must lie in 0..precision.
 */
class PostgresDecimalScaleIT {
    @TempDir
    Path dir;

    private static final List<String> VALUES = List.of("1|12300|0.00012", "2|-99900|-0.00099", "3|0|0");

    private static TestDb source() {
        TestDb source = TestDb.postgres("scale");
        source.exec("CREATE TABLE n (id int PRIMARY KEY, hundreds numeric(3,-2), tiny numeric(3,5))",
                "INSERT INTO n VALUES (1, 12345, 0.000123), (2, -99900, -0.00099), (3, 0, 0)");
        return source;
    }

    @Test
    void intoPostgresTheColumnsKeepTheirTypes() throws Exception {
        TestDb target = TestDb.postgres("scale");
        load(source(), target, "pg");
        assertThat(target.column("SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'n'"
                + "::regclass AND attname IN ('hundreds', 'tiny') ORDER BY attnum"))
                .containsExactly("numeric(3,-2)", "numeric(3,5)");
        assertThat(plain(target.column("SELECT id || '|' || hundreds || '|' || tiny FROM n ORDER BY id")))
                .containsExactlyElementsOf(VALUES);
    }

    @Test
    void intoMariaDbH2AndSqliteEveryValueArrives() throws Exception {
        TestDb source = source();
        for (TestDb target : List.of(TestDb.mariadb("scale"), TestDb.h2(dir, "scale"), TestDb.sqlite(dir, "scale"))) {
            load(source, target, target.kind);
            String sql = target.kind.equals("mariadb") ? "SELECT CONCAT_WS('|', id, hundreds + 0, tiny + 0) FROM n"
                    + " ORDER BY id" : "SELECT \"id\" || '|' || \"hundreds\" || '|' || \"tiny\" FROM \"n\" ORDER BY 1";
            assertThat(plain(target.column(sql))).as(target.kind).containsExactlyElementsOf(VALUES);
        }
    }

    /** Rows of '|'-separated numbers, each without trailing zeros. */
    private static List<String> plain(List<String> rows) {
        return rows.stream().map(r -> String.join("|", List.of(r.split("\\|")).stream()
                .map(v -> new java.math.BigDecimal(v).stripTrailingZeros().toPlainString()).toList())).toList();
    }

    private void load(TestDb source, TestDb target, String name) throws Exception {
        Path rejects = dir.resolve(name + "-rejects.jsonl");
        RecordMigrationResult r = EngineSupport.run(dir.resolve(name), TableMigrationSpec.builder(source.uri(),
                target.uri()).targetOptions(Map.of("rejectFile", rejects.toString())).build());
        assertThat(r.outcome()).as(EngineSupport.describe(r) + (Files.exists(rejects) ? Files.readString(rejects)
                : "")).isEqualTo(RunOutcome.COMPLETE);
        assertThat(r.rejected()).isZero();
    }
}
