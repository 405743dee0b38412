package dev.caravan.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import dev.caravan.api.journal.RunOutcome;
import dev.caravan.api.journal.TaskRecord;
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
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A large object kept in a backup dir on a multipart store (streamed there from the target) is checkpointed with the
 * task that overwrites it: a run that dies mid-upload leaves the upload recorded in the journal (so cleanup keeps it),
 * and the next run sends only the missing parts, then overwrites the original.
 */
class BackupMultipartResumeTest {
    private static final long PART = CopyPipeline.PART_SIZE;
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @TempDir
    Path home;

    @Test
    void aBackupCopyInterruptedMidUploadIsContinuedFromItsPartsByTheNextRun() {
        MemoryStore.reset();
        byte[] old = new byte[(int) (4 * PART + PART / 2)]; // five parts, the last one half size
        new Random().nextBytes(old);
        byte[] replacement = new byte[1000];
        new Random().nextBytes(replacement);
        MemoryStore.named("src").add("disk.img", replacement, T0.plusSeconds(60));
        MemoryStore dst = MemoryStore.named("dst");
        dst.add("disk.img", old, T0);
        MultipartMemoryStore bak = new MultipartMemoryStore();
        MigrationSpec spec = MigrationSpec.builder("mem:src", "mem:dst").retries(0)
                .retryBaseDelay(Duration.ofMillis(1)).backup(new BackupDir("mpu:kept", null, false)).build();

        try (MigrationEngine engine = MigrationEngine.open(EngineSettings.defaults().withHome(home)
                .withJournalUrl("jdbc:h2:file:" + home.resolve("journal")),
                ConnectorRegistry.of(new MemoryStoreProvider(), MultipartResumeTest.provider(bak)))) {
            bak.failFromPart = 4; // the connection is lost at part 4: parts 1-3 are held by the store
            RunResult first = engine.run(spec, ProgressListener.NONE);

            assertThat(first.outcome()).as(first.toString()).isEqualTo(RunOutcome.FAILED);
            assertThat(dst.bytes("disk.img")).as("untouched").isEqualTo(old);
            assertThat(bak.openUploads()).isEqualTo(1);
            assertThat(((JdbcJournal) engine.journal()).uploads().recorded())
                    .as("the journal records the backup's upload, so cleanup keeps it").singleElement()
                    .extracting(dev.caravan.core.journal.TaskUploads.Recorded::continued).isEqualTo(true);
            long sentBefore = bak.partBytes.get();

            bak.failFromPart = 0;
            RunResult second = engine.run(spec, ProgressListener.NONE);

            assertThat(second.outcome()).as(second.toString()).isEqualTo(RunOutcome.COMPLETE);
            assertThat(bak.begins).as("one upload, continued").hasSize(1);
            assertThat(bak.partBytes.get() - sentBefore).as("only the missing parts sent").isEqualTo(PART + PART / 2);
            try (Stream<TaskRecord> done = ((JdbcJournal) engine.journal()).completedBy(second.runId())) {
                assertThat(done.toList()).singleElement().extracting(t -> t.report().values().get(Backups.BYTES_SENT))
                        .as("the task's report tells what the backup copy sent").isEqualTo(Long.toString(PART + PART / 2));
            }
            assertThat(bak.memory().bytes("disk.img")).isEqualTo(old);
            assertThat(dst.bytes("disk.img")).isEqualTo(replacement);
            assertThat(bak.openUploads()).isZero();
            assertThat(((JdbcJournal) engine.journal()).uploads().recorded()).isEmpty();
        }
    }

    /**
     * The task's own upload and its backup copy's are recorded apart: a run killed mid-object leaves the replacement's
     * upload recorded; the next run must copy the original into the backup dir again (the copy kept there was removed
     * meanwhile) and is killed during that copy; the run after that still continues the replacement's upload from its
     * parts (so nothing is left unfinished on the target), and the backup copy's from its own.
     */
    @Test
    void aKillDuringTheBackupCopyKeepsTheRecordOfTheReplacementsUpload() {
        MemoryStore.reset();
        long part = 1 << 20;
        byte[] old = new byte[(int) (3 * part + part / 2)];
        byte[] replacement = new byte[old.length];
        Random random = new Random(7);
        random.nextBytes(old);
        random.nextBytes(replacement);
        MemoryStore.named("src").add("disk.img", replacement, T0.plusSeconds(60));
        MultipartMemoryStore dst = new MultipartMemoryStore("mpu:dst");
        MultipartMemoryStore bak = new MultipartMemoryStore("bak:kept");
        for (MultipartMemoryStore store : new MultipartMemoryStore[] {dst, bak}) {
            store.largestSingleRequest = part; // both copies go through journaled uploads, in parts of 1 MiB
            store.preferredPartSize = part;
            store.failFromPartKind = ErrorKind.FATAL; // a failure leaves the run unfinished, as a kill does
        }
        dst.memory().add("disk.img", old, T0);
        MigrationSpec spec = MigrationSpec.builder("mem:src", "mpu:dst").retries(0)
                .retryBaseDelay(Duration.ofMillis(1)).backup(new BackupDir("bak:kept", null, false)).build();

        try (MigrationEngine engine = MigrationEngine.open(EngineSettings.defaults().withHome(home)
                .withJournalUrl("jdbc:h2:file:" + home.resolve("journal")), ConnectorRegistry.of(
                        new MemoryStoreProvider(), MultipartResumeTest.provider(dst),
                        MultipartResumeTest.provider("bak", bak)))) {
            JdbcJournal journal = (JdbcJournal) engine.journal();
            dst.failFromPart = 3; // killed while the replacement goes up, the original kept in the backup dir
            killed(engine, spec);
            assertThat(dst.openUploads()).isEqualTo(1);
            bak.memory().delete("disk.img");
            dst.failFromPart = 0;
            bak.failFromPart = 2; // killed while the original goes to the backup dir again

            killed(engine, spec);

            assertThat(dst.memory().bytes("disk.img")).as("untouched").isEqualTo(old);
            assertThat(journal.uploads().recorded()).as("the replacement's upload and the backup copy's")
                    .hasSize(2).allMatch(dev.caravan.core.journal.TaskUploads.Recorded::continued);
            bak.failFromPart = 0;
            RunResult last = engine.run(spec, ProgressListener.NONE);

            assertThat(last.outcome()).as(last.toString()).isEqualTo(RunOutcome.COMPLETE);
            assertThat(dst.begins).as("the replacement's upload, continued").hasSize(1);
            assertThat(bak.begins).as("the first backup copy's, and the second one's, continued").hasSize(2);
            assertThat(dst.openUploads()).as("nothing left unfinished on the target").isZero();
            assertThat(bak.openUploads()).isZero();
            assertThat(dst.memory().bytes("disk.img")).isEqualTo(replacement);
            assertThat(bak.memory().bytes("disk.img")).isEqualTo(old);
            assertThat(journal.uploads().recorded()).isEmpty();
        }
    }

    private static void killed(MigrationEngine engine, MigrationSpec spec) {
        assertThatThrownBy(() -> engine.run(spec, ProgressListener.NONE)).isInstanceOf(MigrationException.class);
    }
}
