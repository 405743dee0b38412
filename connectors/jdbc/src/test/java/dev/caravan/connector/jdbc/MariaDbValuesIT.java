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
 * MariaDB values that a plain mapping changed without a word (found by exploratory testing): TIME durations beyond a
 * day, wrapped modulo 24 hours; SMALLINT UNSIGNED and TINYINT UNSIGNED, mapped to types too small for their upper
 * half.
 */
class MariaDbValuesIT {
    @TempDir
    Path dir;

    @Test
    void aTimeThatIsADurationIsRefusedNotWrapped() {
        TestDb source = TestDb.mariadb("times");
        TestDb target = TestDb.sqlite(dir, "times");
        source.exec("CREATE TABLE tt (id INT PRIMARY KEY, tm TIME(6))",
                "INSERT INTO tt VALUES (1, '12:34:56.789'), (2, '25:00:00'), (3, '-01:00:00')");
        TableMigrationSpec spec = TableMigrationSpec.builder(source.uri(), target.uri())
                .sourceOptions(Map.of("table", "tt")).targetOptions(Map.of("table", "tt")).build();

        RecordMigrationResult r = EngineSupport.run(dir, spec);

        assertThat(r.outcome()).as(EngineSupport.describe(r)).isEqualTo(RunOutcome.FAILED);
        assertThat(EngineSupport.describe(r)).contains("TIME value '25:00:00.000000' of column tm is a duration, not a time"
                + " of day");
        assertThat(target.column("SELECT tm FROM tt")).as("no wrapped value written").noneMatch(
                t -> t.startsWith("01:00") || t.startsWith("23:00"));
    }

    /** MariaDB rounded a numeric of 50 digits to 30 without a word, and a NaN double failed the whole table. */
    @Test
    void valuesMariaDbWouldChangeAreRejectedRowByRow() {
        TestDb source = TestDb.postgres("chg");
        source.exec("CREATE TABLE n (id int PRIMARY KEY, v numeric, d double precision)",
                "INSERT INTO n VALUES (1, 3.14159265358979323846264338327950288419716939937510, 1.5),"
                        + " (2, 2.5, 'NaN'), (3, 1.25, 2.0), (4, 1e-40, 1)");
        TestDb target = TestDb.mariadb("chg_t");
        TableMigrationSpec spec = TableMigrationSpec.builder(source.uri(), target.uri())
                .sourceOptions(Map.of("table", "n")).targetOptions(Map.of("table", "n")).build();

        RecordMigrationResult r = EngineSupport.run(dir, spec);

        assertThat(r.rejected()).as(EngineSupport.describe(r)).isEqualTo(3);
        assertThat(target.column("SELECT id FROM n ORDER BY id")).as("only the row MariaDB holds as it is")
                .containsExactly("3");
    }

    /**
     * A numeric(40,35) became DECIMAL(40,30) without a word (values with more decimals were refused row by row only
     * when they came): a declared precision or scale MariaDB's DECIMAL cannot hold is refused while the run is planned,
     * before any table is written, unless typeMapping gives the column a type; then values that do not fit are
     * refused row by row, never rounded.
     */
    @Test
    void aDecimalWiderThanMariaDbsIsRefusedBeforeAnythingIsWrittenUnlessMapped() {
        TestDb source = TestDb.postgres("wide");
        source.exec("CREATE TABLE w (id int PRIMARY KEY, v numeric(40,35), big numeric(70,2))",
                "INSERT INTO w VALUES (1, 1.5, 2), (2, 1.12345678901234567890123456789012345, 3)");
        TestDb target = TestDb.mariadb("wide_t");
        TableMigrationSpec spec = TableMigrationSpec.builder(source.uri(), target.uri()).build();

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> EngineSupport.run(dir.resolve("refused"), spec))
                .isInstanceOfSatisfying(dev.caravan.api.error.MigrationException.class, e -> assertThat(e.kind())
                        .isEqualTo(dev.caravan.api.error.ErrorKind.USER_CONFIG))
                .hasMessage("column w.v is DECIMAL(40,35), which MariaDB cannot hold: its DECIMAL keeps at most 65"
                        + " digits, 30 of them after the decimal point, so values would be rounded; give the column a"
                        + " type with typeMapping (e.g. column:w.v=DECIMAL(40,30), which refuses the values with more"
                        + " decimals row by row)");
        assertThat(target.column("SELECT count(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()"))
                .containsExactly("0");

        RecordMigrationResult r = EngineSupport.run(dir.resolve("mapped"), TableMigrationSpec.builder(source.uri(),
                target.uri()).targetOptions(Map.of("typeMapping", "column:w.v=DECIMAL(40,30);column:w.big=DECIMAL(65,2)"))
                .build());
        assertThat(r.rejected()).as(EngineSupport.describe(r)).isEqualTo(1);
        assertThat(target.column("SELECT concat(id, ' ', v, ' ', big) FROM w")).containsExactly(
                "1 1.500000000000000000000000000000 2.00");
    }

    @Test
    void unsignedSmallIntegersGetATypeThatHoldsThem() {
        TestDb source = TestDb.mariadb("unsig");
        source.exec("CREATE TABLE u (id INT PRIMARY KEY, si SMALLINT UNSIGNED, ti TINYINT UNSIGNED)",
                "INSERT INTO u VALUES (1, 65535, 255), (2, 0, 0)");
        for (TestDb target : List.of(TestDb.postgres("unsig"), TestDb.mariadb("unsig_t"))) {
            TableMigrationSpec spec = TableMigrationSpec.builder(source.uri(), target.uri())
                    .sourceOptions(Map.of("table", "u")).targetOptions(Map.of("table", "u")).build();

            RecordMigrationResult r = EngineSupport.run(dir, spec);

            assertThat(r.outcome()).as(EngineSupport.describe(r)).isEqualTo(RunOutcome.COMPLETE);
            assertThat(target.column("SELECT si FROM u ORDER BY id")).containsExactly("65535", "0");
            assertThat(target.column("SELECT ti FROM u ORDER BY id")).containsExactly("255", "0");
        }
    }
}
