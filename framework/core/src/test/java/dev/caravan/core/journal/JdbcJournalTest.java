package dev.caravan.core.journal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.api.journal.Checkpoint;
import dev.caravan.api.journal.RunInfo;
import dev.caravan.api.journal.RunOutcome;
import dev.caravan.api.journal.TaskId;
import dev.caravan.api.journal.TaskReport;
import dev.caravan.api.journal.TaskSpec;
import dev.caravan.api.journal.TaskState;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
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
}
