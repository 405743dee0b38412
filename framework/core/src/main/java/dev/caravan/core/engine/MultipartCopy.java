package dev.caravan.core.engine;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import dev.caravan.api.journal.Checkpoint;
import dev.caravan.api.journal.Journal;
import dev.caravan.api.journal.TaskRecord;
import dev.caravan.api.store.ByteRange;
import dev.caravan.api.store.ComputedDigest.PartDigests;
import dev.caravan.api.store.HashType;
import dev.caravan.api.store.MultipartUpload;
import dev.caravan.api.store.MultipartUpload.Part;
import dev.caravan.api.store.ObjectInfo;
import dev.caravan.api.store.ObjectStore;
import dev.caravan.api.store.PutRequest;
import dev.caravan.api.verify.VerificationItem;
import dev.caravan.api.verify.VerificationOutcome;
import dev.caravan.core.hash.CountingInputStream;
import dev.caravan.core.hash.HashingInputStream;
import dev.caravan.core.plan.CopyFacts;
import dev.caravan.core.retry.RetryPolicy;
import dev.caravan.core.throttle.BandwidthLimiter;
import dev.caravan.core.throttle.ThrottledInputStream;
import dev.caravan.core.verify.VerifyMode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongConsumer;
import java.util.stream.Collectors;

/**
 * Copies a large object as a multipart upload whose id and finished parts are checkpointed in the journal
 * ({@code mpu.uploadId}, {@code mpu.key}, {@code mpu.partSize}, {@code mpu.parts}), so a killed run resumes mid-object: the parts
 * the store already holds are not sent again (their bytes are only re-read to complete the SHA-256). The source
 * is read once, sequentially, through the hasher; parts are uploaded in parallel from bounded buffers.
 */
final class MultipartCopy {
    static final String UPLOAD_ID = dev.caravan.core.journal.TaskUploads.UPLOAD_ID_SUFFIX;
    /** The key of the object the recorded upload writes, so that it can be aborted without the task's plan. */
    static final String UPLOAD_KEY = dev.caravan.core.journal.TaskUploads.UPLOAD_KEY_SUFFIX;
    /**
     * The store the recorded upload was begun on ({@link ObjectStore#uri()}: connector, endpoint, bucket or container
     * and prefix), so that one recorded on another store than the one the task now writes to (a backup dir moved) is
     * aborted there, not looked for under the same key on the new one.
     */
    static final String UPLOAD_STORE = dev.caravan.core.journal.TaskUploads.UPLOAD_STORE_SUFFIX;
    static final String PART_SIZE = "mpu.partSize";
    static final String PARTS = "mpu.parts";
    /** Our SHA-256 given to the target with the upload's metadata (see {@link DigestFirst}). */
    static final String SHA256 = "mpu.sha256";
    private static final int MAX_PARTS = 10_000;

    private final ObjectStore source;
    private final ObjectStore target;
    private final MultipartUpload upload;
    private final Journal journal;
    private final BandwidthLimiter limiter;
    private final PartBuffers buffers;
    private final ExecutorService partPool;
    private final RetryPolicy retry;
    private final long preferredPartSize;
    /** Stops the upload at a hard max duration: the source and the parts are read through its guard. */
    private final HardCutoff cutoff;

    MultipartCopy(ObjectStore source, ObjectStore target, MultipartUpload upload, Journal journal,
            BandwidthLimiter limiter, PartBuffers buffers, ExecutorService partPool, RetryPolicy retry,
            long preferredPartSize, HardCutoff cutoff) {
        this.source = source;
        this.target = target;
        this.upload = upload;
        this.journal = journal;
        this.limiter = limiter;
        this.buffers = buffers;
        this.partPool = partPool;
        this.retry = retry;
        this.preferredPartSize = upload.preferredPartSize() > 0 ? upload.preferredPartSize() : preferredPartSize;
        this.cutoff = cutoff;
    }

    /**
     * Whether an object of {@code size} bytes goes through this copy: at least {@code threshold} bytes
     * ({@link CopyPipeline#MULTIPART_THRESHOLD}), or more than the target's put sends in one request (a put it would
     * make in parts of its own, which no checkpoint records: a kill would leave that upload behind, unfinished, and
     * the rerun send the whole object again).
     */
    boolean takes(long size, long threshold) {
        return size >= threshold || size >= 0 && size > upload.largestSingleRequest();
    }

