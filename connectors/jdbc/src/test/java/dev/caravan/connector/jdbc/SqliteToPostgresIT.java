package dev.caravan.connector.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.api.journal.RunOutcome;
import dev.caravan.core.records.RecordMigrationResult;
import dev.caravan.core.records.TableMigrationSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SQLite -> PostgreSQL (COPY): the shop database column by column with its structure (REAL as double precision with
 * every digit, NOT NULL, identity restarted, foreign keys, indexes), hostile identifiers, and rows PostgreSQL
 * refuses.
 */
class SqliteToPostgresIT {
    @TempDir
    Path dir;

    @Test
    void wholeDatabaseArrivesColumnByColumnWithItsStructure() throws Exception {
        TestDb source = TestDb.sqlite(dir, "shop");
        ShopFixture.createSqlite(source);
        TestDb target = TestDb.postgres("shop");
        RecordMigrationResult r = EngineSupport.run(dir, TableMigrationSpec.builder(source.uri(), target.uri())
                .sourceOptions(Map.of("batchSize", "1000")).verifyRangeRows(1000).build());

        assertThat(r.outcome()).as(EngineSupport.describe(r)).isEqualTo(RunOutcome.COMPLETE);
        ShopFixture.assertSameData(source, target);
        try (Connection c = target.connect(); Statement st = c.createStatement()) {
            assertThat(column(st, "customers", "score")).isEqualTo("double precision NO");
            assertThat(column(st, "customers", "name")).isEqualTo("text NO");
            assertThat(column(st, "orders", "shipped_at")).isEqualTo("timestamp with time zone YES");
            assertThat(column(st, "products", "attrs")).isEqualTo("json YES");
            assertThat(column(st, "products", "uid")).isEqualTo("uuid YES");
            assertThat(column(st, "products", "price")).isEqualTo("numeric YES");
            try (ResultSet rs = st.executeQuery("SELECT score::text FROM customers WHERE id = 1")) {
                rs.next();
                assertThat(rs.getString(1)).as("REAL keeps every digit").isEqualTo("279818.335431");
            }
            try (ResultSet rs = st.executeQuery("SELECT conrelid::regclass::text, confrelid::regclass::text"
                    + " FROM pg_constraint WHERE contype = 'f' ORDER BY 1, 2")) {
                StringBuilder fks = new StringBuilder();
                while (rs.next()) {
                    fks.append(rs.getString(1)).append("->").append(rs.getString(2)).append(' ');
                }
                assertThat(fks.toString().trim()).isEqualTo("order_items->orders order_items->products "
                        + "orders->customers");
            }
            try (ResultSet rs = st.executeQuery("SELECT indexdef FROM pg_indexes WHERE tablename = 'orders'"
                    + " AND indexname <> 'orders_pkey'")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).contains("(customer_id, ordered_at)");
            }
            st.executeUpdate("INSERT INTO customers (name) VALUES ('after the migration')");
            try (ResultSet rs = st.executeQuery("SELECT id, active FROM customers WHERE name = 'after the migration'")) {
                rs.next();
                assertThat(rs.getLong(1)).as("identity restarted at max(id) + 1").isEqualTo(ShopFixture.CUSTOMERS + 1);
                assertThat(rs.getBoolean(2)).as("default kept").isTrue();
            }
        }
    }

    @Test
    void aRerunOnTheSameJournalLeavesTheTargetAsItWas() throws Exception {
        TestDb source = TestDb.sqlite(dir, "rerun");
        ShopFixture.createSqlite(source);
        TestDb target = TestDb.postgres("rerun");
        TableMigrationSpec spec = TableMigrationSpec.builder(source.uri(), target.uri()).splitsPerTable(2).build();
        RecordMigrationResult first = EngineSupport.run(dir, spec);
        assertThat(first.outcome()).as(EngineSupport.describe(first)).isEqualTo(RunOutcome.COMPLETE);
        String structure = structure(target);

        RecordMigrationResult rerun = EngineSupport.run(dir, spec);

        assertThat(rerun.outcome()).as(EngineSupport.describe(rerun)).isEqualTo(RunOutcome.COMPLETE);
        assertThat(rerun.rejected()).isZero();
        ShopFixture.assertSameData(source, target);
        assertThat(structure(target)).as("indexes and constraints, none added twice").isEqualTo(structure)
                .contains("orders_pkey", "FOREIGN KEY");
    }

    /** The target's indexes and constraints, one per line, sorted. */
    private static String structure(TestDb db) throws Exception {
        StringBuilder sb = new StringBuilder();
        try (Connection c = db.connect(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT indexname || ' ' || indexdef FROM pg_indexes WHERE schemaname"
                        + " = 'public' UNION ALL SELECT conname || ' ' || pg_get_constraintdef(oid) FROM pg_constraint"
                        + " WHERE connamespace = 'public'::regnamespace ORDER BY 1")) {
            while (rs.next()) {
                sb.append(rs.getString(1)).append('\n');
            }
        }
        return sb.toString();
    }

    private static String column(Statement st, String table, String column) throws Exception {
        try (ResultSet rs = st.executeQuery("SELECT data_type, is_nullable FROM information_schema.columns"
                + " WHERE table_name = '" + table + "' AND column_name = '" + column + "'")) {
            rs.next();
            return rs.getString(1) + " " + rs.getString(2);
        }
    }

    @Test
    void hostileIdentifiers() {
        TestDb source = TestDb.sqlite(dir, "hostile");
        HostileFixture.create(source);
        TestDb target = TestDb.postgres("hostile");
        RecordMigrationResult r = EngineSupport.run(dir, TableMigrationSpec.builder(source.uri(), target.uri())
                .sourceOptions(Map.of("batchSize", "100")).build());
        assertThat(r.outcome()).as(EngineSupport.describe(r)).isEqualTo(RunOutcome.COMPLETE);
        HostileFixture.assertCopied(source, target);
    }

    @Test
    void rowsPostgresRefusesGoToTheRejectFile() throws Exception {
        TestDb source = TestDb.sqlite(dir, "bad");
        source.exec("CREATE TABLE measures (id INTEGER PRIMARY KEY, label TEXT, qty INTEGER, at TIMESTAMP)");
        StringBuilder insert = new StringBuilder("INSERT INTO measures VALUES ");
        for (int i = 1; i <= 3_000; i++) {
            String label = i == 1234 ? "'nul' || char(0) || 'byte'" : "'label " + i + "'";
            String qty = i == 2000 ? "70000" : Integer.toString(i % 1000);
            String at = i == 2500 ? "'2025-02-30 10:00:00'" : "'2025-01-01 10:00:00'";
            insert.append(i == 1 ? "" : ",").append('(').append(i).append(", ").append(label).append(", ").append(qty)
                    .append(", ").append(at).append(')');
        }
        source.exec(insert.toString());
        TestDb target = TestDb.postgres("rejects");
        Path rejects = dir.resolve("rejects.jsonl");
        RecordMigrationResult r = EngineSupport.run(dir, TableMigrationSpec.builder(source.uri(), target.uri())
                .sourceOptions(Map.of("table", "measures", "batchSize", "500"))
                .targetOptions(Map.of("table", "measures", "rejectFile", rejects.toString(),
                        "typeMapping", "column:measures.qty=smallint"))
                .splitsPerTable(4) // keys up to 750, 1500, 2250, 3000: each refused row in a range of its own
                .verify(TableMigrationSpec.Verify.COUNT).build());

        assertThat(r.rejected()).as(EngineSupport.describe(r)).isEqualTo(3);
        assertThat(target.count("measures")).isEqualTo(2_997);
        List<String> lines = Files.readAllLines(rejects, StandardCharsets.UTF_8);
        assertThat(lines).hasSize(3);
        assertThat(lines).anySatisfy(l -> assertThat(l).contains("\"key\":\"1234\"").contains("0x00"));
        assertThat(lines).anySatisfy(l -> assertThat(l).contains("\"key\":\"2000\"").contains("out of range"));
        assertThat(lines).anySatisfy(l -> assertThat(l).contains("\"key\":\"2500\""));
        assertThat(r.verification().problems()).as("the three ranges with a refused row").hasSize(3);
    }
    @Test
    void aRowRefusedAfterPartOfItsBatchWasSentIsIsolatedToo() throws Exception {
        // rows of ~220 bytes in one batch of 3,000: the bad row comes after the first 256 KiB chunk went to the
        // server, so the writer cancels a COPY in progress, rolls back to its savepoint and isolates the row
        TestDb source = TestDb.sqlite(dir, "late");
        source.exec("CREATE TABLE wide (id INTEGER PRIMARY KEY, label TEXT, qty INTEGER)");
        StringBuilder insert = new StringBuilder("INSERT INTO wide VALUES ");
        for (int i = 1; i <= 3_000; i++) {
            insert.append(i == 1 ? "" : ",").append('(').append(i).append(", '").append("x".repeat(200))
                    .append(i).append("', ").append(i == 2_500 ? 70_000 : i % 1000).append(')');
        }
        source.exec(insert.toString());
        TestDb target = TestDb.postgres("late_rejects");
        Path rejects = dir.resolve("late-rejects.jsonl");
        RecordMigrationResult r = EngineSupport.run(dir, TableMigrationSpec.builder(source.uri(), target.uri())
                .sourceOptions(Map.of("table", "wide", "batchSize", "3000"))
                .targetOptions(Map.of("table", "wide", "rejectFile", rejects.toString(),
                        "typeMapping", "column:wide.qty=smallint"))
                .verify(TableMigrationSpec.Verify.COUNT).build());

        assertThat(r.rejected()).as(EngineSupport.describe(r)).isEqualTo(1);
        assertThat(target.count("wide")).isEqualTo(2_999);
        assertThat(Files.readAllLines(rejects, StandardCharsets.UTF_8)).singleElement()
                .satisfies(l -> assertThat(l).contains("\"key\":\"2500\"").contains("out of range"));
    }
}
