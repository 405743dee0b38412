package dev.caravan.core.engine;

import dev.caravan.api.journal.Checkpoint;
import dev.caravan.api.journal.Journal;
import dev.caravan.api.journal.TaskRecord;
import dev.caravan.api.store.MultipartUpload;
import dev.caravan.api.store.MultipartUpload.Part;
import dev.caravan.api.store.PartCopyJournal;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The {@link PartCopyJournal} of one task's server-side copy: its upload and finished parts go into the task's
 * checkpoint under the keys of a streamed multipart upload ({@link MultipartCopy#checkpointOf}, so a rerun, a retry
 * and {@code caravan cleanup} know it alike), with the source version it copies ({@link #SOURCE_VERSION}); it stops
 * the copy at a hard max duration ({@link HardCutoff}). The upload the task's checkpoint records is continued, or
 * aborted when the copy does without it ({@link RecordedUpload}): when another upload begins, or once a copy made in
 * one request is done ({@link #finished}). Thread-safe.
 */
final class ServerSidePartJournal implements PartCopyJournal {
    /** The version (ETag) of the source the recorded upload copies: another version starts a new upload. */
    static final String SOURCE_VERSION = "mpu.sourceVersion";

    private final TaskRecord task;
    private final Journal journal;
    private final Optional<MultipartUpload> upload;
    private final String targetKey;
    /** The target's {@link dev.caravan.api.store.ObjectStore#uri()}, recorded with the upload. */
    private final String store;
    private final HardCutoff cutoff;
    private final RecordedUpload recorded;
    private final Map<Integer, Part> done = new TreeMap<>();
    private final Map<Integer, Part> held = new TreeMap<>();
    private String uploadId;
    private long partSize;
    private String sourceVersion;
    private long resumedBytes;

    /**
     * @param upload   what lists the parts of a recorded upload (the target's), empty when it cannot: nothing resumed
     * @param store    the target's {@link dev.caravan.api.store.ObjectStore#uri()}, recorded with the upload
     * @param recorded the upload the task's checkpoint records, on the target
     */
    ServerSidePartJournal(TaskRecord task, Journal journal, Optional<MultipartUpload> upload, String store,
            String targetKey, HardCutoff cutoff, RecordedUpload recorded) {
        this.store = store;
        this.recorded = recorded;
        this.task = task;
        this.journal = journal;
        this.upload = upload;
        this.targetKey = targetKey;
        this.cutoff = cutoff;
    }

    @Override
    public synchronized Optional<Resumed> resume(long size, String version) {
        Checkpoint cp = task.checkpoint();
        if (upload.isEmpty() || version == null || !version.equals(cp.get(SOURCE_VERSION))) {
            return Optional.empty();
        }
        held.clear();
        String id = MultipartCopy.resumable(upload.get(), cp, targetKey, size, held);
        if (id == null) {
            recorded.settle(); // aborted (recorded in another part size), or gone from the store
            held.clear();
            return Optional.empty();
        }
        resumedBytes = held.values().stream().mapToLong(Part::size).sum();
        return Optional.of(new Resumed(id, held));
    }

    @Override
    public synchronized void begun(String id, long size, String version) {
        uploadId = id;
        partSize = size;
        sourceVersion = version;
        done.clear();
        // before this upload replaces it in the checkpoint, where nothing would find it again
        recorded.continuedAs(id, "its object is copied server-side in another upload");
        if (id.equals(task.checkpoint().get(MultipartCopy.UPLOAD_ID))) {
            done.putAll(held); // the upload resumed: its parts are kept
        } else {
            resumedBytes = 0;
        }
        record();
    }

    @Override
    public synchronized void partDone(Part part) {
        done.put(part.number(), part);
        record();
    }

    @Override
    public synchronized void abandoned() {
        uploadId = null;
        done.clear();
        journal.checkpoint(task.spec().id(), Checkpoint.EMPTY);
    }

    @Override
    public boolean stopping() {
        return cutoff.due();
    }

    /**
     * Says that the copy is done: the recorded upload, unless it continued, is aborted (the copy was made in one
     * request), before the task is done and its checkpoint cleared.
     */
    void finished() {
        recorded.abort("its object was copied server-side without it");
    }

    /** The bytes of the parts an earlier attempt copied, which this one continued from (0: none). */
    synchronized long resumedBytes() {
        return resumedBytes;
    }

    private void record() {
        if (uploadId == null) {
            return;
        }
        long copiedNow = done.values().stream().mapToLong(Part::size).sum() - resumedBytes;
        Map<String, String> cp = MultipartCopy.checkpointOf(store, targetKey, uploadId, partSize, done,
                Math.max(0, copiedNow));
        if (sourceVersion != null) {
            cp.put(SOURCE_VERSION, sourceVersion);
        }
        journal.checkpoint(task.spec().id(), new Checkpoint(cp));
    }
}