    /** Copies {@code src} to {@code key}, starting a new upload (when none can be resumed) with {@code request}. */
    TransferOutcome copy(TaskRecord task, ObjectInfo src, PutRequest request, String key, VerifyMode verify) {
        long size = src.size();
        long partSize = recordedPartSize(task.checkpoint(), size).orElseGet(() -> partSize(size));
        Map<Integer, Part> done = new ConcurrentSkipListMap<>();
        String uploadId = resumable(task.checkpoint(), key, partSize, done);
        // our SHA-256 as announced to the target with the upload (null: stored after it, if at all)
        String announced = uploadId == null ? null : task.checkpoint().get(SHA256);
        // with the parts' digests from the source, the target checks each part and nothing is hashed while sending
        PartDigests partDigests = limiter.rate() > 0 || uploadId != null && announced == null ? null
                : DigestFirst.withParts(source, target, upload, src, partSize, cutoff);
        if (uploadId != null && partDigests != null && !partDigests.sha256().equals(announced)) {
            // the source changed since the upload began (or a part was refused for it): start a new one
            upload.abort(key, uploadId);
            done.clear();
            uploadId = null;
        }
        if (uploadId == null) {
            announced = partDigests != null ? partDigests.sha256() : DigestFirst.of(source, target, src, true, cutoff);
            uploadId = upload.begin(key, announced == null ? request : DigestFirst.announce(request, announced));
        }
        String id = uploadId;
        String digest = announced;
        LongConsumer checkpoints = sentSoFar -> checkpoint(task, key, id, partSize, digest, done, sentSoFar);
        checkpoints.accept(0);
        int partCount = (int) Math.max(1, (size + partSize - 1) / partSize);
        if (partDigests != null && partDigests.parts().size() != partCount) {
            upload.abort(key, id);
            throw MigrationException.transientError("source " + key + " changed while copying: " + partDigests.parts()
                    .size() + " parts hashed, " + partCount + " expected", null);
        }
        PartDigests digests = partDigests;
        long[] sent = {0};
        HashingInputStream hashing = null;
        CountingInputStream counting;
        List<Future<?>> inFlight = new ArrayList<>();
        AtomicBoolean abandoned = new AtomicBoolean(); // set when the copy fails: queued parts are not sent
        try (InputStream raw = cutoff.guard(source.open(src.key(), ByteRange.ALL), src.key())) {
            if (digests == null) {
                hashing = new HashingInputStream(raw);
            }
            counting = new CountingInputStream(hashing != null ? hashing : raw);
            byte[] scratch = null;
            for (int n = 1; n <= partCount; n++) {
                int len = (int) Math.min(partSize, size - (n - 1) * partSize);
                Part existing = done.get(n);
                if (existing != null && existing.size() == len) {
                    if (scratch == null) {
                        scratch = new byte[64 * 1024];
                    }
                    drain(counting, len, scratch, key);
                    continue;
                }
                byte[] buf = buffers.acquire(len);
                try {
                    readFully(counting, buf, len, key);
                } catch (RuntimeException e) {
                    buffers.release(buf);
                    throw e;
                }
                int number = n;
                inFlight.add(partPool.submit(() -> {
                    try {
                        if (abandoned.get()) {
                            return;
                        }
                        Part p = retry.call(key + " part " + number, () -> {
                            cutoff.check(src.key()); // past a hard deadline no part (nor its retry) begins
                            // the part is read through the guard as it is sent, from memory or throttled alike
                            return limiter.rate() > 0 ? upload.uploadPart(key, id, number, new ThrottledInputStream(
                                    cutoff.guard(new ByteArrayInputStream(buf, 0, len), src.key()), limiter), len)
                                    : upload.uploadPart(key, id, number, buf, len,
                                            digests != null ? digests.parts().get(number - 1) : null,
                                            in -> cutoff.guard(in, src.key()));
                        });
                        done.put(number, p);
                        synchronized (sent) {
                            sent[0] += len;
                            checkpoints.accept(sent[0]);
                        }
                    } finally {
                        buffers.release(buf);
                    }
                }));
                failFast(inFlight);
            }
            awaitAll(inFlight);
        } catch (IOException e) {
            abandon(inFlight, abandoned);
            throw MigrationException.transientError("reading " + src.key() + " from " + source.uri() + ": "
                    + e.getMessage(), e);
        } catch (RuntimeException e) {
            abandon(inFlight, abandoned);
            throw e;
        }
        if (counting.count() != size) {
            throw MigrationException.transientError("source " + key + " changed while copying", null);
        }
        // the target checked every part against its digest from the source, taken with the whole's
        String sha = hashing != null ? hashing.sha256Hex() : digests.sha256();
        // a mismatch aborts the upload: the retry starts a new one, announcing the digest of what it reads
        DigestFirst.check(src.key(), announced, sha, () -> abandonUpload(task, key, id));
        List<Part> parts = new ArrayList<>(done.values());
        ObjectInfo written = upload.complete(key, uploadId, parts);
        VerificationItem item = verify(key, size, sha, written, verify);
        if (!item.matches()) {
            abandonUpload(task, key, uploadId);
            target.delete(key);
            throw new MigrationException(ErrorKind.VERIFICATION_FAILED, key + ": " + item.detail());
        }
        TransferOutcome out = new TransferOutcome(size, sha, item, true, sent[0]);
        // as for a streamed put: the completed object's ETag is final when it already holds our SHA-256 (announced
        // with the upload), so a rerun or a verification can trust the listing's ETag without asking for the object
        boolean digestHeld = sha.equalsIgnoreCase(written.hash(HashType.SHA256).orElse(null));
        return digestHeld ? out.withFacts(CopyFacts.of(src, written)) : out;
    }

