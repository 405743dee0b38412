package dev.caravan.api.store;

import java.time.Instant;
import java.util.List;

/**
 * Uploads a store keeps that were started and neither completed nor aborted (S3 multipart uploads whose process was
 * killed and whose journal is gone, or that another tool left): the store keeps their parts and may bill them, yet
 * they appear in no listing. {@code caravan cleanup} finds and aborts them.
 *
 * <p>Fallback when absent: the store keeps no such uploads (a local file system's temporary files are objects a run
 * removes itself; Azure discards uncommitted blocks after a week).
 */
public interface UnfinishedUploads extends StoreCapability {
    /**
     * One unfinished upload.
     *
     * @param key     the object it would have written, relative to the store's location
     * @param id      the store's id of the upload
     * @param started when it was started, or {@code null} when the store does not say
     */
    record Upload(String key, String id, Instant started) {
    }

    /** The unfinished uploads under this store's location, in the store's order. */
    List<Upload> unfinished();

    /** Aborts {@code upload}: its parts are freed. Aborting an upload that is gone already is not an error. */
    void abort(Upload upload);
}
