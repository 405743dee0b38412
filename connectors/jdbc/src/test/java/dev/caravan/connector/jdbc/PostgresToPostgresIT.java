package dev.caravan.connector.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.api.journal.RunOutcome;
import dev.caravan.api.verify.VerificationItem;
import dev.caravan.core.records.RecordMigrationListener;
import dev.caravan.core.records.RecordMigrationResult;
import dev.caravan.core.records.TableMigrationSpec;
import dev.caravan.core.registry.ConnectorRegistry;
import dev.caravan.testkit.contract.RecordFixtures;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PostgreSQL -> PostgreSQL (a schema to a new database): binary COPY of every common type, verified by digests
 * computed in SQL on both sides; a changed row is then found by its key range.
 */
class PostgresToPostgresIT {
    @TempDir
    Path dir;

    @Test
    void everyTypeThroughBinaryCopyVerifiedInSql() {
        TestDb source = TestDb.postgres("pgsrc");
        PostgresToMariaDbIT.createKinds(source);
        TestDb target = TestDb.postgres("pgdst");
        List<VerificationItem> items = new CopyOnWriteArrayList<>();
        RecordMigrationListener listener = new RecordMigrationListener() {
            @Override
            public void verified(VerificationItem item) {
                items.add(item);
            }
        };
        TableMigrationSpec spec = TableMigrationSpec.builder(source.uri(), target.uri())
                .sourceOptions(Map.of("batchSize", "300")).build();
        RecordMigrationResult r = EngineSupport.run(dir, spec, ConnectorRegistry.of(new JdbcRecordProvider()),
                listener);

        assertThat(r.outcome()).as(EngineSupport.describe(r)).isEqualTo(RunOutcome.COMPLETE);
        assertThat(items).isNotEmpty().allSatisfy(i -> assertThat(i.method()).startsWith("sql-digest:postgresql"));
        RecordFixtures.assertSameRows(target.read("kinds", PostgresToMariaDbIT.kindsSchema(false)),
                source.read("kinds", PostgresToMariaDbIT.kindsSchema(false)), "kinds");

        target.exec("UPDATE kinds SET n_free = n_free + 0.00000000000000000001 WHERE id = 1501"); // n_free is NULL when id % 15 == 0
        try (var journal = dev.caravan.core.journal.JdbcJournal.open(EngineSupport.journalUrl(dir))) {
            var report = new dev.caravan.core.records.RecordMigrationEngine(
                    ConnectorRegistry.of(new JdbcRecordProvider()), journal).verify(spec);
            assertThat(report.problems()).hasSize(1);
            assertThat(report.problems().get(0).item()).startsWith("kinds keys (");
            assertThat(report.problems().get(0).method()).isEqualTo("row-digest");
        }
    }
}