    private String resumable(Checkpoint cp, String key, long partSize, Map<Integer, Part> done) {
        return resumable(upload, cp, key, partSize, done);
    }

    /**
     * The part size of the upload {@code cp} records, when one of an object of {@code size} bytes can go on in it
     * (the store's part size may have changed since: the upload goes on in the size it began with, so its parts are
     * not sent again).
     */
    private java.util.Optional<Long> recordedPartSize(Checkpoint cp, long size) {
        String recorded = cp.get(PART_SIZE);
        if (cp.get(UPLOAD_ID) == null || recorded == null) {
            return java.util.Optional.empty();
        }
        try {
            long p = Long.parseLong(recorded);
            boolean fits = p > 0 && p <= Integer.MAX_VALUE - 64 && (p >= upload.minPartSize() || size <= p)
                    && (size + p - 1) / p <= MAX_PARTS;
            return fits ? java.util.Optional.of(p) : java.util.Optional.empty();
        } catch (NumberFormatException e) {
            return java.util.Optional.empty();
        }
    }

    /**
     * The id of the upload {@code cp} records for parts of {@code partSize}, its parts the store holds put into
     * {@code done}; {@code null} when none is recorded, or the store no longer has it. One recorded in another part
     * size cannot go on in this one: it is aborted, so that the new upload does not leave it unfinished on the server.
     */
    static String resumable(MultipartUpload upload, Checkpoint cp, String key, long partSize,
            Map<Integer, Part> done) {
        String id = cp.get(UPLOAD_ID);
        if (id == null) {
            return null;
        }
        if (!Long.toString(partSize).equals(cp.get(PART_SIZE))) {
            upload.abort(key, id);
            return null;
        }
        try {
            for (Part p : upload.listParts(key, id)) {
                done.put(p.number(), p);
            }
            return id;
        } catch (MigrationException e) {
            if (e.kind() == ErrorKind.NOT_FOUND) {
                return null; // the upload expired or was aborted: start again
            }
            throw e;
        }
    }

    private VerificationItem verify(String key, long size, String sha, ObjectInfo written, VerifyMode verify) {
        if (verify == VerifyMode.NONE) {
            return new VerificationItem(key, VerificationOutcome.MATCH, "none", "");
        }
        if (written.size() >= 0 && written.size() != size) {
            return new VerificationItem(key, VerificationOutcome.DIFFER, "size",
                    "sent " + size + " bytes, target holds " + written.size());
        }
        if (verify == VerifyMode.SIZE) {
            return new VerificationItem(key, VerificationOutcome.MATCH, "size", "");
        }
        if (written.hash(HashType.SHA256).isPresent()) {
            String stored = written.hash(HashType.SHA256).get();
            return stored.equals(sha) ? new VerificationItem(key, VerificationOutcome.MATCH, "sha256-stored", "")
                    : new VerificationItem(key, VerificationOutcome.DIFFER, "sha256-stored", sha + " != " + stored);
        }
        if (upload.verifiesParts()) {
            return new VerificationItem(key, VerificationOutcome.MATCH, "size+part-digests", "");
        }
        return CopyPipeline.readBack(target, key, key, sha);
    }

