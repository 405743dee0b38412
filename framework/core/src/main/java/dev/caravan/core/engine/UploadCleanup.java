package dev.caravan.core.engine;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import dev.caravan.api.store.MultipartUpload;
import dev.caravan.api.store.ObjectStore;
import dev.caravan.api.store.UnfinishedUploads;
import java.time.Duration;
import java.time.Instant;
import dev.caravan.api.journal.TaskId;
import dev.caravan.core.journal.TaskUploads;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * {@code caravan cleanup}: aborts the unfinished uploads a store keeps (S3 multipart uploads a killed process or
 * another tool left, whose parts the store keeps and bills) that nothing will go on from. An upload whose id a task of
 * the journal records ({@link MultipartCopy}'s checkpoint) is kept whatever its age while a run goes on from it (its
 * task is open in the current plan of its migration's newest run: aborting it would make that run send the object
 * again); one recorded by a task no run continues any more (skipped, or left out of a later plan because its object
 * changed or went away, see {@link SupersededUploads}) is aborted whatever its age, and the task's checkpoint cleared.
 * The others are aborted once older than the given age, which protects uploads another tool is running now (the store
 * does not say who started an upload); one whose start the store does not report counts as new, unless the age is
 * zero.
 */
public final class UploadCleanup {
    /** What happened, or would happen, to an upload. */
    public enum Action {
        /** Aborted: its parts are freed. */
        ABORTED,
        /** Aborted whatever its age: the task of the journal that records it is one no run continues any more. */
        ABORTED_SUPERSEDED,
        /** A dry run: it would be aborted. */
        WOULD_ABORT,
        /** Kept: an unfinished run of the journal goes on from it. */
        KEPT_RESUMABLE,
        /** Kept: started less than the age ago (or at a time the store does not report). */
        KEPT_RECENT
    }

    /** One upload and what was done with it. */
    public record Item(UnfinishedUploads.Upload upload, Action action) {
    }

    /**
     * @param supported whether the store keeps unfinished uploads at all ({@link UnfinishedUploads}); if not, there is
     *                  nothing to clean
     * @param items     every unfinished upload found, with its action
     */
    public record Result(boolean supported, List<Item> items) {
        public Result {
            items = List.copyOf(items);
        }

        /** How many uploads got {@code action}. */
        public long count(Action action) {
            return items.stream().filter(i -> i.action() == action).count();
        }
    }

    private UploadCleanup() {
    }

    /**
     * Cleans {@code store}, every recorded upload taken as one a run goes on from (see the other {@code run}).
     *
     * @param resumable the upload ids unfinished runs go on from
     */
    public static Result run(ObjectStore store, Set<String> resumable, Duration olderThan, boolean dryRun,
            Instant now) {
        return run(store, resumable.stream().map(id -> new TaskUploads.Recorded(null, id, true, null, null, null)).toList(),
                task -> { }, olderThan, dryRun, now);
    }

