package dev.caravan.connector.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.api.journal.RunOutcome;
import dev.caravan.api.record.DataRecord;
import dev.caravan.api.record.Schema;
import dev.caravan.api.verify.VerificationItem;
import dev.caravan.api.verify.VerificationOutcome;
import dev.caravan.api.verify.VerificationReport;
import dev.caravan.core.journal.JdbcJournal;
import dev.caravan.core.records.RecordMigrationEngine;
import dev.caravan.core.records.RecordMigrationResult;
import dev.caravan.core.records.TableMigrationSpec;
import dev.caravan.core.records.TableMigrationSpec.Incremental;
import dev.caravan.core.records.TablePreview;
import dev.caravan.core.registry.ConnectorRegistry;
import dev.caravan.testkit.contract.RecordFixtures;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Incremental runs, rejects, verification of a tampered target and the dry-run preview, on embedded databases. */
class EngineFeaturesTest {
    @TempDir
    Path dir;

    private static List<DataRecord> range(List<DataRecord> rows, int from, int to) {
        return new ArrayList<>(rows.subList(from, to));
    }

    @Test
    void incrementalByKeyCopiesOnlyNewRows() {
        TestDb source = TestDb.h2(dir, "isrc");
        TestDb target = TestDb.sqlite(dir, "idst");
        Schema schema = RecordFixtures.schema("events");
        List<DataRecord> rows = RecordFixtures.rows(1_500, 3);
        source.create("events", schema, range(rows, 0, 1_000));
        TableMigrationSpec spec = TableMigrationSpec.builder(source.uri(), target.uri())
                .sourceOptions(Map.of("table", "events", "batchSize", "200")).targetOptions(Map.of("table", "events"))
                .incremental("id", Incremental.Mode.KEY).build();

        RecordMigrationResult first = EngineSupport.run(dir, spec);
        assertThat(first.outcome()).as(EngineSupport.describe(first)).isEqualTo(RunOutcome.COMPLETE);
        assertThat(first.rows()).isEqualTo(1_000);
        assertThat(first.nextRunState()).containsEntry("incremental.events", "3000");

        source.insert("events", schema, range(rows, 1_000, 1_500));
        RecordMigrationResult second = EngineSupport.run(dir, spec);
        assertThat(second.outcome()).as(EngineSupport.describe(second)).isEqualTo(RunOutcome.COMPLETE);
        assertThat(second.rows()).as("rows copied by the second run").isEqualTo(500);
        assertThat(second.nextRunState()).containsEntry("incremental.events", "4500");
        RecordFixtures.assertSameRows(target.read("events", schema), rows, "events after two incremental runs");

        RecordMigrationResult third = EngineSupport.run(dir, spec);
        assertThat(third.rows()).as("nothing new").isZero();
        assertThat(target.count("events")).isEqualTo(1_500);
    }

