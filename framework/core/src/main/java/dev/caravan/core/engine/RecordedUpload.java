package dev.caravan.core.engine;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import dev.caravan.api.journal.Checkpoint;
import dev.caravan.api.store.MultipartUpload;
import dev.caravan.api.store.ObjectStore;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The upload an attempt's task records in its checkpoint ({@link MultipartCopy#UPLOAD_ID}, {@link
 * MultipartCopy#UPLOAD_KEY}), which the attempt either continues ({@link #continuedAs}) or aborts before the task is
 * done another way ({@link #abort}): a single put, a server-side copy in one request or in another upload, the object
 * found in place. Completing the task clears its checkpoint, so nothing (neither {@link SupersededUploads} nor
 * {@code caravan cleanup}'s journal) would find that upload again. Read from the task's checkpoint in memory: a task
 * that records none costs nothing. Aborted at most once. An abort the store refuses does not fail the task (its object
 * is copied): a warning names the upload, which {@code caravan cleanup} aborts once older than its
 * {@code --older-than}. Thread-safe.
 */
final class RecordedUpload {
    private static final Logger LOG = LoggerFactory.getLogger(RecordedUpload.class);

    private final String id;
    private final String key;
    private final ObjectStore store;
    /** Set once the upload was continued, aborted, or found gone: nothing is left to do. */
    private final AtomicBoolean settled = new AtomicBoolean();

    private RecordedUpload(String id, String key, ObjectStore store) {
        this.id = id;
        this.key = key;
        this.store = store;
        settled.set(id == null);
    }

    /**
     * The upload {@code checkpoint} records on {@code store}, under the key it records or else {@code plannedKey}
     * (checkpoints written before the key was recorded); one that does nothing when it records none.
     */
    static RecordedUpload of(Checkpoint checkpoint, String plannedKey, ObjectStore store) {
        String id = checkpoint.get(MultipartCopy.UPLOAD_ID);
        String recordedKey = checkpoint.get(MultipartCopy.UPLOAD_KEY);
        return new RecordedUpload(id, recordedKey != null ? recordedKey : plannedKey, store);
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
     * ({@code because} tells how, in the log).
     */
    void abort(String because) {
        if (settled.getAndSet(true)) {
            return;
        }
        Optional<MultipartUpload> upload = store.capability(MultipartUpload.class);
        if (upload.isEmpty()) {
            return; // nothing on this store can abort it (nor can have begun it)
        }
        try {
            upload.get().abort(key, id);
            LOG.info("{}: aborted the unfinished upload {} on {}, which its task does not continue: {}", key, id,
                    store.uri(), because);
        } catch (MigrationException e) {
            if (e.kind() == ErrorKind.NOT_FOUND) {
                LOG.debug("{}: the recorded upload {} is gone from {} already", key, id, store.uri());
                return;
            }
            refused(because, e);
        } catch (RuntimeException e) {
            refused(because, e);
        }
    }

    private void refused(String because, RuntimeException e) {
        LOG.warn("{}: could not abort the unfinished upload {} on {}, which its task does not continue ({}): {};"
                + " caravan cleanup aborts it once older than its --older-than", key, id, store.uri(), because,
                e.getMessage());
    }
}