    private long partSize(long size) {
        long min = Math.max(upload.minPartSize(), preferredPartSize);
        long needed = (size + MAX_PARTS - 1) / MAX_PARTS;
        long p = Math.max(min, needed);
        return Math.min(p, Integer.MAX_VALUE - 64);
    }

    /**
     * Aborts an upload that must not be completed and forgets it, so that the retry begins a new one: a server that
     * goes on listing an aborted upload's parts (S3Proxy) had the retry resume it, with the old digest, every time.
     */
    private void abandonUpload(TaskRecord task, String key, String uploadId) {
        upload.abort(key, uploadId);
        journal.checkpoint(task.spec().id(), Checkpoint.EMPTY);
    }

    private void checkpoint(TaskRecord task, String key, String uploadId, long partSize, String announced,
            Map<Integer, Part> done, long sent) {
        Map<String, String> cp = checkpointOf(target.uri(), key, uploadId, partSize, done, sent);
        if (announced != null) {
            cp.put(SHA256, announced);
        }
        journal.checkpoint(task.spec().id(), new Checkpoint(cp));
    }

    /**
     * The checkpoint of an upload of {@code key} on {@code store} (its {@link ObjectStore#uri()}) with {@code done}
     * parts ({@code sent} bytes sent by this run), to add to.
     */
    static Map<String, String> checkpointOf(String store, String key, String uploadId, long partSize,
            Map<Integer, Part> done, long sent) {
        Map<String, String> cp = new HashMap<>();
        cp.put(UPLOAD_ID, uploadId);
        cp.put(UPLOAD_STORE, store);
        cp.put(UPLOAD_KEY, key);
        cp.put(PART_SIZE, Long.toString(partSize));
        cp.put(PARTS, done.values().stream().map(p -> p.number() + ":" + p.size() + ":" + p.tag())
                .collect(Collectors.joining(",")));
        cp.put("copy.bytes", Long.toString(done.values().stream().mapToLong(Part::size).sum()));
        cp.put(CopyFacts.BYTES_SENT, Long.toString(sent));
        return cp;
    }

    private static void readFully(InputStream in, byte[] buf, int len, String key) throws IOException {
        int off = 0;
        while (off < len) {
            int n = in.read(buf, off, len - off);
            if (n < 0) {
                throw MigrationException.transientError("source " + key + " ended early (changed while copying?)",
                        null);
            }
            off += n;
        }
    }

    /** Reads and drops {@code len} bytes (through whatever the stream computes, e.g. a digest). */
    static void drain(InputStream in, long len, byte[] scratch, String key) throws IOException {
        long left = len;
        while (left > 0) {
            int n = in.read(scratch, 0, (int) Math.min(scratch.length, left));
            if (n < 0) {
                throw MigrationException.transientError("source " + key + " ended early", null);
            }
            left -= n;
        }
    }

    private static void failFast(List<Future<?>> futures) {
        for (Future<?> f : futures) {
            if (f.isDone()) {
                get(f);
            }
        }
    }

    private static void awaitAll(List<Future<?>> futures) {
        for (Future<?> f : futures) {
            get(f);
        }
    }

    private static void get(Future<?> f) {
        try {
            f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MigrationException(ErrorKind.FATAL, "interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof MigrationException me) {
                throw me;
            }
            throw new MigrationException(ErrorKind.FATAL, "part upload failed: " + e.getCause(), e.getCause());
        }
    }

    /**
     * Stops a failing copy: parts not yet started are skipped (each task still gives its buffer back, which a
     * cancelled task that never ran would not), and the method returns when every part task has ended.
     */
    private static void abandon(List<Future<?>> futures, AtomicBoolean abandoned) {
        abandoned.set(true);
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (Exception ignored) {
                // already failing; the first error is the one reported
            }
        }
    }
}
