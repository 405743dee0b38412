package dev.caravan.api.store;

import dev.caravan.api.store.MultipartUpload.Part;
import java.util.Map;
import java.util.Optional;

/**
 * What a server-side copy made in parts (S3's UploadPartCopy) is given by the run that asks for it: where the upload
 * of an earlier, stopped attempt of the same copy stands, a place to record its own upload and finished parts (the
 * task's checkpoint, as a streamed multipart upload records them), and whether it is to stop before its next part (the
 * max duration is up). A copy stopped so leaves its upload open, for the next attempt to continue from its parts; a
 * copy that fails otherwise aborts its upload and says so ({@link #abandoned}). Implementations are thread-safe (parts
 * finish on several threads).
 */
public interface PartCopyJournal {
    /** Records nothing, resumes nothing, never stops: a copy outside a run. */
    PartCopyJournal NONE = new PartCopyJournal() {
        @Override
        public Optional<Resumed> resume(long partSize, String sourceVersion) {
            return Optional.empty();
        }

        @Override
        public void begun(String uploadId, long partSize, String sourceVersion) {
        }

        @Override
        public void partDone(Part part) {
        }

        @Override
        public void abandoned() {
        }

        @Override
        public boolean stopping() {
            return false;
        }
    };

    /**
     * The upload an earlier attempt of this copy began and left open, when it copied the same source version (e.g.
     * its ETag) in parts of {@code partSize} and the store still holds it; empty otherwise (begin a new one).
     */
    Optional<Resumed> resume(long partSize, String sourceVersion);

    /** Records the upload this copy began (or continues): its parts are recorded by {@link #partDone}. */
    void begun(String uploadId, long partSize, String sourceVersion);

    /** Records a part the store holds now. */
    void partDone(Part part);

    /** Forgets the recorded upload: the copy aborted it (it failed, and was not stopped). */
    void abandoned();

    /** Whether the copy is to stop now: no part begins after this says so, and the upload is left open. */
    boolean stopping();

    /**
     * An upload to continue.
     *
     * @param uploadId its id
     * @param parts    the parts the store holds, by number
     */
    record Resumed(String uploadId, Map<Integer, Part> parts) {
        public Resumed {
            parts = Map.copyOf(parts);
        }
    }
}
