package dev.caravan.api.journal;

import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The durable record of runs and tasks, so a killed run resumes with nothing lost and nothing done twice.
 * Implementations are thread-safe and every method is durable when it returns. Queries for status and reports
 * live in the engine, not here.
 */
public interface Journal extends AutoCloseable {

    /**
     * Starts a run of a migration, or takes up its newest unfinished run (then {@link RunInfo#resumed()} is true).
     */
    RunInfo startRun(String migrationId, String description);

    /**
     * Records the tasks of a (re-)plan. New tasks become {@link TaskState#PENDING}; known tasks keep their state
     * (a {@code DONE} task is never planned again); unfinished tasks of this run that the new plan no longer
     * contains become {@link TaskState#SKIPPED}.
     */
    void plan(String runId, Iterator<TaskSpec> tasks);

    /** The task's record, or empty when it was never planned. */
    Optional<TaskRecord> task(TaskId id);

    /**
     * The records of several tasks at once, as {@link #task} gives them one by one: an entry for each id that was
     * planned, none for the others (an id given twice is looked up once; the map's order means nothing). A journal in
     * a database answers in a few queries instead of one per id. The default asks {@link #task} per id.
     *
     * @throws NullPointerException if {@code ids} is or holds {@code null}
     */
    default Map<TaskId, TaskRecord> tasks(Collection<TaskId> ids) {
        Objects.requireNonNull(ids, "ids");
        Map<TaskId, TaskRecord> found = new HashMap<>();
        for (TaskId id : ids) {
            Objects.requireNonNull(id, "a task id in ids");
            if (!found.containsKey(id)) {
                task(id).ifPresent(r -> found.put(id, r));
            }
        }
        return found;
    }

    /** Marks a task running (counts an attempt). */
    void begin(String runId, TaskId id);

    /**
     * Counts {@code count} more tries of a task {@link #begin begun} once: the retries within one run, so that its
     * attempts say how often it was tried. The default counts nothing.
     */
    default void retried(TaskId id, int count) {
    }

    /** Stores resume state for a running task. */
    void checkpoint(TaskId id, Checkpoint checkpoint);

    /**
     * Stores resume state for a running task, possibly after returning: the journal may write it behind, keeping only
     * the newest of a task's checkpoints still waiting, but never after a later {@link #complete} or {@link #fail} of
     * the task and never later than {@link #finishRun} or {@link #close}. Only for callers that resume correctly from
     * an older checkpoint than the last one stored (a record split discards what its target holds past its
     * checkpoint). The default stores it at once, like {@link #checkpoint}.
     */
    default void checkpointLater(TaskId id, Checkpoint checkpoint) {
        checkpoint(id, checkpoint);
    }

    /** Marks a task done and verified, with its report. */
    void complete(String runId, TaskId id, TaskReport report);

    /** Marks a task failed, with the error kind and message. */
    void fail(String runId, TaskId id, String errorKind, String message);

    /** Ends a run, keeping {@code nextRunState} for the next incremental run of the same migration. */
    void finishRun(String runId, RunOutcome outcome, Map<String, String> nextRunState);

    @Override
    void close();
}
