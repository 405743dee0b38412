package dev.caravan.connector.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.api.journal.RunOutcome;
import dev.caravan.core.records.RecordMigrationResult;
import dev.caravan.core.records.TableMigrationSpec;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SQLite keeps dates as text, a real (Julian day) or an integer (Unix time). An integer was read as milliseconds:
 * 1700000000 (2023-11-14 22:13:20) arrived as 1970-01-20, "complete and verified" (found by exploratory testing).
 * Integers from 100,000,000,000 are taken as milliseconds (how sqlite-jdbc writes java.sql dates).
 */
class SqliteNumericDatesTest {
    @TempDir
    Path dir;

    @Test
    void integerDatesAreUnixTimeAndRealOnesJulianDays() throws SQLException {
        TestDb source = TestDb.sqlite(dir, "dates");
        TestDb target = TestDb.h2(dir, "dates");
        source.exec("CREATE TABLE e (id INTEGER PRIMARY KEY, dt DATETIME, d DATE)",
                "INSERT INTO e VALUES (1, 1700000000, 1700000000), (2, 1700000000123, 1700000000123),"
                        + " (3, 2460264.5, 2460264.5), (4, '2023-11-14 22:13:20', '2023-11-14')");
        TableMigrationSpec spec = TableMigrationSpec.builder(source.uri(), target.uri())
                .sourceOptions(Map.of("table", "e")).targetOptions(Map.of("table", "e")).build();

        RecordMigrationResult r = EngineSupport.run(dir, spec);

        assertThat(r.outcome()).as(EngineSupport.describe(r)).isEqualTo(RunOutcome.COMPLETE);
        List<String> rows = new ArrayList<>();
        try (Connection c = target.connect(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT \"dt\", \"d\" FROM \"e\" ORDER BY \"id\"")) {
            while (rs.next()) {
                rows.add(rs.getObject(1, java.time.LocalDateTime.class) + " "
                        + rs.getObject(2, java.time.LocalDate.class));
            }
        }
        assertThat(rows).containsExactly("2023-11-14T22:13:20 2023-11-14", "2023-11-14T22:13:20.123 2023-11-14",
                "2023-11-16T00:00 2023-11-16", "2023-11-14T22:13:20 2023-11-14");
    }
}
