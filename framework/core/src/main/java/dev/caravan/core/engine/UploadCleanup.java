package dev.caravan.core.engine;

import dev.caravan.api.store.ObjectStore;
import dev.caravan.api.store.UnfinishedUploads;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code caravan cleanup}: aborts the unfinished uploads a store keeps (S3 multipart uploads a killed process or
 * another tool left, whose parts the store keeps and bills) that nothing will go on from. An upload whose id a task of
 * the journal still records ({@link MultipartCopy}'s checkpoint) is kept whatever its age: the unfinished run resumes
 * it, and aborting it would make that run send the object again. The others are aborted once older than the given
 * age, which protects uploads another tool is running now (the store does not say who started an upload); one whose
 * start the store does not report counts as new, unless the age is zero.
 */
public final class UploadCleanup {
    /** The checkpoint key under which a copy records the upload it goes on from (journal: checkpoint values). */
    public static final String RESUMABLE_KEY = MultipartCopy.UPLOAD_ID;
    /**
     * Every checkpoint key under which a task records an upload its next attempt goes on from: its own copy's, and the
     * copy into the backup dir it makes first ({@link BackupCheckpoints}).
     */
    public static final java.util.List<String> RESUMABLE_KEYS = java.util.List.of(RESUMABLE_KEY,
            BackupCheckpoints.PREFIX + RESUMABLE_KEY);

    /** The upload ids unfinished runs go on from, given the journal's checkpoint values by key. */
    public static Set<String> resumableIds(java.util.function.Function<String, Set<String>> checkpointValues) {
        Set<String> ids = new java.util.HashSet<>();
        RESUMABLE_KEYS.forEach(key -> ids.addAll(checkpointValues.apply(key)));
        return ids;
    }

    /** What happened, or would happen, to an upload. */
    public enum Action {
        /** Aborted: its parts are freed. */
        ABORTED,
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
     * Cleans {@code store}.
     *
     * @param resumable the upload ids unfinished runs go on from ({@link #resumableIds})
     * @param olderThan abort only uploads started longer ago than this; zero: all but the resumable ones
     * @param dryRun    abort nothing, say what would be aborted
     * @param now       the time ages are counted from
     */
    public static Result run(ObjectStore store, Set<String> resumable, Duration olderThan, boolean dryRun,
            Instant now) {
        var uploads = store.capability(UnfinishedUploads.class);
        if (uploads.isEmpty()) {
            return new Result(false, List.of());
        }
        Instant cutoff = now.minus(olderThan);
        List<Item> items = new ArrayList<>();
        for (UnfinishedUploads.Upload u : uploads.get().unfinished()) {
            Action action;
            if (resumable.contains(u.id())) {
                action = Action.KEPT_RESUMABLE;
            } else if (!olderThan.isZero() && (u.started() == null || !u.started().isBefore(cutoff))) {
                action = Action.KEPT_RECENT;
            } else if (dryRun) {
                action = Action.WOULD_ABORT;
            } else {
                uploads.get().abort(u);
                action = Action.ABORTED;
            }
            items.add(new Item(u, action));
        }
        return new Result(true, items);
    }
}
