package dev.caravan.core.journal;

import dev.caravan.api.journal.TaskRecord;
import dev.caravan.api.journal.TaskState;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/** Read-side queries over the journal for status, progress, reports and the task runner. */
public interface JournalQueries {
    /** Newest runs first. */
    List<RunSummary> runs(int limit);

    Optional<RunSummary> run(String runId);

    /** The stored migration definition of a run (JSON, secrets masked), for {@code caravan resume}. */
    Optional<String> definition(String runId);

    /**
     * Tasks of a run in the given states, in task-id order, read page by page (bounded memory). Close the
     * stream.
     */
    Stream<TaskRecord> tasks(String runId, Set<TaskState> states);

    /** Tasks completed by this run (not by an earlier one), page by page. Close the stream. */
    Stream<TaskRecord> completedBy(String runId);

    /**
     * What the run warned of, as every worker that took part noted it ({@link RunWarnings#of}): each once, in the order
     * first noted; empty for none.
     */
    List<String> warnings(String runId);
}
