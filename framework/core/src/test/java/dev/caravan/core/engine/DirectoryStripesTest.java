package dev.caravan.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.caravan.api.journal.Checkpoint;
import dev.caravan.api.journal.TaskId;
import dev.caravan.api.journal.TaskRecord;
import dev.caravan.api.journal.TaskSpec;
import dev.caravan.api.journal.TaskState;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class DirectoryStripesTest {
    private static List<TaskRecord> tasks(String... keys) {
        return Stream.of(keys).map(k -> new TaskRecord(new TaskSpec(TaskId.of("a", "b", k), "COPY", k, 1), "run",
                TaskState.PENDING, 0, Checkpoint.EMPTY, null, null)).toList();
    }

    private static List<String> keys(List<TaskRecord> tasks) {
        return tasks.stream().map(t -> t.spec().item()).toList();
    }

    @Test
    void takesOneTaskOfEachDirectoryInTurnKeepingEachDirectorysOrder() {
        List<TaskRecord> sorted = tasks("a/1", "a/2", "a/3", "b/1", "b/x/1", "b/x/2", "c", "d");
        assertEquals(List.of("a/1", "b/1", "b/x/1", "c", "a/2", "b/x/2", "d", "a/3"),
                keys(DirectoryStripes.interleave(sorted)));
    }

    @Test
    void leavesASingleDirectoryAsItIs() {
        List<TaskRecord> flat = tasks("1", "2", "3");
        assertSame(flat, DirectoryStripes.interleave(flat));
        assertEquals(List.of(), DirectoryStripes.interleave(List.of()));
    }
}
