package dev.caravan.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.api.journal.RunOutcome;
import dev.caravan.api.journal.TaskRecord;
import dev.caravan.api.journal.TaskState;
import dev.caravan.core.plan.MigrationSpec;
import dev.caravan.core.plan.Mode;
import java.time.Duration;
import java.util.EnumSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A sync to a file tree whose target has a file where the source now has a folder, or the other way round. */
class SyncFileTreeTest extends EngineTestBase {
    @BeforeEach
    void setUp() {
        dst.fileTree = true;
    }

    private RunResult run(Mode mode) {
        return engine.run(MigrationSpec.builder("mem:src", "mem:dst").mode(mode).retryBaseDelay(Duration.ofMillis(1))
                .build(), ProgressListener.NONE);
    }

    @Test
    void aSyncReplacesAFileWithAFolderOfTheSameNameAndAFolderWithAFile() {
        src.add("logs/today.txt", bytes("the file became a folder"), T0);
        src.add("notes", bytes("the folder became a file"), T0);
        dst.add("logs", bytes("old file"), T0);
        dst.add("notes/a.txt", bytes("old a"), T0);
        dst.add("notes/b.txt", bytes("old b"), T0);

        RunResult r = run(Mode.SYNC);

        assertThat(r.outcome()).as(r.errors().toString()).isEqualTo(RunOutcome.COMPLETE);
        assertThat(r.failed()).isZero();
        assertThat(r.copied()).isEqualTo(2);
        assertThat(r.deleted()).isEqualTo(3);
        assertThat(dst.objects().keySet()).containsExactly("logs/today.txt", "notes");
        assertThat(dst.bytes("logs/today.txt")).isEqualTo(bytes("the file became a folder"));
        assertThat(dst.bytes("notes")).isEqualTo(bytes("the folder became a file"));
    }

    @Test
    void aCopyKeepsWhatIsInTheWayAndFailsThatObject() {
        src.add("logs/today.txt", bytes("new"), T0);
        src.add("other.txt", bytes("fine"), T0);
        dst.add("logs", bytes("old file"), T0);

        RunResult r = run(Mode.COPY);

        assertThat(r.outcome()).isEqualTo(RunOutcome.FAILED);
        assertThat(r.failed()).isEqualTo(1);
        assertThat(r.errors()).anyMatch(e -> e.contains("a file and a directory clash at logs"));
        assertThat(dst.objects().keySet()).containsExactly("logs", "other.txt");
    }

    @Test
    void aClashWithinTheSourceFailsOnceTheDeletionsHaveRun() {
        src.add("a", bytes("a file"), T0);
        src.add("a/b", bytes("under a folder of that name"), T0);
        dst.add("stale.txt", bytes("not on the source"), T0);

        RunResult r = run(Mode.SYNC);

        assertThat(r.outcome()).isEqualTo(RunOutcome.FAILED);
        assertThat(r.failed()).isEqualTo(1);
        assertThat(r.copied()).isEqualTo(1);
        // the failure is a clash on the target, not a sign of an incomplete listing: the deletions ran
        assertThat(dst.objects()).doesNotContainKey("stale.txt");
        try (Stream<TaskRecord> open = engine.journal().tasks(r.runId(), EnumSet.of(TaskState.RUNNING,
                TaskState.PENDING))) {
            assertThat(open.count()).as("no task left open").isZero();
        }
    }

    @Test
    void aClashWithinTheSourceIsAFailureEvenWithNothingToDelete() {
        src.add("a", bytes("a file"), T0);
        src.add("a/b", bytes("under a folder of that name"), T0);

        RunResult r = run(Mode.SYNC);

        assertThat(r.outcome()).isEqualTo(RunOutcome.FAILED);
        assertThat(r.failed()).isEqualTo(1);
        assertThat(r.exitCode()).isEqualTo(1);
    }
}
