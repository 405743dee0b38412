package dev.caravan.core.journal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.api.journal.Checkpoint;
import dev.caravan.api.journal.RunInfo;
import dev.caravan.api.journal.RunOutcome;
import dev.caravan.api.journal.TaskId;
import dev.caravan.api.journal.TaskReport;
import dev.caravan.api.journal.TaskSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@link JournalPruning} removes, and what it keeps for the commands that read the journal later. */
class JournalPruningTest {
    private static final String OWNER = "test pid 1 #prune";

    @TempDir
    Path dir;

    private JdbcJournal journal;

    @BeforeEach
    void open() {
        journal = JdbcJournal.open("jdbc:h2:file:" + dir.resolve("journal"));
    }

    @AfterEach
    void close() {
        journal.close();
    }

    /** A version of an object: its task id pins key and version, as the planner's does. */
    private static TaskSpec copy(String key, int version) {
        return new TaskSpec(TaskId.of("mem:a", "etag:b", "copy:" + key + ":" + version), "COPY", key, 10);
    }

    private static TaskReport verified(String etag) {
        return new TaskReport(10, Map.of("verify.method", "sha256", "target.etag", etag, "target.size", "10",
                "hash.sha256", "ab"));
    }

    /** A finished run of migration {@code m} that copied {@code done} and failed {@code failed}. */
    private String run(String m, List<TaskSpec> done, List<TaskSpec> failed, RunOutcome outcome) {
        RunInfo run = journal.startRun(m, "migration " + m);
        journal.plan(run.runId(), java.util.stream.Stream.concat(done.stream(), failed.stream()).iterator());
        done.forEach(t -> journal.complete(run.runId(), t.id(), verified("e-" + t.id().value())));
        failed.forEach(t -> journal.fail(run.runId(), t.id(), "TRANSIENT", "broken"));
        journal.finishRun(run.runId(), outcome, Map.of("state", run.runId()));
        return run.runId();
    }

    private List<TaskSpec> versions(int version, int... keys) {
        return IntStream.of(keys).mapToObj(k -> copy("k" + k, version)).toList();
    }

    @Test
    void keepsTheNewestRecordOfEveryObjectAndRemovesWhatNothingReadsAgain() {
        String first = run("m", versions(1, 0, 1, 2, 3), List.of(), RunOutcome.COMPLETE);
        String failing = run("m", List.of(), versions(2, 1), RunOutcome.FAILED); // k1 v2 failed, no checkpoint
        String second = run("m", versions(2, 2), List.of(), RunOutcome.COMPLETE); // k2 v1 superseded
        String empty = run("m", List.of(), List.of(), RunOutcome.COMPLETE);
        String newest = run("m", List.of(), List.of(), RunOutcome.COMPLETE);

        JournalPruning.Result r = journal.pruning().prune(new JournalPruning.Retention(0, null), false, OWNER);

        assertThat(r.runs()).extracting(JournalPruning.PrunedRun::runId)
                .containsExactlyInAnyOrder(first, failing, second, empty);
        assertThat(r.tasksRemoved()).as("k1 v2 failed, k2 v1 superseded").isEqualTo(2);
        assertThat(journal.task(copy("k2", 1).id())).isEmpty();
        assertThat(journal.task(copy("k1", 2).id())).isEmpty();
        for (TaskSpec kept : List.of(copy("k0", 1), copy("k1", 1), copy("k2", 2), copy("k3", 1))) {
            assertThat(journal.task(kept.id())).as(kept.item()).hasValueSatisfying(t ->
                    assertThat(t.report().values()).containsEntry("target.etag", "e-" + kept.id().value()));
        }
        assertThat(journal.run(newest)).as("the newest complete run: its state starts the next run").isPresent();
        assertThat(journal.startRun("m", "again").previousState()).containsEntry("state", newest);
        assertThat(journal.run(failing)).as("nothing of it left").isEmpty();
        assertThat(journal.run(empty)).isEmpty();
        assertThat(journal.run(first)).as("the record of k0, k1, k3: its line and counts stay")
                .hasValueSatisfying(s -> assertThat(s.tasksDone()).isEqualTo(4));
    }

