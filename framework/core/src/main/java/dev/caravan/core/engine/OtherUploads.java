package dev.caravan.core.engine;

import dev.caravan.api.journal.Checkpoint;
import dev.caravan.api.journal.TaskId;
import dev.caravan.api.journal.TaskRecord;
import dev.caravan.api.store.ObjectStore;
import dev.caravan.api.vm.PreflightCheck;
import dev.caravan.core.journal.JdbcJournal;
import dev.caravan.core.journal.RunSummary;
import dev.caravan.core.plan.MigrationSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The unfinished uploads that tasks of other migrations of the journal recorded on this migration's target or backup
 * dir (by the store each records, {@link MultipartCopy#UPLOAD_STORE}), for objects this migration does not write: a
 * migration run again with another {@code --exclude}, {@code --include} or {@code --files-from} (filters are part of
 * the migration id) leaves the upload of an object it no longer copies to the old migration, which nothing else
 * continues or aborts. They are not aborted here (that migration may still be run again and go on from them): a plan
 * ({@link #check}) and a run ({@link #warnings}) name them, grouped by migration and location, with the
 * {@code caravan cleanup LOCATION --migration ID} that aborts exactly those. A task the plan takes over (same source,
 * target and item) is this migration's, not another's ({@link #planned}). Reads only the tasks marked as recording an
 * upload. Not thread-safe.
 */
final class OtherUploads {
    /** How many keys a warning names before it says how many more. */
    private static final int KEYS_SHOWN = 3;

    /** One recorded upload: the migration of its task's run, where it is ({@code location}), its key. */
    private record Found(TaskId task, String migrationId, String name, String location, String key) {
    }

    private final List<Found> found;

    private OtherUploads(List<Found> found) {
        this.found = found;
    }

    /**
     * The uploads tasks of migrations other than {@code spec}'s recorded on {@code target} or on the backup dir's store
     * ({@code backups}, null without one), as the journal has them now.
     */
    static OtherUploads find(JdbcJournal journal, MigrationSpec spec, ObjectStore target, Backups backups) {
        List<Found> found = new ArrayList<>();
        Map<String, Optional<RunSummary>> runs = new LinkedHashMap<>();
        for (TaskRecord task : journal.uploads().others(spec.migrationId())) {
            Checkpoint cp = task.checkpoint();
            for (String prefix : List.of("", BackupCheckpoints.PREFIX)) {
                String store = RecordedUpload.recordedStore(cp, prefix);
                String key = RecordedUpload.recordedKey(cp, prefix);
                String location = store == null || key == null ? null : store.equals(target.uri()) ? spec.target()
                        : backups != null && store.equals(backups.store().uri()) ? backups.dir().location() : null;
                Optional<RunSummary> run = runs.computeIfAbsent(task.runId(), journal::run);
                if (location != null && cp.get(prefix + MultipartCopy.UPLOAD_ID) != null && run.isPresent()) {
                    found.add(new Found(task.spec().id(), run.get().migrationId(), run.get().description(), location,
                            key));
                }
            }
        }
        return new OtherUploads(found);
    }

    /** Says that this migration's plan has task {@code id}: an upload it recorded is this migration's to go on with. */
    void planned(TaskId id) {
        if (!found.isEmpty()) {
            found.removeIf(f -> f.task().equals(id));
        }
    }

    /** One sentence per migration and location, naming the uploads and how to abort them; empty when none. */
    List<String> warnings() {
        Map<List<String>, List<Found>> groups = new LinkedHashMap<>();
        found.forEach(f -> groups.computeIfAbsent(List.of(f.migrationId(), f.location()), g -> new ArrayList<>())
                .add(f));
        List<String> warnings = new ArrayList<>();
        groups.forEach((group, uploads) -> {
            Found first = uploads.get(0);
            List<String> keys = uploads.stream().map(Found::key).limit(KEYS_SHOWN).toList();
            warnings.add(uploads.size() + (uploads.size() == 1 ? " unfinished upload" : " unfinished uploads")
                    + " recorded by migration " + first.migrationId() + " (" + first.name() + ") on "
                    + first.location() + " (" + String.join(", ", keys) + (uploads.size() > keys.size() ? " and "
                    + (uploads.size() - keys.size()) + " more" : "") + "), of objects this migration does not copy"
                    + " (its filters or key map differ): their parts stay stored, and billed, until that migration"
                    + " runs again and goes on from them, or caravan cleanup " + first.location() + " --migration "
                    + first.migrationId() + " aborts them");
        });
        return warnings;
    }

    /** The plan's check: WARN with {@link #warnings}, or empty when there are none. */
    Optional<PreflightCheck> check() {
        List<String> warnings = warnings();
        return warnings.isEmpty() ? Optional.empty()
                : Optional.of(new PreflightCheck("other-uploads", PreflightCheck.Status.WARN,
                        String.join("; ", warnings)));
    }
}
