package dev.caravan.core.journal;

import dev.caravan.api.journal.Checkpoint;
import dev.caravan.api.journal.TaskId;
import dev.caravan.api.journal.TaskRecord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Which tasks recorded an upload on a store in their checkpoint (a multipart upload's id, see
 * {@link #UPLOAD_ID_SUFFIX}): a small table, {@code caravan_task_upload}, with a row per such task, so that finding
 * the uploads no task continues any more ({@link #superseded}) reads those few rows, not every task of the migration.
 * A row is added with the checkpoint that records the upload ({@link JdbcJournal#checkpoint}), and for every such task
 * of a journal of an earlier version when the table is made ({@link SchemaUpgrades}); rows whose task is done or holds
 * no checkpoint any more are dropped by {@link #superseded}. Thread-safe.
 */
public final class TaskUploads {
    /** A checkpoint key ending in this records an upload's id ({@code mpu.uploadId}, {@code backup.mpu.uploadId}). */
    public static final String UPLOAD_ID_SUFFIX = "mpu.uploadId";
    /** With the prefix of an {@link #UPLOAD_ID_SUFFIX} key: the key of the object the upload writes. */
    public static final String UPLOAD_KEY_SUFFIX = "mpu.key";
    /** With the prefix of an {@link #UPLOAD_ID_SUFFIX} key: the store it was begun on (its {@code uri()}). */
    public static final String UPLOAD_STORE_SUFFIX = "mpu.store";

    static final String TABLE_DDL = "CREATE TABLE IF NOT EXISTS caravan_task_upload (task_id VARCHAR(32) PRIMARY KEY)";
    /** Marks every task not done whose checkpoint records an upload: once, when the table is made. */
    static final String MARK_RECORDED = "INSERT INTO caravan_task_upload (task_id) SELECT task_id FROM caravan_task"
            + " WHERE state <> 'DONE' AND checkpoint LIKE '%" + UPLOAD_ID_SUFFIX + "%'";
    /** Adds the task's row unless it has one (a plain statement for H2 and PostgreSQL alike). */
    static final String MARK = "INSERT INTO caravan_task_upload (task_id) SELECT CAST(? AS VARCHAR(32))"
            + " WHERE NOT EXISTS (SELECT 1 FROM caravan_task_upload WHERE task_id = ?)";

    private final JournalDatabase db;

    TaskUploads(JournalDatabase db) {
        this.db = db;
    }

    /** Whether {@code checkpoint} records an upload's id. */
    static boolean recordsUpload(Checkpoint checkpoint) {
        for (String key : checkpoint.values().keySet()) {
            if (key.endsWith(UPLOAD_ID_SUFFIX)) {
                return true;
            }
        }
        return false;
    }

    /** Marks {@code id} as a task whose checkpoint records an upload, on {@code c}. */
    static void mark(Connection c, TaskId id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(MARK)) {
            ps.setString(1, id.value());
            ps.setString(2, id.value());
            ps.executeUpdate();
        }
    }

    /**
     * The tasks of migration {@code migrationId} whose checkpoint records an upload that no task will continue: not
     * done, and not in the current plan of {@code runId} (the run's newest generation), so set skipped by a plan made
     * again, or left failed or unfinished by an earlier run whose task the current plan did not repeat (the object
     * changed or went away since). Reads only the tasks marked as recording an upload; drops the marks of tasks that no
     * longer record one (done since, or forgotten).
     */
    public List<TaskRecord> superseded(String migrationId, String runId) {
        return marked(" AND run_id IN (SELECT run_id FROM caravan_run WHERE migration_id = ?)"
                + " AND NOT (run_id = ? AND generation = (SELECT generation FROM caravan_run WHERE run_id = ?))",
                migrationId, runId, runId);
    }

    /**
     * The tasks of the current plan of {@code runId} (its newest generation) whose checkpoint records an upload, not
     * done: whichever run recorded it (a plan takes over the task of another migration of the same source and target,
     * checkpoint and all), so the caller can tell the uploads its tasks cannot go on with (recorded under a key they
     * no longer write). Reads only the tasks marked as recording an upload.
     */
    public List<TaskRecord> planned(String runId) {
        return marked(" AND run_id = ? AND generation = (SELECT generation FROM caravan_run WHERE run_id = ?)",
                runId, runId);
    }

    /** The marked tasks not done that hold a checkpoint and meet {@code condition}; drops stale marks first. */
    private List<TaskRecord> marked(String condition, Object... args) {
        return db.call(c -> {
            try (PreparedStatement drop = c.prepareStatement("DELETE FROM caravan_task_upload u WHERE NOT EXISTS"
                    + " (SELECT 1 FROM caravan_task t WHERE t.task_id = u.task_id AND t.state <> 'DONE'"
                    + " AND t.checkpoint IS NOT NULL)")) {
                drop.executeUpdate();
            }
            List<TaskRecord> found = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT " + JdbcJournal.TASK_COLUMNS + " FROM caravan_task"
                    + " WHERE task_id IN (SELECT task_id FROM caravan_task_upload) AND state <> 'DONE'"
                    + " AND checkpoint IS NOT NULL" + condition)) {
                JdbcJournal.bind(ps, args);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        found.add(JournalReader.taskRecord(rs));
                    }
                }
            }
            return found;
        });
    }

    /**
     * The tasks not done whose checkpoint records an upload and whose run is of another migration than
     * {@code migrationId} (another source, target, mode, filters or key map): uploads that migration may still go on
     * from, which no run of {@code migrationId} continues or aborts. Reads only the tasks marked as recording an upload.
     */
    public List<TaskRecord> others(String migrationId) {
        return marked(" AND run_id IN (SELECT run_id FROM caravan_run WHERE migration_id <> ?)", migrationId);
    }

    /**
     * An upload a task's checkpoint records.
     *
     * @param task        the task
     * @param uploadId    the store's id of the upload
     * @param continued   whether a run goes on from it: its task is open (pending, running or failed) in the current
     *                    plan of its migration's newest run; else it was superseded (skipped, or left out of a later
     *                    plan)
     * @param migrationId the migration of the task's run; null when not known
     * @param key         the key of the object it writes, relative to {@code store}; null when not recorded
     * @param store       the store it was begun on ({@code uri()}); null when not recorded (journals of earlier
     *                    versions)
     */
    public record Recorded(TaskId task, String uploadId, boolean continued, String migrationId, String key,
            String store) {
    }

    /**
     * Every upload the tasks' checkpoints record, of any migration (for {@code caravan cleanup}; reads each checkpoint
     * that mentions an upload, not only the marked tasks, so that journals written before the marks are seen too).
     */
    public List<Recorded> recorded() {
        return db.call(c -> {
            List<Recorded> found = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT t.task_id, t.checkpoint,"
                    + " CASE WHEN t.state IN ('PENDING', 'RUNNING', 'FAILED') AND t.generation = r.generation"
                    + " AND r.started_at = (SELECT MAX(n.started_at) FROM caravan_run n"
                    + " WHERE n.migration_id = r.migration_id) THEN 1 ELSE 0 END, r.migration_id"
                    + " FROM caravan_task t LEFT JOIN caravan_run r ON r.run_id = t.run_id"
                    + " WHERE t.checkpoint IS NOT NULL AND t.checkpoint LIKE ?")) {
                ps.setString(1, "%" + UPLOAD_ID_SUFFIX + "%"); // narrows the rows; the JSON decides
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        TaskId task = new TaskId(rs.getString(1));
                        boolean continued = rs.getInt(3) == 1;
                        String migration = rs.getString(4);
                        Map<String, String> cp = JsonMaps.read(rs.getString(2));
                        cp.forEach((key, value) -> {
                            if (key.endsWith(UPLOAD_ID_SUFFIX)) {
                                String prefix = key.substring(0, key.length() - UPLOAD_ID_SUFFIX.length());
                                found.add(new Recorded(task, value, continued, migration,
                                        cp.get(prefix + UPLOAD_KEY_SUFFIX), cp.get(prefix + UPLOAD_STORE_SUFFIX)));
                            }
                        });
                    }
                }
            }
            return found;
        });
    }

    /**
     * Forgets the uploads {@code id}'s checkpoint records, once they were aborted: its checkpoint is cleared and its
     * mark dropped, so neither a later run nor {@code caravan cleanup} looks at it again.
     */
    public void forget(TaskId id) {
        db.call(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE caravan_task SET checkpoint = NULL, bytes_done = 0"
                    + " WHERE task_id = ? AND state <> 'DONE'");
                    PreparedStatement drop = c.prepareStatement("DELETE FROM caravan_task_upload WHERE task_id = ?")) {
                ps.setString(1, id.value());
                ps.executeUpdate();
                drop.setString(1, id.value());
                return drop.executeUpdate();
            }
        });
    }
}
