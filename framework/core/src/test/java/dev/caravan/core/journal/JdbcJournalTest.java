package dev.caravan.core.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import dev.caravan.api.journal.Checkpoint;
import dev.caravan.api.journal.RunInfo;
import dev.caravan.api.journal.RunOutcome;
import dev.caravan.api.journal.TaskId;
import dev.caravan.api.journal.TaskRecord;
import dev.caravan.api.journal.TaskReport;
import dev.caravan.api.journal.TaskSpec;
import dev.caravan.api.journal.TaskState;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JdbcJournalTest {
    @TempDir
    Path dir;

    private static TaskSpec task(String key) {
        return new TaskSpec(TaskId.of("mem:a", "mem:b", "copy:" + key), "COPY", key, 10);
    }

    @Test
    void taskIdsAreDeterministic() {
        assertThat(TaskId.of("a", "b", "u")).isEqualTo(TaskId.of("a", "b", "u"));
        assertThat(TaskId.of("a", "b", "u")).isNotEqualTo(TaskId.of("a", "b", "v"));
        assertThat(TaskId.of("ab", "", "u")).isNotEqualTo(TaskId.of("a", "b", "u"));
    }

    @Test
    void aJournalThatCannotOpenFailsEveryUseWithTheOpeningErrorAndClosesQuietly() {
        JdbcJournal journal = JdbcJournal.open("jdbc:nosuchdriver:" + dir.resolve("j")); // connects in the background
        for (int use = 1; use <= 2; use++) {
            assertThatThrownBy(() -> journal.startRun("m", "d")).as("use %s", use)
                    .isInstanceOfSatisfying(MigrationException.class,
                            e -> assertThat(e.kind()).isEqualTo(ErrorKind.USER_CONFIG))
                    .hasMessageContaining("cannot open the journal at jdbc:nosuchdriver:");
        }
        assertThatThrownBy(journal::awaitOpen).isInstanceOf(MigrationException.class);
        journal.close();
    }

    @Test
    void anEmbeddedFileJournalWritesEachCommitAtOnceUnlessItsUrlSaysOtherwise() {
        assertThat(JournalDatabase.durable("jdbc:h2:/tmp/j"))
                .isEqualTo("jdbc:h2:/tmp/j;WRITE_DELAY=0;MAX_COMPACT_TIME=0");
        assertThat(JournalDatabase.durable("jdbc:h2:file:/tmp/j;AUTO_SERVER=TRUE"))
                .isEqualTo("jdbc:h2:file:/tmp/j;AUTO_SERVER=TRUE;WRITE_DELAY=0;MAX_COMPACT_TIME=0");
        assertThat(JournalDatabase.durable("jdbc:h2:file:/tmp/j;MAX_COMPACT_TIME=500")).contains("MAX_COMPACT_TIME=500")
                .doesNotContain("MAX_COMPACT_TIME=0");
        assertThat(JournalDatabase.durable("jdbc:h2:file:/tmp/j;write_delay=500")).contains("write_delay=500")
                .doesNotContain("WRITE_DELAY=0");
        assertThat(JournalDatabase.durable("jdbc:h2:mem:j")).isEqualTo("jdbc:h2:mem:j");
        assertThat(JournalDatabase.durable("jdbc:h2:tcp://localhost/j")).isEqualTo("jdbc:h2:tcp://localhost/j");
        assertThat(JournalDatabase.durable("jdbc:postgresql://localhost/j")).isEqualTo("jdbc:postgresql://localhost/j");
    }

    @Test
    void aJournalMadeBeforeTheSharedWorkerColumnsIsUpgradedOnOpen() throws java.sql.SQLException {
        String url = "jdbc:h2:file:" + dir.resolve("old");
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(url);
                java.sql.Statement st = c.createStatement()) { // the tables as the first release made them
            st.execute("CREATE TABLE caravan_run (run_id VARCHAR(64) PRIMARY KEY, migration_id VARCHAR(64) NOT NULL,"
                    + " description VARCHAR(4000), definition VARCHAR(1000000), started_at TIMESTAMP NOT NULL,"
                    + " finished_at TIMESTAMP, outcome VARCHAR(32), next_state VARCHAR(100000),"
                    + " generation INT NOT NULL)");
            st.execute("CREATE TABLE caravan_task (task_id CHAR(32) PRIMARY KEY, run_id VARCHAR(64) NOT NULL,"
                    + " action VARCHAR(16) NOT NULL, item VARCHAR(8000) NOT NULL, size BIGINT NOT NULL,"
                    + " state VARCHAR(16) NOT NULL, attempts INT NOT NULL, generation INT NOT NULL,"
                    + " bytes_done BIGINT NOT NULL, checkpoint VARCHAR(100000), report VARCHAR(100000),"
                    + " error VARCHAR(4000), error_kind VARCHAR(32), completed_by VARCHAR(64),"
                    + " updated_at TIMESTAMP NOT NULL)");
        }

        try (JdbcJournal j = JdbcJournal.open(url)) {
            RunInfo run = j.startRun("m1", "demo");
            j.plan(run.runId(), List.of(task("a"), task("b")).iterator());
            j.begin(run.runId(), task("a").id());
            j.complete(run.runId(), task("a").id(), new TaskReport(10, Map.of()));

            assertThat(j.task(task("a").id()).orElseThrow().state()).isEqualTo(TaskState.DONE);
            assertThat(j.task(task("b").id()).orElseThrow().state()).isEqualTo(TaskState.PENDING);
        }
    }

    @Test
    void unfinishedRunIsResumedAndSurvivesReopening() {
        String url = "jdbc:h2:file:" + dir.resolve("j");
        RunInfo first;
        try (JdbcJournal j = JdbcJournal.open(url)) {
            first = j.startRun("m1", "demo");
            j.plan(first.runId(), List.of(task("a"), task("b")).iterator());
            j.begin(first.runId(), task("a").id());
            j.checkpoint(task("a").id(), new Checkpoint(Map.of("copy.bytes", "5", "s3.uploadId", "u1")));
        }
        try (JdbcJournal j = JdbcJournal.open(url)) {
            RunInfo again = j.startRun("m1", "demo");
            assertThat(again.resumed()).isTrue();
            assertThat(again.runId()).isEqualTo(first.runId());
            j.plan(again.runId(), List.of(task("a"), task("b")).iterator());
            var a = j.task(task("a").id()).orElseThrow();
            assertThat(a.state()).isEqualTo(TaskState.PENDING);
            assertThat(a.attempts()).isEqualTo(1);
            assertThat(a.checkpoint().get("s3.uploadId")).isEqualTo("u1");
        }
    }

    /**
     * A later run takes over a task an earlier run failed (the same object, copied this time): the earlier run still
     * shows what it did when it ended, not "FAILED 0/0, 0 failed".
     */
    @Test
    void aFinishedRunKeepsItsCountsWhenALaterRunTakesOverItsTasks() {
        try (JdbcJournal j = JdbcJournal.open("jdbc:h2:mem:" + dir.getFileName() + "-kept")) {
            RunInfo first = j.startRun("m", "d");
            j.plan(first.runId(), List.of(task("ok"), task("bad")).iterator());
            j.complete(first.runId(), task("ok").id(), new TaskReport(10, Map.of()));
            j.fail(first.runId(), task("bad").id(), "USER_DATA", "refused");
            j.finishRun(first.runId(), RunOutcome.FAILED, Map.of());

            RunInfo second = j.startRun("m", "d");
            j.plan(second.runId(), List.of(task("bad")).iterator());
            j.complete(second.runId(), task("bad").id(), new TaskReport(10, Map.of()));
            j.finishRun(second.runId(), RunOutcome.COMPLETE, Map.of());

            RunSummary earlier = j.run(first.runId()).orElseThrow();
            assertThat(earlier.tasksTotal()).isEqualTo(2);
            assertThat(earlier.tasksDone()).isEqualTo(1);
            assertThat(earlier.tasksFailed()).isEqualTo(1);
            RunSummary later = j.run(second.runId()).orElseThrow();
            assertThat(later.tasksTotal()).isEqualTo(1);
            assertThat(later.tasksDone()).isEqualTo(1);
            assertThat(j.runs(5)).extracting(RunSummary::tasksFailed).containsExactlyInAnyOrder(1L, 0L);
        }
    }

    @Test
    void doneTasksStayDoneWithinARunAndObsoleteOnesAreSkipped() {
        try (JdbcJournal j = JdbcJournal.open("jdbc:h2:mem:" + dir.getFileName())) {
            RunInfo run = j.startRun("m", "d");
            j.plan(run.runId(), List.of(task("a"), task("b"), task("c")).iterator());
            j.begin(run.runId(), task("a").id());
            j.complete(run.runId(), task("a").id(), new TaskReport(10, Map.of("hash.sha256", "x")));

            j.plan(run.runId(), List.of(task("a"), task("b")).iterator());

            assertThat(j.task(task("a").id()).orElseThrow().state()).isEqualTo(TaskState.DONE);
            assertThat(j.task(task("b").id()).orElseThrow().state()).isEqualTo(TaskState.PENDING);
            assertThat(j.task(task("c").id()).orElseThrow().state()).isEqualTo(TaskState.SKIPPED);
            assertThat(j.run(run.runId()).orElseThrow().tasksDone()).isEqualTo(1);
            j.finishRun(run.runId(), RunOutcome.COMPLETE, Map.of("k", "v"));

            RunInfo next = j.startRun("m", "d");
            assertThat(next.resumed()).isFalse();
            assertThat(next.previousState()).containsEntry("k", "v");
            j.plan(next.runId(), List.of(task("a")).iterator());
            assertThat(j.task(task("a").id()).orElseThrow().state())
                    .as("a task done by an earlier, finished run is planned again when the diff needs it")
                    .isEqualTo(TaskState.PENDING);
        }
    }

    @Test
    void aFirstPlanHandsItsTasksOverFromMemoryExactlyAsTheJournalHoldsThemAndOnlyOnce() {
        try (JdbcJournal j = JdbcJournal.open("jdbc:h2:mem:fresh")) {
            RunInfo run = j.startRun("m", "d");
            j.plan(run.runId(), IntStream.range(0, 2345).mapToObj(i -> task("k" + i)).iterator());

            List<TaskRecord> fromMemory = j.freshTasks(run.runId()).orElseThrow().toList();
            List<TaskRecord> fromJournal;
            try (var s = j.tasks(run.runId(), EnumSet.of(TaskState.PENDING, TaskState.RUNNING, TaskState.FAILED))) {
                fromJournal = s.toList();
            }
            assertThat(fromMemory).hasSize(2345).containsExactlyInAnyOrderElementsOf(fromJournal);
            assertThat(j.freshTasks(run.runId())).as("once").isEmpty();

            // a plan that finds tasks in the journal (this run's, one of them done) is read back
            j.begin(run.runId(), task("k1").id());
            j.complete(run.runId(), task("k1").id(), new TaskReport(10, Map.of()));
            j.plan(run.runId(), IntStream.range(0, 3).mapToObj(i -> task("k" + i)).iterator());
            assertThat(j.freshTasks(run.runId())).isEmpty();
            j.plan(run.runId(), java.util.stream.Stream.of(task("k1"), task("new")).iterator());
            assertThat(j.freshTasks(run.runId())).as("one of its tasks is in the journal").isEmpty();
            assertThat(j.freshTasks("another run")).isEmpty();
        }
    }

    @Test
    void anEmbeddedJournalRewrittenOverAndOverStaysCompact() throws java.io.IOException {
        String url = "jdbc:h2:file:" + dir.resolve("c");
        Path file = dir.resolve("c.mv.db");
        long first = 0;
        System.setProperty("caravan.journal.compactAbove", "0"); // as if these few megabytes were gigabytes
        try {
            rewrite(url, file, 8);
            first = java.nio.file.Files.size(dir.resolve("c.first"));
        } finally {
            System.clearProperty("caravan.journal.compactAbove");
        }
        // the same 3,000 tasks rewritten eight times: H2's compaction on every close levels off at about 3.3 times the
        // first round's file, as this does; never compacting, the file holds every old version (9 times, and growing)
        assertThat(java.nio.file.Files.size(file)).isLessThan(5 * first);
    }

    @Test
    void onlyASparseFileAboveTheSizeIsCompacted() throws java.sql.SQLException {
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(
                JournalDatabase.durable("jdbc:h2:file:" + dir.resolve("s")))) {
            try (var st = c.createStatement()) {
                st.execute("CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(200))");
                st.execute("INSERT INTO t SELECT x, REPEAT('a', 100) FROM SYSTEM_RANGE(1, 2000)");
                for (int i = 0; i < 6; i++) {
                    st.execute("UPDATE t SET v = REPEAT('" + i + "', 100)");
                }
            }
            assertThat(H2Compaction.fileStore(c).getFileStore().getChunksFillRate())
                    .isLessThan(H2Compaction.BELOW_FILL_RATE);
            assertThat(H2Compaction.compactIfSparse(c)).as("a few megabytes: not compacted").isFalse();
            System.setProperty("caravan.journal.compactAbove", "0");
            try {
                assertThat(H2Compaction.compactIfSparse(c)).as("sparse and above the size: compacted").isTrue();
            } finally {
                System.clearProperty("caravan.journal.compactAbove");
            }
        }
    }

    /** Plans and completes the same 3,000 tasks {@code rounds} times, one run per open journal; keeps "X.first". */
    private void rewrite(String url, Path file, int rounds) throws java.io.IOException {
        for (int round = 0; round < rounds; round++) {
            try (JdbcJournal j = JdbcJournal.open(url)) {
                RunInfo run = j.startRun("m", "d");
                j.plan(run.runId(), IntStream.range(0, 3000).mapToObj(i -> task("k" + i)).iterator());
                for (int i = 0; i < 3000; i++) {
                    j.complete(run.runId(), task("k" + i).id(), new TaskReport(10, Map.of("hash.sha256", "x" + i)));
                }
                j.finishRun(run.runId(), RunOutcome.COMPLETE, Map.of());
            }
            if (round == 0) {
                java.nio.file.Files.copy(file, file.resolveSibling(file.getFileName().toString()
                        .replace(".mv.db", ".first")));
            }
        }
    }

    @Test
    void taskStreamsArePagedAndComplete() {
        try (JdbcJournal j = JdbcJournal.open("jdbc:h2:mem:paged")) {
            RunInfo run = j.startRun("m", "d");
            j.plan(run.runId(), IntStream.range(0, 2345).mapToObj(i -> task("k" + i)).iterator());
            try (var s = j.tasks(run.runId(), EnumSet.of(TaskState.PENDING))) {
                assertThat(s.count()).isEqualTo(2345);
            }
            assertThat(j.run(run.runId()).orElseThrow().bytesTotal()).isEqualTo(23450);
        }
    }

    @Test
    void aPlanMadeAloneIsWrittenBehindBeforeItsTasksTransfersAndAsPlanWouldWriteIt() throws Exception {
        String url = "jdbc:h2:" + dir.resolve("alone");
        String runId;
        try (JdbcJournal j = JdbcJournal.open(url)) {
            RunInfo run = j.startRun("m", "d");
            runId = run.runId();
            j.planAlone(runId, IntStream.range(0, 2345).mapToObj(i -> task("k" + i)).iterator());
            List<TaskRecord> fromMemory = j.freshTasks(runId).orElseThrow().toList();
            assertThat(fromMemory).hasSize(2345);
            // a transfer's writes are queued after the plan's rows: they find them, whenever the queue is written
            j.begin(runId, task("k7").id());
            j.complete(runId, task("k7").id(), new TaskReport(10, Map.of("hash.sha256", "x")));
            j.begin(runId, task("k8").id());
            j.fail(runId, task("k8").id(), "TRANSIENT", "boom"); // a synchronous write: the queue goes first
            assertThat(j.task(task("k7").id()).orElseThrow().state()).isEqualTo(TaskState.DONE);
            assertThat(j.task(task("k8").id()).orElseThrow().state()).isEqualTo(TaskState.FAILED);
            try (var open = j.tasks(runId, EnumSet.of(TaskState.PENDING, TaskState.RUNNING))) {
                assertThat(open.count()).isEqualTo(2343);
            }
        }
        try (JdbcJournal j = JdbcJournal.open(url)) {
            assertThat(j.run(runId).orElseThrow().tasksDone()).as("durable once written").isEqualTo(1);
            // the run again (resumed): the rows exist, so its plan is written before planAlone returns, and the
            // task this run did stays done
            RunInfo again = j.startRun("m", "d");
            assertThat(again.resumed()).isTrue();
            j.planAlone(again.runId(), IntStream.range(0, 10).mapToObj(i -> task("k" + i)).iterator());
            assertThat(j.freshTasks(again.runId())).isEmpty();
            assertThat(j.task(task("k7").id()).orElseThrow().state()).isEqualTo(TaskState.DONE);
            assertThat(j.task(task("k8").id()).orElseThrow().state()).isEqualTo(TaskState.PENDING);
            assertThat(j.task(task("k11").id()).orElseThrow().state()).as("not planned again").isEqualTo(
                    TaskState.SKIPPED);
        }
    }

    @Test
    void aResumedRunsNewPlanMadeAloneStillSkipsWhatItsEarlierPlanHad() {
        try (JdbcJournal j = JdbcJournal.open("jdbc:h2:mem:alone-resumed")) {
            RunInfo run = j.startRun("m", "d");
            j.planAlone(run.runId(), List.of(task("a"), task("b")).iterator()); // then killed: the run stays open
            RunInfo again = j.startRun("m", "d");
            assertThat(again.resumed()).isTrue();
            j.planAlone(again.runId(), List.of(task("x"), task("y")).iterator()); // all new to the journal
            assertThat(j.task(task("a").id()).orElseThrow().state()).isEqualTo(TaskState.SKIPPED);
            try (var open = j.tasks(again.runId(), EnumSet.of(TaskState.PENDING, TaskState.RUNNING))) {
                assertThat(open.map(t -> t.spec().item())).containsExactlyInAnyOrder("x", "y");
            }
        }
    }

    @Test
    void aPlanMadeAloneThatFindsTasksOfAnEarlierRunWritesThemAtOnce() {
        try (JdbcJournal j = JdbcJournal.open("jdbc:h2:mem:alone-again")) {
            RunInfo first = j.startRun("m", "d");
            j.plan(first.runId(), List.of(task("a"), task("b")).iterator());
            j.fail(first.runId(), task("b").id(), "TRANSIENT", "boom");
            j.finishRun(first.runId(), RunOutcome.FAILED, Map.of());

            RunInfo second = j.startRun("m", "d");
            j.planAlone(second.runId(), List.of(task("b"), task("c")).iterator());
            assertThat(j.freshTasks(second.runId())).as("b was in the journal").isEmpty();
            try (var open = j.tasks(second.runId(), EnumSet.of(TaskState.PENDING))) {
                assertThat(open.map(t -> t.spec().item())).containsExactlyInAnyOrder("b", "c");
            }
        }
    }

    @Test
    void aBeginStillQueuedIsAbsorbedByItsCompletionAndOneFlushedFirstIsKept() {
        try (JdbcJournal j = JdbcJournal.open("jdbc:h2:mem:absorb")) {
            RunInfo run = j.startRun("m", "d");
            j.plan(run.runId(), List.of(task("a"), task("b"), task("c")).iterator());
            // a: begun and completed within one flush interval (one UPDATE does both)
            j.begin(run.runId(), task("a").id());
            j.complete(run.runId(), task("a").id(), new TaskReport(10, Map.of("hash.sha256", "x")));
            // b: its begin is flushed (a synchronous call flushes the queue) before it completes
            j.begin(run.runId(), task("b").id());
            assertThat(j.task(task("b").id()).orElseThrow().state()).isEqualTo(TaskState.RUNNING);
            j.complete(run.runId(), task("b").id(), new TaskReport(10, Map.of()));
            // c: begun, then failed
            j.begin(run.runId(), task("c").id());
            j.fail(run.runId(), task("c").id(), "TRANSIENT", "boom");

            var a = j.task(task("a").id()).orElseThrow();
            assertThat(a.state()).isEqualTo(TaskState.DONE);
            assertThat(a.attempts()).isEqualTo(1);
            assertThat(a.report().values()).containsEntry("hash.sha256", "x").containsEntry("bytes", "10");
            var b = j.task(task("b").id()).orElseThrow();
            assertThat(b.state()).isEqualTo(TaskState.DONE);
            assertThat(b.attempts()).isEqualTo(1);
            var c = j.task(task("c").id()).orElseThrow();
            assertThat(c.state()).isEqualTo(TaskState.FAILED);
            assertThat(c.attempts()).isEqualTo(1);
            try (var done = j.completedBy(run.runId())) {
                assertThat(done.map(t -> t.spec().item())).containsExactlyInAnyOrder("a", "b");
            }
        }
    }

    @Test
    void checkpointsWrittenBehindKeepTheNewestAndNeverOvertakeACompletionOrAFailure() {
        String url = "jdbc:h2:file:" + dir.resolve("behind");
        String runId;
        try (JdbcJournal j = JdbcJournal.open(url)) {
            runId = j.startRun("m", "d").runId();
            j.plan(runId, List.of(task("a"), task("b"), task("c"), task("d")).iterator());
            for (String t : List.of("a", "b", "c", "d")) {
                j.begin(runId, task(t).id());
            }
            for (int i = 1; i <= 3; i++) {
                j.checkpointLater(task("a").id(), rows(i));
            }
            var a = j.task(task("a").id()).orElseThrow(); // a synchronous call writes what is queued
            assertThat(a.checkpoint().values()).containsEntry("n", "3");

            j.checkpointLater(task("a").id(), rows(4));
            j.complete(runId, task("a").id(), new TaskReport(4, Map.of()));
            j.checkpointLater(task("b").id(), rows(5));
            j.fail(runId, task("b").id(), "TRANSIENT", "boom");
            j.checkpointLater(task("c").id(), rows(6));
            j.checkpointLater(task("c").id(), rows(7));
            j.checkpoint(task("d").id(), rows(8));

            a = j.task(task("a").id()).orElseThrow();
            assertThat(a.state()).isEqualTo(TaskState.DONE);
            assertThat(a.checkpoint().get("n")).as("the completion (which clears it) came after the checkpoint")
                    .isNull();
            var b = j.task(task("b").id()).orElseThrow();
            assertThat(b.state()).isEqualTo(TaskState.FAILED);
            assertThat(b.checkpoint().values()).containsEntry("n", "5");
            j.checkpointLater(task("c").id(), rows(9));
        } // closing writes what is still queued
        try (JdbcJournal j = JdbcJournal.open(url)) {
            var c = j.task(task("c").id()).orElseThrow();
            assertThat(c.state()).isEqualTo(TaskState.RUNNING);
            assertThat(c.checkpoint().values()).containsEntry("n", "9");
            assertThat(j.task(task("d").id()).orElseThrow().checkpoint().values()).containsEntry("n", "8");
        }
    }

    private static Checkpoint rows(int n) {
        return new Checkpoint(Map.of("n", Integer.toString(n), "copy.bytes", Integer.toString(n)));
    }

    @Test
    void replanningWritesExistingTasksOnceAndAddsNewOnes() {
        try (JdbcJournal j = JdbcJournal.open("jdbc:h2:mem:replan")) {
            RunInfo run = j.startRun("m", "d");
            j.plan(run.runId(), IntStream.range(0, 1500).mapToObj(i -> task("k" + i)).iterator());
            j.begin(run.runId(), task("k7").id());
            j.complete(run.runId(), task("k7").id(), new TaskReport(10, Map.of()));
            // the same plan again plus 700 more (batches of 1,000 mix existing and new tasks)
            j.plan(run.runId(), IntStream.range(0, 2200).mapToObj(i -> task("k" + i)).iterator());
            assertThat(j.run(run.runId()).orElseThrow().tasksTotal()).isEqualTo(2200);
            assertThat(j.task(task("k7").id()).orElseThrow().state()).isEqualTo(TaskState.DONE);
            try (var open = j.tasks(run.runId(), EnumSet.of(TaskState.PENDING))) {
                assertThat(open.count()).isEqualTo(2199);
            }
        }
    }

    @Test
    void aBatchLookupReturnsExactlyWhatTaskReturnsForEachIdAndNothingForUnknownIds() {
        try (JdbcJournal j = JdbcJournal.open("jdbc:h2:mem:lookup")) {
            RunInfo run = j.startRun("m", "d");
            int planned = 2 * JdbcJournal.LOOKUP_BATCH + 123; // three queries
            j.plan(run.runId(), IntStream.range(0, planned).mapToObj(i -> task("k" + i)).iterator());
            for (int i = 0; i < planned; i += 7) {
                j.begin(run.runId(), task("k" + i).id());
                if (i % 2 == 0) {
                    j.complete(run.runId(), task("k" + i).id(), new TaskReport(10, Map.of("target.etag", "e" + i)));
                } else {
                    j.checkpoint(task("k" + i).id(), rows(i));
                }
            }
            j.fail(run.runId(), task("k3").id(), "TRANSIENT", "boom");
            List<TaskId> ids = new java.util.ArrayList<>();
            for (int i = 0; i < planned + 40; i++) { // 40 never planned
                ids.add(task("k" + i).id());
            }
            java.util.Collections.shuffle(ids, new java.util.Random(1)); // mixed in
            ids.add(task("k7").id()); // twice
            ids.add(task("never").id());

            Map<TaskId, dev.caravan.api.journal.TaskRecord> found = j.tasks(ids);

            assertThat(found).hasSize(planned);
            for (TaskId id : ids) {
                assertThat(Optional.ofNullable(found.get(id))).as(id.value()).isEqualTo(j.task(id));
            }
            assertThat(found.get(task("k14").id()).report().values()).containsEntry("target.etag", "e14");
            assertThat(found.get(task("k3").id()).state()).isEqualTo(TaskState.FAILED);
            assertThat(found).doesNotContainKey(task("never").id());
            assertThat(j.tasks(List.of())).isEmpty();
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> j.tasks(java.util.Arrays.asList(
                    task("k1").id(), null))).isInstanceOf(NullPointerException.class).hasMessageContaining("task id");
        }
    }

    @Test
    void reportMapsSurviveTheRoundTripWithAwkwardText() {
        Map<String, String> values = Map.of("quote\"key", "line\nbreak \u00e9\u6f22 \\ \"x\"", "empty", "");
        assertThat(JsonMaps.read(JsonMaps.write(values))).isEqualTo(values);
        assertThat(JsonMaps.write(Map.of())).isNull();
        assertThat(JsonMaps.read(null)).isEmpty();
        assertThat(JsonMaps.read("{\"a\":null,\"b\":\"1\"}")).containsEntry("a", null).containsEntry("b", "1");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> JsonMaps.read("[1]"))
                .hasMessageContaining("corrupt journal entry");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> JsonMaps.read("{\"a\":{\"b\":1}}"))
                .hasMessageContaining("corrupt journal entry");
    }

    /**
     * Work that reaches a shared embedded journal after its close (a run abandoned by a server's stop, finishing the
     * object it had in flight) is refused. It was taken for a host process gone away: the database was opened again,
     * with its own AUTO_SERVER listener and file lock, and kept open for good.
     */
    @Test
    void aClosedSharedJournalRefusesLateWorkInsteadOfOpeningTheDatabaseAgain() {
        String url = "jdbc:h2:file:" + dir.resolve("journal") + ";AUTO_SERVER=TRUE";
        JdbcJournal journal = JdbcJournal.open(url);
        String runId = journal.startRun("m", "before the close").runId();
        journal.close();

        assertThatThrownBy(() -> journal.startRun("m", "after the close")).isInstanceOf(MigrationException.class)
                .hasMessageContaining("closed");
        assertThat(dir.resolve("journal.lock.db")).as("no process holds the database").doesNotExist();
        try (JdbcJournal again = JdbcJournal.open(url)) {
            assertThat(again.run(runId)).isPresent();
        }
    }
}