    @Test
    void incrementalByUpdatedAtUpsertsChangedAndNewRows() {
        TestDb source = TestDb.sqlite(dir, "usrc");
        TestDb target = TestDb.h2(dir, "udst");
        source.exec("CREATE TABLE accounts (id INTEGER PRIMARY KEY, owner TEXT NOT NULL, balance NUMERIC(12,2),"
                + " updated_at TIMESTAMP NOT NULL)");
        StringBuilder insert = new StringBuilder("INSERT INTO accounts VALUES ");
        for (int i = 1; i <= 300; i++) {
            insert.append(i == 1 ? "" : ",").append("(").append(i).append(", 'owner ").append(i).append("', ")
                    .append(i).append(".50, '2025-01-01 00:00:").append(String.format("%02d", i % 60)).append("')");
        }
        source.exec(insert.toString());
        TableMigrationSpec spec = TableMigrationSpec.builder(source.uri(), target.uri())
                .sourceOptions(Map.of("table", "accounts", "batchSize", "70"))
                .targetOptions(Map.of("table", "accounts", "mode", "upsert"))
                .incremental("updated_at", Incremental.Mode.UPDATED_AT).build();
        RecordMigrationResult first = EngineSupport.run(dir, spec);
        assertThat(first.outcome()).as(EngineSupport.describe(first)).isEqualTo(RunOutcome.COMPLETE);
        assertThat(first.rows()).isEqualTo(300);

        source.exec("UPDATE accounts SET balance = balance + 1000, updated_at = '2025-02-01 10:00:00' WHERE id % 50 = 0",
                "INSERT INTO accounts VALUES (301, 'new owner', 1.25, '2025-02-01 10:00:01')");
        RecordMigrationResult second = EngineSupport.run(dir, spec);
        assertThat(second.outcome()).as(EngineSupport.describe(second)).isEqualTo(RunOutcome.COMPLETE);
        assertThat(second.rows()).as("6 changed + 1 new").isEqualTo(7);
        Schema s = new Schema("accounts", List.of(
                dev.caravan.api.record.Column.of("id", dev.caravan.api.record.ColumnType.LONG),
                dev.caravan.api.record.Column.of("owner", dev.caravan.api.record.ColumnType.STRING),
                dev.caravan.api.record.Column.of("balance", dev.caravan.api.record.ColumnType.DECIMAL),
                dev.caravan.api.record.Column.of("updated_at", dev.caravan.api.record.ColumnType.TIMESTAMP)),
                List.of("id"));
        RecordFixtures.assertSameRows(target.read("accounts", s), source.read("accounts", s), "accounts");
    }

    @Test
    void refusedRowsGoToTheRejectFileAndTheRestLoads() throws Exception {
        TestDb source = TestDb.sqlite(dir, "rsrc");
        TestDb target = TestDb.h2(dir, "rdst");
        source.exec("CREATE TABLE readings (id INTEGER PRIMARY KEY, sensor TEXT NOT NULL, value INTEGER, note TEXT)");
        StringBuilder insert = new StringBuilder("INSERT INTO readings VALUES ");
        for (int i = 1; i <= 1_000; i++) {
            String value = i % 250 == 0 ? "'n/a'" : Integer.toString(i * 10); // SQLite keeps text in an INTEGER column
            insert.append(i == 1 ? "" : ",").append("(").append(i).append(", 's").append(i % 7).append("', ")
                    .append(value).append(", ").append(i == 501 ? "'" + "x".repeat(40) + "'" : "NULL").append(")");
        }
        source.exec(insert.toString());
        Path rejects = dir.resolve("rejects/readings.jsonl");
        TableMigrationSpec spec = TableMigrationSpec.builder(source.uri(), target.uri())
                .sourceOptions(Map.of("table", "readings", "batchSize", "300"))
                .targetOptions(Map.of("table", "readings", "rejectFile", rejects.toString(),
                        "typeMapping", "column:readings.note=varchar(20)"))
                .build();

        RecordMigrationResult r = EngineSupport.run(dir, spec);

        assertThat(r.rejected()).as(EngineSupport.describe(r)).isEqualTo(5);
        assertThat(r.rows()).isEqualTo(995);
        assertThat(target.count("readings")).isEqualTo(995);
        assertThat(r.outcome()).as("rows are missing in the target").isEqualTo(RunOutcome.VERIFICATION_FAILED);
        List<String> lines = Files.readAllLines(rejects, StandardCharsets.UTF_8);
        assertThat(lines).hasSize(5);
        assertThat(lines).anySatisfy(l -> assertThat(l).contains("\"key\":\"250\"").contains("n/a"));
        assertThat(lines).as("refused by the database itself").anySatisfy(l -> assertThat(l)
                .contains("\"key\":\"501\"").containsIgnoringCase("too long"));
        assertThat(r.verification().problems()).extracting(VerificationItem::item)
                .allSatisfy(item -> assertThat(item).startsWith("readings keys ("));

        TableMigrationSpec strict = TableMigrationSpec.builder(source.uri(), TestDb.h2(dir, "rdst2").uri())
                .sourceOptions(Map.of("table", "readings", "batchSize", "300"))
                .targetOptions(Map.of("table", "readings", "maxRejects", "1")).build();
        RecordMigrationResult failed = EngineSupport.run(dir, strict);
        assertThat(failed.outcome()).isEqualTo(RunOutcome.FAILED);
        assertThat(failed.errors()).anySatisfy(e -> assertThat(e).contains("maxRejects"));
    }

