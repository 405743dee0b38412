package dev.caravan.core.engine;

import dev.caravan.api.journal.Checkpoint;
import dev.caravan.api.journal.Journal;
import dev.caravan.api.journal.RunInfo;
import dev.caravan.api.journal.RunOutcome;
import dev.caravan.api.journal.TaskId;
import dev.caravan.api.journal.TaskRecord;
import dev.caravan.api.journal.TaskReport;
import dev.caravan.api.journal.TaskSpec;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;

/**
 * The journal as the copies into a backup dir see it ({@link Backups}): each copy runs under the id of the task that
 * deletes or overwrites the original, and its checkpoints (a multipart upload's id and finished parts, see
 * {@link MultipartCopy}) are kept in that task's checkpoint under {@link #PREFIX} ({@code backup.mpu.uploadId}, ...),
 * so that a killed or cut-off run's next run continues the upload from its parts, and {@code caravan cleanup} keeps
 * it ({@link dev.caravan.core.journal.TaskUploads#UPLOAD_ID_SUFFIX}). Its checkpoints replace only those entries: the
 * task's own (its own upload's, see {@link MultipartCopy}) stay. Everything else goes to the run's journal as it is.
 * Thread-safe as the journal it wraps.
 */
final class BackupCheckpoints implements Journal {
    /** Prefix of a backup copy's checkpoint keys within its task's checkpoint. */
    static final String PREFIX = "backup.";

    private final Journal journal;

    BackupCheckpoints(Journal journal) {
        this.journal = journal;
    }

    /** The backup copy's own checkpoint within {@code task}'s: its {@link #PREFIX}ed entries, the prefix removed. */
    static Checkpoint of(Checkpoint task) {
        Map<String, String> own = new HashMap<>();
        task.values().forEach((k, v) -> {
            if (k.startsWith(PREFIX)) {
                own.put(k.substring(PREFIX.length()), v);
            }
        });
        return own.isEmpty() ? Checkpoint.EMPTY : new Checkpoint(own);
    }

    /**
     * {@code task}'s checkpoint with the backup copy's entries replaced by {@code own} (its own keys, unprefixed;
     * {@link Checkpoint#EMPTY} drops them), the task's other entries (its own upload's) kept as they are.
     */
    static Checkpoint merged(Checkpoint task, Checkpoint own) {
        Map<String, String> out = new HashMap<>();
        task.values().forEach((k, v) -> {
            if (!k.startsWith(PREFIX)) {
                out.put(k, v);
            }
        });
        own.values().forEach((k, v) -> out.put(PREFIX + k, v));
        return out.isEmpty() ? Checkpoint.EMPTY : new Checkpoint(out);
    }

    /** Replaces the backup copy's entries of the task's checkpoint with {@code checkpoint}, keeping the task's own. */
    @Override
    public void checkpoint(TaskId id, Checkpoint checkpoint) {
        journal.checkpoint(id, withTasksOwn(id, checkpoint));
    }

    /** As {@link #checkpoint}, queued (the task's own entries are read now, once the queue is written). */
    @Override
    public void checkpointLater(TaskId id, Checkpoint checkpoint) {
        journal.checkpointLater(id, withTasksOwn(id, checkpoint));
    }

    /**
     * The backup copy's {@code own} entries with those of the task's checkpoint that are not the backup copy's (its own
     * upload's, an interrupted replacement's), read back from the journal: a kill during the backup copy, or its end,
     * does not lose them. The task does nothing else while its backup copy runs, so nothing writes them meanwhile.
     */
    private Checkpoint withTasksOwn(TaskId id, Checkpoint own) {
        Checkpoint task = journal.task(id).map(TaskRecord::checkpoint).orElse(Checkpoint.EMPTY);
        return merged(task == null ? Checkpoint.EMPTY : task, own);
    }

    @Override
    public RunInfo startRun(String migrationId, String description) {
        return journal.startRun(migrationId, description);
    }

    @Override
    public void plan(String runId, Iterator<TaskSpec> tasks) {
        journal.plan(runId, tasks);
    }

    @Override
    public Optional<TaskRecord> task(TaskId id) {
        return journal.task(id);
    }

    @Override
    public void begin(String runId, TaskId id) {
        journal.begin(runId, id);
    }

    @Override
    public void complete(String runId, TaskId id, TaskReport report) {
        journal.complete(runId, id, report);
    }

    @Override
    public void fail(String runId, TaskId id, String errorKind, String message) {
        journal.fail(runId, id, errorKind, message);
    }

    @Override
    public void finishRun(String runId, RunOutcome outcome, Map<String, String> nextRunState) {
        journal.finishRun(runId, outcome, nextRunState);
    }

    @Override
    public void close() {
        journal.close();
    }
}
