package dev.caravan.core.engine;

import dev.caravan.api.journal.Checkpoint;
import dev.caravan.api.journal.TaskRecord;
import dev.caravan.api.store.ObjectStore;
import dev.caravan.core.journal.JdbcJournal;
import dev.caravan.core.plan.KeyMap;
import dev.caravan.core.plan.MigrationSpec;
import dev.caravan.core.plan.PlannedTask;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Aborts the uploads that tasks of a migration recorded in their checkpoints ({@link MultipartCopy}) and that no task
 * continues any more: a run killed or failed mid-object, whose object then changed or went away on the source, leaves
 * a task the plan made again does not repeat (it plans another task for the new version, or none), so nothing would
 * ever complete or abort that upload, and the store would keep (and bill) its parts. So is an upload a task of the
 * current plan recorded under another key than the one it writes now (a key map or backup dir suffix given since: a
 * plan takes over a task, checkpoint and all, whichever migration of the same source and target recorded it), which
 * the task cannot go on with, and one recorded on another store than the one the task writes to now (a backup dir
 * moved to another bucket, container or connector, or given up, since: same key, another store), which is aborted on
 * the store it was begun on ({@link MultipartCopy#UPLOAD_STORE}, found by {@link UploadStores}). Run once the run's
 * plan is in the journal; it reads only the tasks marked as recording an upload
 * ({@link dev.caravan.core.journal.TaskUploads}), so a run that finds none costs two small queries and no request.
 * Each upload aborted, or that could not be aborted now (the store refused; it stays recorded, for the next run or
 * {@code caravan cleanup}), is told to the run's warnings.
 */
final class SupersededUploads {
    private SupersededUploads() {
    }

    /**
     * Aborts the superseded uploads of migration {@code spec}, whose current run is {@code runId}, on {@code target}
     * (under the key the checkpoint records, or else the one the spec's key map gives the task's item) and
     * on the backup dir's store ({@code backups}, null without one), and the uploads the current plan's tasks recorded
     * under a key they no longer write, or on another store, each on the store it was begun on ({@code stores}, closed
     * once done); tells each to {@code warnings}; returns how many were aborted (or found gone). A task whose uploads
     * were all aborted has its checkpoint cleared; one of the current plan keeps the entries of the upload it goes on
     * with.
     */
    static int abort(JdbcJournal journal, MigrationSpec spec, String runId, ObjectStore target, Backups backups,
            UploadStores stores, Consumer<String> warnings) {
        int aborted = 0;
        KeyMap keyMap = spec.parsedKeyMap();
        try (stores) {
            for (TaskRecord task : journal.uploads().superseded(spec.migrationId(), runId)) {
                aborted += settle(journal, task, false, target, keyMap, backups, stores, warnings);
            }
            for (TaskRecord task : journal.uploads().planned(runId)) {
                aborted += settle(journal, task, true, target, keyMap, backups, stores, warnings);
            }
        }
        return aborted;
    }

    /**
     * Aborts the uploads {@code task} records that no task continues: all of them, or for a task of the current plan
     * ({@code planned}) those recorded under another key than the one it writes; returns how many were aborted.
     */
    private static int settle(JdbcJournal journal, TaskRecord task, boolean planned, ObjectStore target,
            KeyMap keyMap, Backups backups, UploadStores stores, Consumer<String> warnings) {
        Checkpoint cp = task.checkpoint();
        String action = task.spec().action();
        String item = task.spec().item();
        // a deletion's item is the target's key; any other task's is the source's
        String targetKey = PlannedTask.DELETE.equals(action) || PlannedTask.CLEANUP.equals(action) ? item
                : keyMap.target(item);
        Optional<Boolean> own = abort(cp, new Side("", target, targetKey), planned, task, stores, warnings);
        Side backup = new Side(BackupCheckpoints.PREFIX, backups == null ? null : backups.store(),
                backups == null ? null : backups.dir().keyFor(targetKey));
        Optional<Boolean> kept = abort(cp, backup, planned, task, stores, warnings);
        boolean ownAborted = own.orElse(false);
        boolean keptAborted = kept.orElse(false);
        if (!planned) {
            if (own.orElse(true) && kept.orElse(true)) {
                journal.uploads().forget(task.spec().id());
            }
        } else if (ownAborted || keptAborted) { // the entries of what the task goes on with stay
            Checkpoint left = ownAborted ? BackupCheckpoints.merged(Checkpoint.EMPTY, BackupCheckpoints.of(cp)) : cp;
            left = keptAborted ? BackupCheckpoints.merged(left, Checkpoint.EMPTY) : left;
            if (left.isEmpty()) {
                journal.uploads().forget(task.spec().id());
            } else {
                journal.checkpoint(task.spec().id(), left);
            }
        }
        return (ownAborted ? 1 : 0) + (keptAborted ? 1 : 0);
    }

    /**
     * Where an upload of a task may be recorded: under {@code prefix} in its checkpoint, on {@code store} (null: not
     * open), for the object {@code writtenKey} the task writes now (null: none).
     */
    private record Side(String prefix, ObjectStore store, String writtenKey) {
    }

    /**
     * Aborts the upload {@code cp} records on {@code side} unless a task of the current plan ({@code planned}) goes on
     * with it (recorded on the side's store, or on none: a checkpoint of an earlier version, and under the key it
     * writes, or under none): empty when none is recorded or it goes on; else whether it was aborted or found gone
     * ({@code false}: the store refused, cannot abort uploads, or is not open, or the upload's key is not known). One
     * recorded on another store is aborted there, found among {@code stores}.
     */
    private static Optional<Boolean> abort(Checkpoint cp, Side side, boolean planned, TaskRecord task,
            UploadStores stores, Consumer<String> warnings) {
        String recordedKey = RecordedUpload.recordedKey(cp, side.prefix());
        String recordedStore = RecordedUpload.recordedStore(cp, side.prefix());
        boolean elsewhere = recordedStore != null
                && (side.store() == null || !recordedStore.equals(side.store().uri()));
        if (cp.get(side.prefix() + MultipartCopy.UPLOAD_ID) == null || planned && !elsewhere
                && (recordedKey == null || recordedKey.equals(side.writtenKey()))) {
            return Optional.empty();
        }
        ObjectStore store = elsewhere ? stores.find(recordedStore).orElse(null) : side.store();
        // a backup copy's upload is aborted under the key it recorded only: the backup dir's names may have changed
        RecordedUpload upload = RecordedUpload.of(cp, side.prefix(), side.prefix().isEmpty() && !elsewhere
                ? side.writtenKey() : null, store, warnings);
        String why = !planned ? "no task continues it (" + task.spec().action() + " " + task.spec().item() + ", "
                + task.state() + ")"
                : elsewhere ? (side.store() == null ? "the run keeps no backup dir now"
                : "the task now writes to " + side.store().uri())
                : "its task now writes " + (side.writtenKey() == null ? "no such object" : side.writtenKey());
        if (elsewhere && store == null) {
            warnings.accept(recordedKey + ": could not abort the unfinished upload " + cp.get(side.prefix()
                    + MultipartCopy.UPLOAD_ID) + " on " + recordedStore + " (" + why + "): this run cannot open that"
                    + " store (it is not the target, nor a backup dir of the journal's newest runs opened with the"
                    + " options known); caravan cleanup with that location aborts it");
            return Optional.of(false);
        }
        RecordedUpload.Aborted aborted = upload.abort(why, planned ? RecordedUpload.CLEANUP_BY_AGE
                : "it stays recorded: the next run tries again, and caravan cleanup aborts it whatever its age");
        if (aborted == RecordedUpload.Aborted.YES) {
            warnings.accept(upload.describe("aborted") + ": " + why);
        }
        return Optional.of(aborted != RecordedUpload.Aborted.NO);
    }
}