    /**
     * Cleans {@code store} of the uploads that tasks of migration {@code migrationId} record, and only those: each is
     * aborted whatever its age, continued or not (that migration, run again, sends the object anew), and its task's
     * checkpoint cleared ({@code forget}); the store's other uploads are left alone and not listed. For the uploads a
     * migration run with other filters since left behind ({@link OtherUploads}). A store that lists its unfinished
     * uploads ({@link UnfinishedUploads}: S3) has those whose id is recorded aborted; another that can abort uploads
     * ({@link MultipartUpload}: Azure Blob's staged blocks) has those recorded on it (same {@code uri()}) aborted under
     * their recorded key, one found gone counted as aborted (no start time then).
     */
    public static Result ofMigration(ObjectStore store, String migrationId, List<TaskUploads.Recorded> recorded,
            Consumer<TaskId> forget, boolean dryRun) {
        List<TaskUploads.Recorded> own = recorded.stream().filter(r -> migrationId.equals(r.migrationId())).toList();
        var listed = store.capability(UnfinishedUploads.class);
        var uploads = store.capability(MultipartUpload.class);
        List<Item> items = new ArrayList<>();
        if (listed.isPresent()) {
            Map<String, TaskId> ids = new HashMap<>();
            own.forEach(r -> ids.put(r.uploadId(), r.task()));
            for (UnfinishedUploads.Upload u : listed.get().unfinished()) {
                if (ids.containsKey(u.id())) {
                    if (!dryRun) {
                        listed.get().abort(u);
                        forget.accept(ids.get(u.id()));
                    }
                    items.add(new Item(u, dryRun ? Action.WOULD_ABORT : Action.ABORTED));
                }
            }
        } else if (uploads.isPresent()) {
            for (TaskUploads.Recorded r : own) {
                if (r.key() != null && store.uri().equals(r.store())) {
                    if (!dryRun) {
                        abortGone(uploads.get(), r);
                        forget.accept(r.task());
                    }
                    items.add(new Item(new UnfinishedUploads.Upload(r.key(), r.uploadId(), null),
                            dryRun ? Action.WOULD_ABORT : Action.ABORTED));
                }
            }
        } else {
            return new Result(false, List.of());
        }
        return new Result(true, items);
    }

    /** Aborts the upload {@code r} records; one the store no longer has is taken as aborted. */
    private static void abortGone(MultipartUpload uploads, TaskUploads.Recorded r) {
        try {
            uploads.abort(r.key(), r.uploadId());
        } catch (MigrationException e) {
            if (e.kind() != ErrorKind.NOT_FOUND) {
                throw e;
            }
        }
    }

    /** The live process that runs migration {@code migrationId} now ("host pid N"); empty when none does. */
    public static java.util.Optional<String> runningIn(dev.caravan.core.journal.JdbcJournal journal,
            String migrationId) {
        return MigrationOwner.runningIn(journal.migrationOwners(), migrationId);
    }

    /**
     * Cleans {@code store}.
     *
     * @param recorded  the uploads the journal's tasks record ({@link TaskUploads#recorded})
     * @param forget    called with the task of each superseded upload aborted ({@link TaskUploads#forget})
     * @param olderThan abort only uploads started longer ago than this (but superseded ones); zero: all but the
     *                  resumable ones
     * @param dryRun    abort nothing, say what would be aborted
     * @param now       the time ages are counted from
     */
    public static Result run(ObjectStore store, List<TaskUploads.Recorded> recorded, Consumer<TaskId> forget,
            Duration olderThan, boolean dryRun, Instant now) {
        var uploads = store.capability(UnfinishedUploads.class);
        if (uploads.isEmpty()) {
            return new Result(false, List.of());
        }
        Set<String> resumable = new HashSet<>();
        Map<String, TaskId> superseded = new HashMap<>();
        for (TaskUploads.Recorded r : recorded) {
            if (r.continued()) {
                resumable.add(r.uploadId());
            } else {
                superseded.put(r.uploadId(), r.task());
            }
        }
        Instant cutoff = now.minus(olderThan);
        List<Item> items = new ArrayList<>();
        for (UnfinishedUploads.Upload u : uploads.get().unfinished()) {
            Action action;
            if (resumable.contains(u.id())) {
                action = Action.KEPT_RESUMABLE;
            } else if (superseded.containsKey(u.id())) {
                action = dryRun ? Action.WOULD_ABORT : Action.ABORTED_SUPERSEDED;
            } else if (!olderThan.isZero() && (u.started() == null || !u.started().isBefore(cutoff))) {
                action = Action.KEPT_RECENT;
            } else {
                action = dryRun ? Action.WOULD_ABORT : Action.ABORTED;
            }
            if (action == Action.ABORTED || action == Action.ABORTED_SUPERSEDED) {
                uploads.get().abort(u);
            }
            if (action == Action.ABORTED_SUPERSEDED && superseded.get(u.id()) != null) {
                forget.accept(superseded.get(u.id()));
            }
            items.add(new Item(u, action));
        }
        return new Result(true, items);
    }
}
