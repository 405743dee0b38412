package dev.caravan.connector.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.connector.jdbc.dialect.Dialect;
import dev.caravan.connector.jdbc.dialect.MariaDbDialect;
import dev.caravan.connector.jdbc.dialect.PostgresDialect;
import dev.caravan.connector.jdbc.dialect.SqliteDialect;
import org.junit.jupiter.api.Test;

/** The names of kept tables (keepReplaced): predictable, within the database's limit, distinct, quoted. */
class KeptRowsTest {
    private static final String RUN = "20240102T030405-0a1b2c3d";

    @Test
    void aRunIdBecomesALowerCaseStampOfOneShape() {
        assertThat(KeptRows.stamp(RUN)).isEqualTo("20240102t030405_0a1b2c3d")
                .hasSameSizeAs(KeptRows.PREVIEW_STAMP);
        assertThat(KeptRows.stamp("Run with spaces and a very long id " + RUN)).matches("[a-z0-9_]{24}")
                .isNotEqualTo(KeptRows.stamp("Run with spaces and a very long id " + RUN + "x"));
        assertThat(KeptRows.stamp(null)).matches("[0-9]{8}t[0-9]{6}_[0-9a-f]{8}")
                .isNotEqualTo(KeptRows.stamp(null));
    }

    @Test
    void oddNamesAreKeptAsTheyAreAndQuoted() {
        Dialect pg = new PostgresDialect();
        String name = KeptRows.name(pg, "Mixed Case \"Ünïcödé\" 表", KeptRows.stamp(RUN));
        assertThat(name).isEqualTo("Mixed Case \"Ünïcödé\" 表__caravan_20240102t030405_0a1b2c3d");
        assertThat(pg.copyRows(new TableRef("s p", "Mixed \"A\""), new TableRef("s p", "k")))
                .isEqualTo("CREATE TABLE \"s p\".\"k\" AS SELECT * FROM \"s p\".\"Mixed \"\"A\"\"\"");
        assertThat(new MariaDbDialect().copyRows(new TableRef("db", "a`b"), new TableRef("db", "k")))
                .isEqualTo("CREATE TABLE `db`.`k` AS SELECT * FROM `db`.`a``b`");
    }

    @Test
    void longNamesAreCutToTheLimitWithoutCollisionsAndWithoutSplittingACharacter() {
        Dialect pg = new PostgresDialect();
        String stem = "é".repeat(25); // 50 bytes
        String a = KeptRows.name(pg, stem + "_orders_2023", KeptRows.stamp(RUN));
        String b = KeptRows.name(pg, stem + "_orders_2024", KeptRows.stamp(RUN));
        assertThat(pg.identifierLength(a)).isLessThanOrEqualTo(63);
        assertThat(pg.identifierLength(b)).isLessThanOrEqualTo(63);
        assertThat(a).isNotEqualTo(b).endsWith("__caravan_20240102t030405_0a1b2c3d").startsWith("ééé");
        assertThat(new String(a.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(a);
        String maria = KeptRows.name(new MariaDbDialect(), "x".repeat(64), KeptRows.stamp(RUN));
        assertThat(maria.length()).isLessThanOrEqualTo(64);
        assertThat(KeptRows.name(new SqliteDialect(), "short", "s")).isEqualTo("short__caravan_s");
    }
}