    @Test
    void neverTouchesUnfinishedRunsCheckpointsOrTheRunsKept() {
        TaskSpec resumable = copy("big", 1);
        String failed = run("m", List.of(), List.of(resumable), RunOutcome.FAILED);
        journal.checkpoint(resumable.id(), new Checkpoint(Map.of("s3.uploadId", "u1", "copy.bytes", "5")));
        String keptWhole = run("m", List.of(), versions(1, 7), RunOutcome.FAILED);
        RunInfo unfinished = journal.startRun("m", "killed");
        journal.plan(unfinished.runId(), versions(1, 9).iterator());
        journal.fail(unfinished.runId(), copy("k9", 1).id(), "TRANSIENT", "killed");

        JournalPruning.Result r = journal.pruning().prune(new JournalPruning.Retention(1, null), false, OWNER);

        assertThat(r.runs()).extracting(JournalPruning.PrunedRun::runId).containsExactly(failed);
        assertThat(journal.task(resumable.id())).as("the next run goes on from its upload")
                .hasValueSatisfying(t -> assertThat(t.checkpoint().get("s3.uploadId")).isEqualTo("u1"));
        assertThat(journal.task(copy("k7", 1).id())).as("in a run kept whole").isPresent();
        assertThat(journal.task(copy("k9", 1).id())).as("in the unfinished run").isPresent();
        assertThat(journal.run(unfinished.runId())).hasValueSatisfying(s -> assertThat(s.finishedAt()).isNull());
        assertThat(journal.run(keptWhole)).isPresent();
    }

    @Test
    void aDryRunWritesNothingAndAgeAndHoldsAreRespected() {
        String old = run("m", List.of(), versions(1, 1), RunOutcome.FAILED);
        run("m", List.of(), List.of(), RunOutcome.COMPLETE);
        String other = run("held", List.of(), versions(1, 2), RunOutcome.FAILED);
        run("held", List.of(), List.of(), RunOutcome.COMPLETE);

        assertThat(journal.pruning().prune(new JournalPruning.Retention(0, Duration.ofDays(1)), false, OWNER).runs())
                .as("nothing finished a day ago").isEmpty();

        JournalPruning.Result dry = journal.pruning().prune(new JournalPruning.Retention(0, null), true, OWNER);
        assertThat(dry.runs()).extracting(JournalPruning.PrunedRun::runId).containsExactlyInAnyOrder(old, other);
        assertThat(dry.tasksRemoved()).isEqualTo(2);
        assertThat(journal.run(old)).isPresent();
        assertThat(journal.task(copy("k1", 1).id())).isPresent();

        assertThat(journal.migrationOwners().take("held", "host pid 2 #x", Duration.ofMinutes(1), o -> false))
                .isEmpty();
        JournalPruning.Result r = journal.pruning().prune(new JournalPruning.Retention(0, null), false, OWNER);
        assertThat(r.heldMigrations()).containsExactly("held");
        assertThat(r.runs()).extracting(JournalPruning.PrunedRun::runId).containsExactly(old);
        assertThat(journal.run(other)).isPresent();
        assertThat(journal.migrationOwners().holder("held")).map(MigrationOwners.Holder::owner)
                .isEqualTo(Optional.of("host pid 2 #x"));
        assertThat(journal.migrationOwners().holder("m")).as("the prune's own hold is gone").isEmpty();
    }

    @Test
    void removesTheRowsOfManyRunsAndCompactsTheFile() throws Exception {
        for (int i = 0; i < 6; i++) {
            int v = i;
            run("m", IntStream.range(0, 3000).mapToObj(k -> copy("dir/key-" + k + "-" + "x".repeat(60), v)).toList(),
                    List.of(), RunOutcome.COMPLETE);
        }
        journal.awaitWritten();
        Path file = dir.resolve("journal.mv.db");
        long before = Files.size(file);

        JournalPruning.Result r = journal.pruning().prune(new JournalPruning.Retention(1, null), false, OWNER);
        long after = journal.compactNow();

        assertThat(r.tasksRemoved()).isEqualTo(5 * 3000);
        assertThat(r.runsRemoved()).isEqualTo(5);
        assertThat(after).as("before %s", before).isPositive().isLessThanOrEqualTo(before);
        assertThat(JdbcJournal.open("jdbc:h2:mem:x").compactNow()).as("not an H2 file").isEqualTo(-1);
    }
}
