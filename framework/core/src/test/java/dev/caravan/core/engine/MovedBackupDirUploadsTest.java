package dev.caravan.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import dev.caravan.api.journal.RunOutcome;
import dev.caravan.core.journal.JdbcJournal;
import dev.caravan.core.plan.BackupDir;
import dev.caravan.core.plan.MigrationSpec;
import dev.caravan.core.registry.ConnectorRegistry;
import dev.caravan.core.testing.MemoryStore;
import dev.caravan.core.testing.MemoryStoreProvider;
import dev.caravan.core.testing.MultipartMemoryStore;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run killed while it kept an object in its backup dir leaves that copy's upload recorded on the backup dir's store.
 * A rerun whose backup dir is another store (another bucket, another connector) or none cannot go on with it, though
 * its key is the same: it aborts it on the store it was begun on, before new uploads begin, and names it in its
 * warnings.
 */
class MovedBackupDirUploadsTest {
    private static final long PART = 1 << 20;
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @TempDir
    Path home;

    private final MultipartMemoryStore oldDir = new MultipartMemoryStore("old:kept");
    private final MultipartMemoryStore newDir = new MultipartMemoryStore("new:kept");
    private byte[] original;

    @BeforeEach
    void stores() {
        MemoryStore.reset();
        Random random = new Random(5);
        original = new byte[(int) (3 * PART + PART / 2)];
        random.nextBytes(original);
        byte[] replacement = new byte[1000];
        random.nextBytes(replacement);
        MemoryStore.named("src").add("disk.img", replacement, T0.plusSeconds(60));
        MemoryStore.named("dst").add("disk.img", original, T0);
        for (MultipartMemoryStore store : new MultipartMemoryStore[] {oldDir, newDir}) {
            store.largestSingleRequest = PART; // the backup copy goes through a journaled upload
            store.preferredPartSize = PART;
        }
    }

    private MigrationEngine engine() {
        return MigrationEngine.open(EngineSettings.defaults().withHome(home)
                .withJournalUrl("jdbc:h2:file:" + home.resolve("journal")), ConnectorRegistry.of(
                        new MemoryStoreProvider(), MultipartResumeTest.provider("old", oldDir),
                        MultipartResumeTest.provider("new", newDir)));
    }

    private static MigrationSpec spec(String backupDir) {
        return MigrationSpec.builder("mem:src", "mem:dst").retries(0).retryBaseDelay(Duration.ofMillis(1))
                .backup(backupDir == null ? null : new BackupDir(backupDir, null, false)).build();
    }

    /** The first run, backup dir old:kept, is killed at the backup copy's part 2: its upload stays recorded. */
    private void killedDuringTheBackupCopy(MigrationEngine engine) {
        oldDir.failFromPart = 2;
        oldDir.failFromPartKind = ErrorKind.FATAL;
        assertThatThrownBy(() -> engine.run(spec("old:kept"), ProgressListener.NONE))
                .isInstanceOf(MigrationException.class);
        oldDir.failFromPart = 0;
        assertThat(oldDir.openUploads()).as("the backup copy's upload").isEqualTo(1);
    }

    private static void assertNamesTheAbortedUpload(RunResult rerun) {
        assertThat(rerun.warnings()).singleElement().asString().contains("disk.img", "aborted the unfinished upload",
                "on old:kept");
    }

    @Test
    void aBackupDirMovedToAnotherStoreHasTheOldOnesUploadAbortedThere() {
        try (MigrationEngine engine = engine()) {
            killedDuringTheBackupCopy(engine);

            RunResult rerun = engine.run(spec("new:kept"), ProgressListener.NONE);

            assertThat(rerun.outcome()).as(rerun.toString()).isEqualTo(RunOutcome.COMPLETE);
            assertThat(newDir.memory().bytes("disk.img")).isEqualTo(original);
            assertThat(oldDir.openUploads()).as("left on the old backup dir").isZero();
            assertThat(oldDir.abortedKeys).containsExactly("disk.img");
            assertThat(newDir.openUploads()).isZero();
            assertNamesTheAbortedUpload(rerun);
            assertThat(((JdbcJournal) engine.journal()).uploads().recorded()).as("forgotten").isEmpty();
        }
    }

    @Test
    void aRerunWithoutABackupDirHasTheOldOnesUploadAbortedThere() {
        try (MigrationEngine engine = engine()) {
            killedDuringTheBackupCopy(engine);

            RunResult rerun = engine.run(spec(null), ProgressListener.NONE);

            assertThat(rerun.outcome()).as(rerun.toString()).isEqualTo(RunOutcome.COMPLETE);
            assertThat(oldDir.openUploads()).as("left on the old backup dir").isZero();
            assertThat(oldDir.abortedKeys).containsExactly("disk.img");
            assertNamesTheAbortedUpload(rerun);
        }
    }

    /** The same backup dir again goes on with the upload: nothing is aborted. */
    @Test
    void theSameBackupDirGoesOnWithItsUpload() {
        try (MigrationEngine engine = engine()) {
            killedDuringTheBackupCopy(engine);

            RunResult rerun = engine.run(spec("old:kept"), ProgressListener.NONE);

            assertThat(rerun.outcome()).as(rerun.toString()).isEqualTo(RunOutcome.COMPLETE);
            assertThat(oldDir.abortedKeys).isEmpty();
            assertThat(oldDir.begins).as("one upload, continued").hasSize(1);
            assertThat(rerun.warnings()).isEmpty();
        }
    }
}
