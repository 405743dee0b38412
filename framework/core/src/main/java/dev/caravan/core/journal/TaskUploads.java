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

/**
 * Which tasks recorded an upload on a store in their checkpoint (a multipart upload's id, see
 * {@link #UPLOAD_ID_SUFFIX}): a small table, {@code caravan_task_upload}, with a row per such task, so that finding
 * the uploads no task continues any more ({@link #superseded}) reads those few rows, not every task of the migration.
 * A row is added with the checkpoint that records the upload ({@link JdbcJournal#checkpoint}); rows whose task is done
 * or holds no checkpoint any more are dropped by {@link #superseded}. Thread-safe.
 */
public final class TaskUploads {
    /** A checkpoint key ending in this records an upload's id ({@code mpu.uploadId}, {@code backup.mpu.uploadId}). */
    public static final String UPLOAD_ID_SUFFIX = "mpu.uploadId";

    static final String TABLE_DDL = "CREATE TABLE IF NOT EXISTS caravan_task_upload (task_id VARCHAR(32) PRIMARY KEY)";
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
        return db.call(c -> {
            try (PreparedStatement drop = c.prepareStatement("DELETE FROM caravan_task_upload u WHERE NOT EXISTS"
                    + " (SELECT 1 FROM caravan_task t WHERE t.task_id = u.task_id AND t.state <> 'DONE'"
                    + " AND t.checkpoint IS NOT NULL)")) {
                drop.executeUpdate();
            }
            List<TaskRecord> found = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT " + JdbcJournal.TASK_COLUMNS + " FROM caravan_task"
                    + " WHERE task_id IN (SELECT task_id FROM caravan_task_upload) AND state <> 'DONE'"
                    + " AND checkpoint IS NOT NULL"
                    + " AND run_id IN (SELECT run_id FROM caravan_run WHERE migration_id = ?)"
                    + " AND NOT (run_id = ? AND generation = (SELECT generation FROM caravan_run WHERE run_id = ?))")) {
                JdbcJournal.bind(ps, migrationId, runId, runId);
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
