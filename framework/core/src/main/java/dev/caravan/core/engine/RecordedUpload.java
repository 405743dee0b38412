package dev.caravan.core.engine;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import dev.caravan.api.journal.Checkpoint;
import dev.caravan.api.store.MultipartUpload;
import dev.caravan.api.store.ObjectStore;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The upload an attempt's task records in its checkpoint ({@link MultipartCopy#UPLOAD_ID}, {@link
 * MultipartCopy#UPLOAD_KEY}), which the attempt either continues ({@link #continuedAs}) or aborts before the task is
 * done another way ({@link #abort}): a single put, a server-side copy in one request or in another upload, the object
 * found in place. Completing the task clears its checkpoint, so nothing (neither {@link SupersededUploads} nor
 * {@code caravan cleanup}'s journal) would find that upload again. Read from the task's checkpoint in memory: a task
 * that records none costs nothing. Also what {@link SupersededUploads} aborts uploads through. Aborted at most once. An
 * abort the store refuses does not fail the task (its object is copied): a warning of the run's names the upload's key,
 * and says that {@code caravan cleanup} aborts it later. Thread-safe.
 */
final class RecordedUpload {
    private static final Logger LOG = LoggerFactory.getLogger(RecordedUpload.class);
    /** What a refused abort of an upload its task no longer records leaves to: cleanup by age. */
    static final String CLEANUP_BY_AGE = "caravan cleanup aborts it once older than its --older-than";

    /** How an {@link #abort} ended. */
    enum Aborted {
        /** Aborted now: its parts are freed. */
        YES,
        /** The store no longer has it: nothing was left to abort. */
        GONE,
        /** Not aborted: none recorded or settled already, its key or store not known, or the store refused. */
        NO
    }

    private final String id;
    private final String key;
    private final ObjectStore store;
    /** Told each upload whose abort the store refused, for the run's report. */
    private final Consumer<String> warnings;
    /** Set once the upload was continued, aborted, or found gone: nothing is left to do. */
    private final AtomicBoolean settled = new AtomicBoolean();

    private RecordedUpload(String id, String key, ObjectStore store, Consumer<String> warnings) {
        this.id = id;
        this.key = key;
        this.store = store;
        this.warnings = warnings;
        settled.set(id == null);
    }

    /**
     * The upload {@code checkpoint} records on {@code store}, under the key it records or else {@code plannedKey}
     * (checkpoints written before the key was recorded); one that does nothing when it records none. Refused aborts
     * are told to {@code warnings}.
     */
    static RecordedUpload of(Checkpoint checkpoint, String plannedKey, ObjectStore store, Consumer<String> warnings) {
        return of(checkpoint, "", plannedKey, store, warnings);
    }

    /**
     * As {@link #of(Checkpoint, String, ObjectStore, Consumer)}, for the upload recorded under {@code prefix} ({@code
     * backup.}: a backup copy's, see {@link BackupCheckpoints}); {@code plannedKey} and {@code store} may be null (not
     * known, not open): it is then not aborted.
     */
    static RecordedUpload of(Checkpoint checkpoint, String prefix, String plannedKey, ObjectStore store,
            Consumer<String> warnings) {
        String id = checkpoint.get(prefix + MultipartCopy.UPLOAD_ID);
        String recordedKey = recordedKey(checkpoint, prefix);
        return new RecordedUpload(id, recordedKey != null ? recordedKey : plannedKey, store, warnings);
    }

    /** The key the upload {@code checkpoint} records under {@code prefix} was begun for; null when not recorded. */
    static String recordedKey(Checkpoint checkpoint, String prefix) {
        return checkpoint.get(prefix + MultipartCopy.UPLOAD_KEY);
    }

    /**
     * The store ({@link ObjectStore#uri()}) the upload {@code checkpoint} records under {@code prefix} was begun on;
     * null when not recorded (checkpoints written before it was).
     */
    static String recordedStore(Checkpoint checkpoint, String prefix) {
        return checkpoint.get(prefix + MultipartCopy.UPLOAD_STORE);
    }

    /** Whether an upload is recorded and not yet settled. */
    boolean pending() {
        return !settled.get();
    }

    /**
     * Says that the attempt goes on with upload {@code uploadId}: the recorded one is then settled when it is that one,
     * and aborted otherwise ({@code because} tells why, in the log).
     */
    void continuedAs(String uploadId, String because) {
        if (id != null && id.equals(uploadId)) {
            settled.set(true);
        } else {
            abort(because);
        }
    }

    /** Says that nothing is left to do with the recorded upload (the attempt aborted it, or found it gone). */
    void settle() {
        settled.set(true);
    }

    /**
     * Aborts the recorded upload, unless none is recorded or it was settled: the attempt does the task without it
     * ({@code because} tells how, in the log); one the store refuses is left to {@code caravan cleanup} by its age.
     */
    Aborted abort(String because) {
        return abort(because, CLEANUP_BY_AGE);
    }

    /**
     * Aborts the recorded upload as {@link #abort(String)} does; {@code ifRefused} says, in the warning of a refused
     * abort, who aborts it later.
     */
    Aborted abort(String because, String ifRefused) {
        if (settled.getAndSet(true)) {
            return Aborted.NO;
        }
        Optional<MultipartUpload> upload = store == null ? Optional.empty() : store.capability(MultipartUpload.class);
        if (upload.isEmpty() || key == null) {
            return Aborted.NO; // nothing on this store can abort it (nor can have begun it), or it is not known where
        }
        try {
            upload.get().abort(key, id);
            LOG.info("{}: aborted the unfinished upload {} on {}: {}", key, id, store.uri(), because);
            return Aborted.YES;
        } catch (MigrationException e) {
            if (e.kind() == ErrorKind.NOT_FOUND) {
                LOG.debug("{}: the recorded upload {} is gone from {} already", key, id, store.uri());
                return Aborted.GONE;
            }
            return refused(because, ifRefused, e);
        } catch (RuntimeException e) {
            return refused(because, ifRefused, e);
        }
    }

    /** Describes the upload: {@code KEY: ... upload ID on STORE} around {@code what}. */
    String describe(String what) {
        return key + ": " + what + " the unfinished upload " + id + " on " + (store == null ? "?" : store.uri());
    }

    private Aborted refused(String because, String ifRefused, RuntimeException e) {
        String warning = describe("could not abort") + " (" + because + "): " + e.getMessage() + "; " + ifRefused;
        LOG.warn("{}", warning);
        warnings.accept(warning);
        return Aborted.NO;
    }
}
