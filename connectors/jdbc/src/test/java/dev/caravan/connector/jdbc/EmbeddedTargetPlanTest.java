package dev.caravan.connector.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import dev.caravan.api.journal.RunOutcome;
import dev.caravan.core.journal.JdbcJournal;
import dev.caravan.core.records.RecordMigrationEngine;
import dev.caravan.core.records.RecordMigrationResult;
import dev.caravan.core.records.TableMigrationSpec;
import dev.caravan.core.records.TablePreview;
import dev.caravan.core.registry.ConnectorRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Embedded databases (H2, SQLite) as targets that do not exist yet: a plan shows the tables it would create and
 * creates no database file; the run creates it. A source file that does not exist is a clear error, not an empty
 * database made by the driver.
 */
class EmbeddedTargetPlanTest {
    @TempDir
    Path dir;

    @Test
    void aPlanIntoAnH2FileNotCreatedYetCreatesNoFileAndTheRunDoes() throws Exception {
        planCreatesNothingAndRunCreates(TestDb.h2(dir.resolve("new"), "copy"), dir.resolve("new/copy.mv.db"));
    }

    @Test
    void aPlanIntoASqliteFileNotCreatedYetCreatesNoFileAndTheRunDoes() throws Exception {
        planCreatesNothingAndRunCreates(TestDb.sqlite(dir, "copy"), dir.resolve("copy.db"));
    }

    private void planCreatesNothingAndRunCreates(TestDb target, Path file) throws Exception {
        TestDb source = TestDb.sqlite(dir, "shop");
        ShopFixture.createSqlite(source);
        TableMigrationSpec spec = TableMigrationSpec.builder(source.uri(), target.uri()).build();

        List<TablePreview> plan;
        try (JdbcJournal journal = JdbcJournal.open(EngineSupport.journalUrl(dir))) {
            plan = new RecordMigrationEngine(ConnectorRegistry.of(new JdbcRecordProvider()), journal).plan(spec, 0);
        }
        assertThat(plan).as("tables to create").hasSize(ShopFixture.TABLES.length);
        assertThat(plan.get(0).targetDdl()).containsIgnoringCase("CREATE TABLE");
        assertThat(file).as("database file after the plan").doesNotExist();

        RecordMigrationResult r = EngineSupport.run(dir, spec);
        assertThat(r.outcome()).as(EngineSupport.describe(r)).isEqualTo(RunOutcome.COMPLETE);
        assertThat(file).exists();
        ShopFixture.assertSameData(source, target);
    }

    @Test
    void aSourceFileThatDoesNotExistIsAClearErrorAndIsNotCreated() {
        Path missing = dir.resolve("mistyped.db");
        TableMigrationSpec spec = TableMigrationSpec.builder("jdbc:sqlite:" + missing,
                TestDb.h2(dir, "copy").uri()).build();

        MigrationException e = catchThrowableOfType(MigrationException.class, () -> EngineSupport.run(dir, spec));

        assertThat(e).isNotNull();
        assertThat(e.kind()).isEqualTo(ErrorKind.USER_CONFIG);
        assertThat(e.getMessage()).contains(missing.toString()).contains("does not exist");
        assertThat(missing).doesNotExist();
        assertThat(Files.exists(dir.resolve("copy.mv.db"))).as("target untouched").isFalse();
    }

    @Test
    void theFileOfAnEmbeddedUrl() {
        String home = System.getProperty("user.home");
        assertThat(EmbeddedDatabaseFile.of("jdbc:h2:./out/h2/shop")).contains(Path.of("./out/h2/shop.mv.db"));
        assertThat(EmbeddedDatabaseFile.of("jdbc:h2:file:/data/db;MODE=PostgreSQL"))
                .contains(Path.of("/data/db.mv.db"));
        assertThat(EmbeddedDatabaseFile.of("jdbc:h2:~/caravan/j;AUTO_SERVER=TRUE"))
                .contains(Path.of(home + "/caravan/j.mv.db"));
        assertThat(EmbeddedDatabaseFile.of("jdbc:sqlite:/tmp/a.db?foreign_keys=on")).contains(Path.of("/tmp/a.db"));
        assertThat(EmbeddedDatabaseFile.of("jdbc:h2:mem:x")).isEmpty();
        assertThat(EmbeddedDatabaseFile.of("jdbc:h2:tcp://localhost/db")).isEmpty();
        assertThat(EmbeddedDatabaseFile.of("jdbc:sqlite::memory:")).isEmpty();
        assertThat(EmbeddedDatabaseFile.of("jdbc:postgresql://127.0.0.1/db")).isEmpty();
        assertThat(EmbeddedDatabaseFile.standInUrl("jdbc:h2:/d/x;MODE=PostgreSQL;AUTO_SERVER=TRUE;DB_CLOSE_DELAY=0"))
                .isEqualTo("jdbc:h2:mem:;MODE=PostgreSQL;DB_CLOSE_DELAY=0");
        assertThat(EmbeddedDatabaseFile.standInUrl("jdbc:h2:/d/x;INIT=CREATE SCHEMA IF NOT EXISTS s\\;SET SCHEMA s"))
                .isEqualTo("jdbc:h2:mem:;INIT=CREATE SCHEMA IF NOT EXISTS s\\;SET SCHEMA s");
    }
}
