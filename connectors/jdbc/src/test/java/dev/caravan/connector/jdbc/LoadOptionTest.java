package dev.caravan.connector.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import dev.caravan.api.journal.RunOutcome;
import dev.caravan.api.verify.VerificationOutcome;
import dev.caravan.api.verify.VerificationReport;
import dev.caravan.core.journal.JdbcJournal;
import dev.caravan.core.records.RecordMigrationEngine;
import dev.caravan.core.records.RecordMigrationResult;
import dev.caravan.core.records.TableMigrationSpec;
import dev.caravan.core.records.TablePreview;
import dev.caravan.core.registry.ConnectorRegistry;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sink option {@code load}: {@code schema} creates the target's tables, keys, indexes, identities and foreign
 * keys as a full migration does and copies no row (verified by structure); {@code data} loads rows into tables that
 * exist and creates or alters nothing, refusing a missing table or column before anything is written.
 */
class LoadOptionTest {
    @TempDir
    Path dir;

    @Test
    void schemaOnlyThenDataOnlyIntoH2IsTheFullMigrationInTwoSteps() {
        TestDb source = shop();
        LoadScenario.schemaThenData(dir, source, TestDb.h2(dir, "staged"), TestDb.h2(dir, "full"));
    }

    @Test
    void schemaOnlyThenDataOnlyIntoSqliteIsTheFullMigrationInTwoSteps() {
        TestDb source = shop();
        LoadScenario.schemaThenData(dir, source, TestDb.sqlite(dir, "staged"), TestDb.sqlite(dir, "full"));
    }

    @Test
    void dataOnlyRefusesAMissingTableBeforeWritingAnything() {
        TestDb source = shop();
        TestDb target = TestDb.h2(dir, "partial");
        RecordMigrationResult schema = EngineSupport.run(dir, LoadScenario.spec(source, target, "schema", Map.of()));
        assertThat(schema.outcome()).isEqualTo(RunOutcome.COMPLETE);
        target.exec("DROP TABLE \"order_items\"");
        target.exec("INSERT INTO \"customers\" (\"id\", \"name\") VALUES (1000, 'kept')");
        TableMigrationSpec data = LoadScenario.spec(source, target, "data", Map.of("truncate", "true"));

        assertThatThrownBy(() -> EngineSupport.run(dir, data)).isInstanceOfSatisfying(MigrationException.class,
                e -> assertThat(e.kind()).isEqualTo(ErrorKind.USER_CONFIG)).hasMessageContaining("order_items")
                .hasMessageContaining("load=data");
        assertThat(target.count("customers")).as("not emptied, nothing written").isEqualTo(1);
        assertThat(target.count("orders")).isZero();
        assertThatThrownBy(() -> plan(data)).as("the plan says so too").hasMessageContaining("order_items");
    }

    @Test
    void dataOnlyRefusesATableWithoutAColumnOfTheSource() {
        TestDb source = shop();
        TestDb target = TestDb.h2(dir, "narrow");
        target.exec("CREATE TABLE \"customers\" (\"id\" BIGINT PRIMARY KEY, \"name\" VARCHAR(200) NOT NULL)");
        TableMigrationSpec data = TableMigrationSpec.builder(source.uri(), target.uri())
                .sourceOptions(Map.of("table", "customers")).targetOptions(Map.of("load", "data", "table",
                        "customers")).build();

        assertThatThrownBy(() -> EngineSupport.run(dir, data)).isInstanceOf(MigrationException.class)
                .hasMessageContaining("email").hasMessageContaining("customers");
        assertThat(target.count("customers")).isZero();
    }

    @Test
    void dataOnlyWithModeReplaceIsBadInput() {
        TestDb source = shop();
        TestDb target = TestDb.h2(dir, "replace");
        assertThatThrownBy(() -> EngineSupport.run(dir, LoadScenario.spec(source, target, "data",
                Map.of("mode", "replace")))).isInstanceOfSatisfying(MigrationException.class,
                        e -> assertThat(e.kind()).isEqualTo(ErrorKind.USER_CONFIG)).hasMessageContaining("load=data")
                .hasMessageContaining("replace");
    }

    @Test
    void thePlanSaysWhatEachLoadDoesAndDoesNot() {
        TestDb source = shop();
        TestDb target = TestDb.h2(dir, "planned");

        List<TablePreview> schema = plan(LoadScenario.spec(source, target, "schema", Map.of()));

        assertThat(schema).hasSize(ShopFixture.TABLES.length).allSatisfy(p -> {
            assertThat(p.targetDdl()).contains("CREATE TABLE").contains("load=schema").contains("no rows");
            assertThat(p.splits()).as("nothing is read").isEmpty();
            assertThat(p.sample()).isEmpty();
        });
        EngineSupport.run(dir, LoadScenario.spec(source, target, "schema", Map.of()));

        List<TablePreview> data = plan(LoadScenario.spec(source, target, "data", Map.of()));

        assertThat(data).hasSize(ShopFixture.TABLES.length).allSatisfy(p -> {
            assertThat(p.targetDdl()).doesNotContain("CREATE").doesNotContain("ALTER TABLE").contains("load=data");
            assertThat(p.splits()).isNotEmpty();
        });
    }

    @Test
    void theVerificationOfASchemaOnlyRunFindsAMissingIndex() {
        TestDb source = shop();
        TestDb target = TestDb.h2(dir, "checked");
        TableMigrationSpec spec = LoadScenario.spec(source, target, "schema", Map.of());
        assertThat(EngineSupport.run(dir, spec).outcome()).isEqualTo(RunOutcome.COMPLETE);
        target.exec("DROP INDEX \"orders_by_customer\"");

        VerificationReport report;
        try (JdbcJournal journal = JdbcJournal.open(EngineSupport.journalUrl(dir))) {
            report = new RecordMigrationEngine(ConnectorRegistry.of(new JdbcRecordProvider()), journal).verify(spec);
        }

        assertThat(report.count(VerificationOutcome.MATCH)).isEqualTo(ShopFixture.TABLES.length - 1);
        assertThat(report.problems()).singleElement().satisfies(i -> {
            assertThat(i.outcome()).isEqualTo(VerificationOutcome.DIFFER);
            assertThat(i.item()).contains("orders");
            assertThat(i.detail()).contains("orders_by_customer");
        });
    }

    private TestDb shop() {
        TestDb source = TestDb.sqlite(dir, "shop");
        ShopFixture.createSqlite(source);
        return source;
    }

    private List<TablePreview> plan(TableMigrationSpec spec) {
        try (JdbcJournal journal = JdbcJournal.open(EngineSupport.journalUrl(dir))) {
            return new RecordMigrationEngine(ConnectorRegistry.of(new JdbcRecordProvider()), journal).plan(spec, 3);
        }
    }
}