    @Test
    void verificationNamesTheKeyRangeOfADifference() {
        TestDb source = TestDb.sqlite(dir, "vsrc");
        TestDb target = TestDb.h2(dir, "vdst");
        Schema schema = RecordFixtures.schema("items");
        source.create("items", schema, RecordFixtures.rows(3_000, 9));
        TableMigrationSpec spec = TableMigrationSpec.builder(source.uri(), target.uri())
                .sourceOptions(Map.of("table", "items", "batchSize", "250")).targetOptions(Map.of("table", "items"))
                .verifyRangeRows(500).build();
        assertThat(EngineSupport.run(dir, spec).outcome()).isEqualTo(RunOutcome.COMPLETE);

        target.exec("UPDATE \"items\" SET \"name\" = 'tampered' WHERE \"id\" = 4200",
                "DELETE FROM \"items\" WHERE \"id\" = 8400");
        VerificationReport report;
        try (JdbcJournal journal = JdbcJournal.open(EngineSupport.journalUrl(dir))) {
            report = new RecordMigrationEngine(ConnectorRegistry.of(new JdbcRecordProvider()), journal).verify(spec);
        }
        assertThat(report.clean()).isFalse();
        assertThat(report.problems()).hasSize(2);
        for (VerificationItem item : report.problems()) {
            String[] bounds = item.item().replaceAll(".*\\((.*)]", "$1").split(", ");
            long lo = bounds[0].equals("-inf") ? 0 : Long.parseLong(bounds[0]);
            long hi = bounds[1].equals("+inf") ? 9_000 : Long.parseLong(bounds[1]); // the largest key is 9000
            assertThat((lo < 4200 && 4200 <= hi) || (lo < 8400 && 8400 <= hi)).as(item.toString()).isTrue();
            assertThat(hi - lo).as("narrowed to a range of about 500 rows (keys step 3)").isLessThan(3_000);
        }
        assertThat(report.problems()).extracting(VerificationItem::outcome).containsOnly(VerificationOutcome.DIFFER);
    }

    @Test
    void planShowsTheTargetDdlAndConvertedSamples() {
        TestDb source = TestDb.sqlite(dir, "psrc");
        ShopFixture.createSqlite(source);
        TestDb target = TestDb.h2(dir, "pdst");
        TableMigrationSpec spec = TableMigrationSpec.builder(source.uri(), target.uri()).build();
        List<TablePreview> plan;
        try (JdbcJournal journal = JdbcJournal.open(EngineSupport.journalUrl(dir))) {
            plan = new RecordMigrationEngine(ConnectorRegistry.of(new JdbcRecordProvider()), journal).plan(spec, 3);
        }
        assertThat(plan).hasSize(4);
        TablePreview customers = plan.stream().filter(p -> p.table().equals("customers")).findFirst().orElseThrow();
        assertThat(customers.targetDdl()).contains("\"score\" DOUBLE PRECISION DEFAULT 0 NOT NULL")
                .contains("GENERATED BY DEFAULT AS IDENTITY");
        assertThat(customers.sample()).hasSize(3);
        assertThat(customers.sample().get(0).get(5)).isEqualTo(279818.335431);
        try (var c = target.connect(); var rs = c.getMetaData().getTables(null, "PUBLIC", "%", null)) {
            assertThat(rs.next()).as("a plan writes nothing to the target").isFalse();
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
