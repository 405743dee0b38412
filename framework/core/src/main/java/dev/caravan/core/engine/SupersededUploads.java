package dev.caravan.core.engine;

import dev.caravan.api.journal.Checkpoint;
import dev.caravan.api.journal.TaskRecord;
import dev.caravan.api.store.MultipartUpload;
import dev.caravan.api.store.ObjectStore;
import dev.caravan.core.journal.JdbcJournal;
import dev.caravan.core.plan.KeyMap;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Aborts the uploads that tasks of a migration recorded in their checkpoints ({@link MultipartCopy}) and that no task
 * continues any more: a run killed or failed mid-object, whose object then changed or went away on the source, leaves
 * a task the plan made again does not repeat (it plans another task for the new version, or none), so nothing would
 * ever complete or abort that upload, and the store would keep (and bill) its parts. Run once the run's plan is in the
 * journal; it reads only the tasks marked as recording an upload ({@link dev.caravan.core.journal.TaskUploads}), so a
 * run that finds none costs one small query and no request. An upload that cannot be aborted now (the store refused)
 * stays recorded, for the next run or {@code caravan cleanup}.
 */
final class SupersededUploads {
    private static final Logger LOG = LoggerFactory.getLogger(SupersededUploads.class);

    private SupersededUploads() {
    }

    /**
     * Aborts the superseded uploads of migration {@code migrationId}, whose current run is {@code runId}, on
     * {@code target} (under the key the checkpoint records, or else the one {@code keyMap} gives the task's item) and
     * on the backup dir's store ({@code backups}, null without one); returns how many were aborted. A task whose
     * uploads were all aborted has its checkpoint cleared.
     */
    static int abort(JdbcJournal journal, String migrationId, String runId, ObjectStore target, KeyMap keyMap,
            Backups backups) {
        int aborted = 0;
        for (TaskRecord task : journal.uploads().superseded(migrationId, runId)) {
            Checkpoint cp = task.checkpoint();
            Optional<Boolean> own = abort(cp, "", target, () -> keyMap.target(task.spec().item()), task);
            // a backup copy's upload is aborted under the key it recorded only: the backup dir's names may change
            Optional<Boolean> kept = abort(cp, BackupCheckpoints.PREFIX, backups == null ? null : backups.store(),
                    null, task);
            if (own.orElse(true) && kept.orElse(true)) {
                journal.uploads().forget(task.spec().id());
            }
            aborted += (own.orElse(false) ? 1 : 0) + (kept.orElse(false) ? 1 : 0);
        }
        return aborted;
    }

    /**
     * Aborts the upload {@code cp} records under {@code prefix} on {@code store}, under the key it records or else
     * {@code plannedKey}: empty when it records none; else whether it was aborted ({@code false}: the store refused,
     * cannot abort uploads, or is not open ({@code null}), or the upload's key is not known).
     */
    private static Optional<Boolean> abort(Checkpoint cp, String prefix, ObjectStore store,
            Supplier<String> plannedKey, TaskRecord task) {
        String id = cp.get(prefix + MultipartCopy.UPLOAD_ID);
        if (id == null) {
            return Optional.empty();
        }
        String recordedKey = cp.get(prefix + MultipartCopy.UPLOAD_KEY);
        String key = recordedKey != null ? recordedKey : plannedKey == null ? null : plannedKey.get();
        Optional<MultipartUpload> upload = store == null ? Optional.empty() : store.capability(MultipartUpload.class);
        if (key == null || upload.isEmpty()) {
            return Optional.of(false);
        }
        try {
            upload.get().abort(key, id);
            LOG.info("{}: aborted the unfinished upload {} on {}, which no task continues ({} {}, {})", key, id,
                    store.uri(), task.spec().action(), task.spec().item(), task.state());
            return Optional.of(true);
        } catch (RuntimeException e) {
            LOG.warn("{}: could not abort the unfinished upload {} on {}, which no task continues: {} (the next run, or"
                    + " caravan cleanup, tries again)", key, id, store.uri(), e.getMessage());
            return Optional.of(false);
        }
    }
}
