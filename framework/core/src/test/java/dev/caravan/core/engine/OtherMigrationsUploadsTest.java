package dev.caravan.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import dev.caravan.api.journal.RunOutcome;
import dev.caravan.api.vm.PreflightCheck;
import dev.caravan.core.journal.JdbcJournal;
import dev.caravan.core.plan.Filters;
import dev.caravan.core.plan.MigrationSpec;
import dev.caravan.core.registry.ConnectorRegistry;
import dev.caravan.core.testing.MemoryStore;
import dev.caravan.core.testing.MemoryStoreProvider;
import dev.caravan.core.testing.MultipartMemoryStore;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run killed mid-upload, then the same source and target run with an {@code --exclude} of that object: another
 * migration (filters are part of the id), which does not copy the object, so nothing of it continues or aborts the
 * upload the first one recorded. Its plan and its run name that upload with the command that aborts it, and do not
 * abort it themselves (the first migration may still be run again); {@code caravan cleanup --migration} aborts exactly
 * the uploads of that migration.
 */
class OtherMigrationsUploadsTest {
    private static final long PART = 1 << 20;
    private static final Instant FIRST = Instant.parse("2026-01-01T00:00:00Z");

    @TempDir
    Path home;

    private MemoryStore source;
    private MultipartMemoryStore target;

    @BeforeEach
    void stores() {
        MemoryStore.reset();
        source = MemoryStore.named("oth-src");
        byte[] big = new byte[(int) (3 * PART + PART / 2)];
        new Random(3).nextBytes(big);
        source.add("big.bin", big, FIRST);
        source.add("small.txt", new byte[] {1, 2, 3}, FIRST);
        target = new MultipartMemoryStore();
        target.largestSingleRequest = PART;
        target.preferredPartSize = PART;
    }

    private MigrationEngine engine() {
        return MigrationEngine.open(EngineSettings.defaults().withHome(home)
                .withJournalUrl("jdbc:h2:file:" + home.resolve("journal")),
                ConnectorRegistry.of(new MemoryStoreProvider(), MultipartResumeTest.provider(target)));
    }

    private static MigrationSpec spec(List<String> exclude) {
        return MigrationSpec.builder("mem:oth-src", "mpu:test").name("nightly").retries(0)
                .retryBaseDelay(Duration.ofMillis(1))
                .filters(new Filters(List.of(), exclude, -1, -1, null, null)).build();
    }

    private void killedMidUpload(MigrationEngine engine, MigrationSpec first) {
        target.failFromPart = 3;
        target.failFromPartKind = ErrorKind.FATAL;
        assertThatThrownBy(() -> engine.run(first, ProgressListener.NONE)).isInstanceOf(MigrationException.class);
        target.failFromPart = 0;
        assertThat(target.openUploads()).as("the interrupted upload").isEqualTo(1);
    }

    @Test
    void aRunThatExcludesTheObjectNamesTheUploadAndCleanupOfThatMigrationAbortsIt() {
        MigrationSpec first = spec(List.of());
        MigrationSpec excluding = spec(List.of("big.bin"));
        try (MigrationEngine engine = engine()) {
            killedMidUpload(engine, first);

            PlanResult plan = engine.plan(excluding);
            RunResult run = engine.run(excluding, ProgressListener.NONE);

            assertThat(plan.preflight()).filteredOn(c -> c.name().equals("other-uploads")).singleElement()
                    .satisfies(c -> assertThat(c.status()).isEqualTo(PreflightCheck.Status.WARN))
                    .extracting(PreflightCheck::detail).asString().contains("1 unfinished upload recorded by migration "
                            + first.migrationId() + " (nightly) on mpu:test (big.bin)",
                            "caravan cleanup mpu:test --migration " + first.migrationId());
            assertThat(run.outcome()).as(run.toString()).isEqualTo(RunOutcome.COMPLETE);
            assertThat(run.warnings()).singleElement().asString().contains("big.bin", first.migrationId(),
                    "caravan cleanup mpu:test --migration " + first.migrationId());
            assertThat(target.openUploads()).as("not aborted by another migration's run").isEqualTo(1);

            JdbcJournal journal = (JdbcJournal) engine.journal();
            UploadCleanup.Result cleanup = UploadCleanup.ofMigration(target, first.migrationId(),
                    journal.uploads().recorded(), journal.uploads()::forget, false);

            assertThat(cleanup.items()).singleElement().extracting(UploadCleanup.Item::action)
                    .isEqualTo(UploadCleanup.Action.ABORTED);
            assertThat(target.openUploads()).isZero();
            assertThat(target.abortedKeys).containsExactly("big.bin");
            assertThat(journal.uploads().recorded()).as("forgotten").isEmpty();
            assertThat(engine.run(excluding, ProgressListener.NONE).warnings()).as("nothing left to name").isEmpty();
        }
    }

    /** The upload's own migration run again goes on from it: another migration's plan named it, nothing more. */
    @Test
    void theMigrationThatRecordedItStillGoesOnFromIt() {
        MigrationSpec first = spec(List.of());
        try (MigrationEngine engine = engine()) {
            killedMidUpload(engine, first);
            engine.run(spec(List.of("big.bin")), ProgressListener.NONE);

            RunResult again = engine.run(first, ProgressListener.NONE);

            assertThat(again.outcome()).as(again.toString()).isEqualTo(RunOutcome.COMPLETE);
            assertThat(target.begins).as("the recorded upload continued").hasSize(1);
            assertThat(target.abortedKeys).isEmpty();
            assertThat(again.warnings()).isEmpty();
        }
    }

    /** The same migration's plan, which goes on with the upload, names nothing. */
    @Test
    void aPlanThatTakesTheTaskOverNamesNothing() {
        MigrationSpec first = spec(List.of());
        try (MigrationEngine engine = engine()) {
            killedMidUpload(engine, first);

            assertThat(engine.plan(spec(List.of("*.txt"))).preflight()).as("another migration that copies big.bin")
                    .noneMatch(c -> c.name().equals("other-uploads"));
        }
    }
}
