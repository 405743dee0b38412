package dev.caravan.core.journal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.api.journal.Checkpoint;
import dev.caravan.api.journal.RunOutcome;
import dev.caravan.api.journal.TaskId;
import dev.caravan.api.journal.TaskRecord;
import dev.caravan.api.journal.TaskReport;
import dev.caravan.api.journal.TaskSpec;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which recorded uploads no task continues any more, found from the marked tasks only. */
class TaskUploadsTest {
    @TempDir
    Path dir;

    private static TaskSpec task(String key, long size) {
        return new TaskSpec(TaskId.of("mem:a", "mem:b", "copy:" + key + ":" + size), "COPY", key, size);
    }

    private static Checkpoint upload(String id) {
        return new Checkpoint(Map.of(TaskUploads.UPLOAD_ID_SUFFIX, id, "mpu.key", "k"));
    }

    /** The journal's URL: an embedded H2 file here, a PostgreSQL database in {@link TaskUploadsPostgresIT}. */
    String url() {
        return "jdbc:h2:file:" + dir.resolve("j");
    }

    @Test
    void onlyTasksLeftOutOfTheCurrentPlanOfTheirMigrationAreSuperseded() {
        TaskSpec changed = task("big.bin", 10);
        TaskSpec again = task("big.bin", 11);
        TaskSpec continued = task("other.bin", 10);
        TaskSpec elsewhere = task("theirs.bin", 10);
        String oldUpload = UUID.randomUUID().toString();
        try (JdbcJournal journal = JdbcJournal.open(url())) {
            String other = journal.startRun("other-migration", "d").runId();
            journal.plan(other, List.of(elsewhere).iterator());
            journal.checkpoint(elsewhere.id(), upload(UUID.randomUUID().toString()));
            String run = journal.startRun("m", "d").runId();
            journal.plan(run, List.of(changed, continued).iterator());
            journal.checkpoint(changed.id(), upload(oldUpload));
            journal.checkpoint(continued.id(), upload(UUID.randomUUID().toString()));
            assertThat(journal.uploads().superseded("m", run)).as("all in the current plan").isEmpty();

            journal.plan(run, List.of(again, continued).iterator()); // the plan made again: big.bin changed

            assertThat(journal.uploads().superseded("m", run)).extracting(t -> t.spec().id())
                    .containsExactly(changed.id());
            assertThat(journal.uploads().recorded()).filteredOn(r -> r.uploadId().equals(oldUpload))
                    .singleElement().extracting(TaskUploads.Recorded::continued).isEqualTo(false);
            journal.uploads().forget(changed.id());
            assertThat(journal.uploads().superseded("m", run)).isEmpty();
            assertThat(journal.task(changed.id()).map(TaskRecord::checkpoint)).get()
                    .extracting(cp -> cp.get(TaskUploads.UPLOAD_ID_SUFFIX)).as("forgotten").isNull();

            journal.complete(run, continued.id(), new TaskReport(10, Map.of()));
            journal.finishRun(run, RunOutcome.COMPLETE, Map.of());
            String next = journal.startRun("m", "d").runId();
            journal.plan(next, List.<TaskSpec>of().iterator());
            assertThat(journal.uploads().superseded("m", next)).as("done tasks are not").isEmpty();
        }
    }

    /**
     * The tasks of a run's current plan that record an upload, whichever migration recorded it: a plan takes the task
     * over, checkpoint and all, from another migration of the same source and target (another key map).
     */
    @Test
    void theCurrentPlansTasksThatRecordAnUploadArePlannedWhicheverMigrationRecordedIt() {
        TaskSpec taken = task("big.bin", 10);
        TaskSpec left = task("gone.bin", 10);
        TaskSpec plain = task("small.txt", 1);
        try (JdbcJournal journal = JdbcJournal.open(url())) {
            String before = journal.startRun("without-map", "d").runId();
            journal.plan(before, List.of(taken, left, plain).iterator());
            journal.checkpoint(taken.id(), upload(UUID.randomUUID().toString()));
            journal.checkpoint(left.id(), upload(UUID.randomUUID().toString()));
            journal.checkpoint(plain.id(), new Checkpoint(Map.of("copy.bytes", "0")));
            String run = journal.startRun("with-map", "d").runId();

            journal.plan(run, List.of(taken, plain).iterator());

            assertThat(journal.uploads().planned(run)).extracting(t -> t.spec().id()).containsExactly(taken.id());
            assertThat(journal.uploads().planned(before)).as("not in that run's plan any more").extracting(
                    t -> t.spec().id()).containsExactly(left.id());
            journal.complete(run, taken.id(), new TaskReport(10, Map.of()));
            assertThat(journal.uploads().planned(run)).as("done").isEmpty();
        }
    }

    /** A journal written before the marks existed: its tasks that record uploads are marked when it is opened. */
    @Test
    void aJournalOfAnEarlierVersionHasItsRecordedUploadsMarkedWhenOpened() throws Exception {
        TaskSpec changed = task("big.bin", 10);
        String run;
        try (JdbcJournal journal = JdbcJournal.open(url())) {
            run = journal.startRun("m", "d").runId();
            journal.plan(run, List.of(changed).iterator());
            journal.checkpoint(changed.id(), upload(UUID.randomUUID().toString()));
        }
        try (Connection c = DriverManager.getConnection(url()); Statement st = c.createStatement()) {
            st.execute("DROP TABLE caravan_task_upload"); // as an earlier version made the journal
        }

        try (JdbcJournal journal = JdbcJournal.open(url())) {
            journal.plan(run, List.of(task("big.bin", 11)).iterator());

            assertThat(journal.uploads().superseded("m", run)).extracting(t -> t.spec().id())
                    .containsExactly(changed.id());
        }
    }
}
