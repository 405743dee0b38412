package dev.caravan.core.engine;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import dev.caravan.api.journal.Journal;
import dev.caravan.api.journal.TaskId;
import dev.caravan.api.store.ByteRange;
import dev.caravan.api.store.ComputedDigest;
import dev.caravan.api.store.HashType;
import dev.caravan.api.journal.TaskRecord;
import dev.caravan.api.store.MetadataWrite;
import dev.caravan.api.store.MultipartUpload;
import dev.caravan.api.store.ObjectInfo;
import dev.caravan.api.store.ObjectStore;
import dev.caravan.api.store.PutRequest;
import dev.caravan.api.store.Rename;
import dev.caravan.api.store.ResumableWrite;
import dev.caravan.api.store.ServerSideCopy;
import dev.caravan.api.store.SparseWrite;
import dev.caravan.api.verify.VerificationItem;
import dev.caravan.api.verify.VerificationOutcome;
import dev.caravan.core.hash.HashingInputStream;
import dev.caravan.core.metadata.MetadataMapping;
import dev.caravan.core.metadata.MetadataRule;
import dev.caravan.core.plan.CopyFacts;
import dev.caravan.core.plan.TempNames;
import dev.caravan.core.throttle.BandwidthLimiter;
import dev.caravan.core.throttle.ThrottledInputStream;
import dev.caravan.core.verify.VerifyMode;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies one object: server-side when the target can, else streamed through a SHA-256 hasher into a
 * deterministic temporary name, verified, then renamed into place; the temporary object is removed on failure.
 * Stores whose puts are atomic are written directly. A copy writes the source's descriptive attributes as far as the
 * target holds them ({@link MetadataMapping}: declared rules first; a server-side copy of an object the rules change
 * carries the changed ones); what it leaves out is returned in the outcome's notes, never dropped silently.
 * Thread-safe (no per-copy state in fields).
 */
final class CopyPipeline {
    /** Metadata key under which our SHA-256 is stored where the target keeps user metadata. */
    static final String SHA256_METADATA = dev.caravan.core.hash.StoredSha256.METADATA;

    /**
     * Objects at least this large go as multipart uploads where the target can, and so do smaller ones that the
     * target's own put would upload in parts ({@link MultipartUpload#largestSingleRequest()}).
     */
    static final long MULTIPART_THRESHOLD = Long.getLong("caravan.multipart.threshold", 64L << 20);
    /** Preferred part size (raised when an object would need more than 10,000 parts). */
    static final long PART_SIZE = Long.getLong("caravan.multipart.partSize", 16L << 20);
    /** Smaller objects are written again from the start rather than resumed. */
    static final long RESUME_MIN = 8L << 20;
    /** How far before the end of an interrupted temporary object a resumed copy starts again. */
    static final long RESUME_MARGIN = 4L << 20;
    private static final Logger LOG = LoggerFactory.getLogger(CopyPipeline.class);

    private final ObjectStore source;
    private final ObjectStore target;
    private final VerifyMode verify;
    private final BandwidthLimiter limiter;
    private final Journal journal;
    private final Optional<MultipartCopy> multipart;
    private final MetadataMapping mapping;
    /** Set once the target answered UNSUPPORTED to a server-side copy from this source: a refusal of the pair. */
    private volatile boolean serverSideRefused;
    /** Set once the target answered UNSUPPORTED to a server-side copy with attributes changed by the rules. */
    private volatile boolean attributesRefused;
    /** The largest object to copy ({@code --max-size}), or -1: applied here to objects listed without a size. */
    private final long maxSize;
    /** Stops the copies in flight at a hard max duration: every byte sent is read through its guard. */
    private final HardCutoff cutoff;
    /** Told what the run should report and goes on with (a recorded upload the store refused to abort). */
    private volatile Consumer<String> warnings = warning -> { };

    /**
     * @param maxSize the largest object to copy, or -1 for any: the plan leaves out the objects listed larger; an
     *                object listed without a size (an HTTP response without Content-Length) is stopped here once
     *                it proves larger, and fails with USER_DATA instead of filling the target
     * @param cutoff  stops the copies in flight at a hard max duration ({@link HardCutoff#never()} outside a run)
     */
    CopyPipeline(ObjectStore source, ObjectStore target, VerifyMode verify, BandwidthLimiter limiter,
            Journal journal, PartBuffers buffers, java.util.concurrent.ExecutorService partPool,
            dev.caravan.core.retry.RetryPolicy retry, List<MetadataRule> metadataRules, long maxSize,
            HardCutoff cutoff) {
        this.source = source;
        this.maxSize = maxSize;
        this.cutoff = cutoff;
        this.mapping = new MetadataMapping(metadataRules, target);
        this.target = target;
        this.verify = verify;
        this.limiter = limiter;
        this.journal = journal;
        this.multipart = target.capability(MultipartUpload.class).map(m -> new MultipartCopy(source, target, m,
                journal, limiter, buffers, partPool, retry, PART_SIZE, cutoff));
    }

    /** Makes the copies tell {@code sink} what the run should report and goes on with; returns this pipeline. */
    CopyPipeline warningsTo(Consumer<String> sink) {
        this.warnings = sink;
        return this;
    }

    /** Copies the task's object from source to target and verifies it. Throws on failure (kind decides retries). */
    TransferOutcome copy(TaskRecord taskRecord) {
        return copy(taskRecord, taskRecord.spec().item());
    }

    /** Copies the task's object to {@code targetKey} of the target. */
    TransferOutcome copy(TaskRecord taskRecord, String targetKey) {
        TaskId task = taskRecord.spec().id();
        String key = taskRecord.spec().item();
        Optional<ServerSideCopy> ssc = serverSideRefused ? Optional.empty()
                : target.capability(ServerSideCopy.class);
        // the upload an earlier attempt recorded: continued by the multipart copy, else aborted by the way taken
        RecordedUpload recorded = RecordedUpload.of(taskRecord.checkpoint(), targetKey, target, warnings);
        // a listing does not tell the attributes that declared rules apply to: then the copy looks at the source
        if (ssc.isPresent() && !mapping.hasRules()) { // first from what the source's listing said (once per task)
            Optional<ServerSideCopy.Copied> listed = ssc.get().copyListed(source, key, targetKey);
            if (listed.isPresent()) {
                ServerSideCopy.Copied c = listed.get();
                recorded.abort("its object was copied server-side in one request");
                return verifyServerSide(c.source(), c.copy()).withFacts(CopyFacts.of(c.source(), c.copy()));
            }
        }
        ObjectInfo src = source.stat(key).orElseThrow(() -> new MigrationException(ErrorKind.NOT_FOUND,
                "source object " + key + " disappeared after planning"));
        if (maxSize >= 0 && src.size() > maxSize) { // listed without a size, or grown since the plan
            throw tooLarge(key, src.size() + " B");
        }
        // without rules a server-side copy takes the source's attributes as they are: mapped only to stream
        MetadataMapping.Mapped mapped = mapping.hasRules() ? mapping.map(src) : null;
        if (ssc.isPresent()) {
            Optional<TransferOutcome> copied = copyServerSide(ssc.get(), taskRecord, src, targetKey, mapped,
                    recorded);
            if (copied.isPresent()) {
                return copied.get();
            }
        }
        if (mapped == null) {
            mapped = mapping.map(src);
        }
        if (multipart.isPresent() && multipart.get().takes(src.size(), MULTIPART_THRESHOLD)) {
            // continues the recorded upload, or aborts it (another part size, the source changed)
            TransferOutcome out = multipart.get().copy(taskRecord, src, mapped.request(), targetKey, verify);
            storeDigest(targetKey, out);
            return out.withMetadata(mapped.notes());
        }
        Optional<Rename> rename = target.features().atomicPut() ? Optional.empty() : target.capability(Rename.class);
        if (!target.features().atomicPut() && rename.isEmpty()) {
            throw new MigrationException(ErrorKind.UNSUPPORTED, target.uri() + " has neither atomic puts nor rename");
        }
        // before the put's progress replaces it in the checkpoint, where nothing would find it again
        recorded.abort("its object goes in a single put");
        String writeKey = rename.isPresent() ? TempNames.partialKey(targetKey, task) : targetKey;
        Optional<ResumableWrite> resumable = rename.isPresent() ? target.capability(ResumableWrite.class)
                : Optional.empty();
        String announced = DigestFirst.of(source, target, src, false, cutoff);
        PutRequest request = announced == null ? mapped.request() : DigestFirst.announce(mapped.request(), announced);
        try {
            long offset = resumable.isPresent() ? resumeOffset(src, writeKey) : 0;
            TransferOutcome outcome = offset > 0
                    ? streamFrom(task, src, request, writeKey, resumable.get(), offset)
                    : stream(task, src, request, writeKey);
            // an object that carries the digest of other bytes is removed
            DigestFirst.check(key, announced, outcome.sha256(), () -> deleteQuietly(writeKey));
            if (outcome.verification().outcome() != VerificationOutcome.MATCH) {
                throw new MigrationException(ErrorKind.VERIFICATION_FAILED, key + ": " + outcome.verification().detail());
            }
            if (rename.isPresent()) {
                rename.get().rename(writeKey, targetKey);
            }
            storeDigest(targetKey, outcome);
            return outcome.withMetadata(mapped.notes());
        } catch (RuntimeException e) {
            // a resumable target keeps what an interrupted attempt wrote, so the retry (or, for a copy stopped at the
            // deadline, the next run) continues from it
            boolean keep = resumable.isPresent() && (e instanceof MigrationException m
                    && m.kind() == ErrorKind.TRANSIENT || cutoff.due());
            if (rename.isPresent() && !keep) {
                deleteQuietly(writeKey);
            }
            throw e;
        }
    }

    /**
     * The copy made by the target itself, empty when it cannot make this one: the pair is refused (remembered for the
     * run), or the rules changed the object's attributes and the target cannot copy with other ones (remembered too;
     * objects the rules leave as they are still go server-side). The attributes the rules changed travel with the
     * copy ({@link ServerSideCopy#copyWithAttributes}), and the outcome carries the rules' notes. {@code mapped} is
     * {@code null} when no rules are declared.
     */
    private Optional<TransferOutcome> copyServerSide(ServerSideCopy ssc, TaskRecord task, ObjectInfo src,
            String targetKey, MetadataMapping.Mapped mapped, RecordedUpload recorded) {
        boolean changed = mapped != null && !mapped.notes().isEmpty();
        if (changed && attributesRefused) {
            return Optional.empty();
        }
        // a copy made in parts records them in the task's checkpoint and stops between parts at a hard deadline
        ServerSidePartJournal parts = new ServerSidePartJournal(task, journal,
                target.capability(MultipartUpload.class), target.uri(), targetKey, cutoff, recorded);
        try {
            ObjectInfo copied = ssc.copyResumably(source, src, targetKey, changed ? mapped.request() : null, parts);
            parts.finished();
            TransferOutcome out = verifyServerSide(src, copied, parts.resumedBytes())
                    .withFacts(CopyFacts.of(src, copied));
            return Optional.of(changed ? out.withMetadata(mapped.notes()) : out);
        } catch (MigrationException e) {
            if (e.kind() != ErrorKind.UNSUPPORTED) {
                throw e;
            }
            if (changed) {
                attributesRefused = true;
            } else {
                serverSideRefused = true; // not asked again for every object (an exception each)
            }
            return Optional.empty();
        }
    }

    /**
     * Where a copy into a {@link ResumableWrite} target continues: the temporary object of this very task (its
     * name carries the task id, which carries the source's size and time, so it holds a prefix of the same source)
     * less {@link #RESUME_MARGIN} (writes still in flight when the earlier attempt died may have landed out of
     * order near its end), in whole 64 KiB blocks. Zero (write from the start) for small objects, a missing or
     * complete temporary object, or a margin that leaves nothing to gain. What is kept is trusted only after the
     * verification of the whole object; a mismatch deletes it, so the next attempt starts from zero.
     */
    private long resumeOffset(ObjectInfo src, String writeKey) {
        if (src.size() < RESUME_MIN) {
            return 0;
        }
        long partial = target.stat(writeKey).map(ObjectInfo::size).orElse(0L);
        if (partial <= 0 || partial >= src.size()) {
            return 0;
        }
        long offset = Math.max(0, partial - RESUME_MARGIN) & ~0xFFFFL;
        return offset >= RESUME_MIN / 2 ? offset : 0;
    }

    /**
     * Continues an interrupted copy at {@code offset}: the source's first bytes are read again only to be hashed
     * (reading locally is cheap next to sending), the rest is sent with {@link ResumableWrite#writeFrom}, and the
     * whole object is verified as a fresh copy would be.
     */
    private TransferOutcome streamFrom(TaskId task, ObjectInfo src, PutRequest request, String writeKey,
            ResumableWrite resumable, long offset) {
        HashingInputStream hashing;
        ObjectInfo written;
        try (InputStream raw = cutoff.guard(source.open(src.key(), ByteRange.ALL), src.key())) {
            hashing = new HashingInputStream(raw, target.features().hashes());
            MultipartCopy.drain(hashing, offset, new byte[64 * 1024], src.key()); // hashed, not sent
            InputStream rest = limiter.rate() > 0 ? new ThrottledInputStream(hashing, limiter, holeBlock(), offset)
                    : hashing;
            written = resumable.writeFrom(writeKey, offset, new ProgressCheckpointStream(rest, journal, task),
                    request);
        } catch (IOException e) {
            throw MigrationException.transientError("reading " + src.key() + " from " + source.uri() + ": "
                    + e.getMessage(), e);
        }
        long bytes = hashing.count();
        if (src.size() >= 0 && bytes != src.size()) {
            throw MigrationException.transientError("source " + src.key() + " changed while copying (expected "
                    + src.size() + " bytes, read " + bytes + ")", null);
        }
        LOG.info("{}: resumed at byte {} of {}", src.key(), offset, bytes);
        return new TransferOutcome(bytes, hashing.sha256Hex(), check(src.key(), writeKey, bytes, hashing.digests(),
                written), true, bytes - offset);
    }

    /** The target's hole block ({@link SparseWrite}): blocks of zeros it does not send are not charged; 0: none. */
    private int holeBlock() {
        return target.capability(SparseWrite.class).map(SparseWrite::holeBlock).orElse(0);
    }

    private MigrationException tooLarge(String key, String size) {
        return new MigrationException(ErrorKind.USER_DATA, key + ": " + size + ", larger than --max-size " + maxSize
                + " B (its size was not known when the run was planned): not copied");
    }

    /** Fails the read that would pass {@code max} bytes, and remembers that it did. */
    private static final class SizeCap extends java.io.FilterInputStream {
        private final long max;
        private long count;
        private volatile boolean exceeded;

        SizeCap(InputStream in, long max) {
            super(in);
            this.max = max;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                counted(1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                counted(n);
            }
            return n;
        }

        private void counted(int n) throws IOException {
            count += n;
            if (count > max) {
                exceeded = true;
                throw new IOException("larger than --max-size " + max + " B");
            }
        }
    }

    /** Keeps our SHA-256 with the object where the target has user metadata, so verification needs no download. */
    private void storeDigest(String key, TransferOutcome outcome) {
        if (outcome.sha256() != null) {
            target.capability(MetadataWrite.class).ifPresent(m -> m.putMetadata(key,
                    Map.of(SHA256_METADATA, outcome.sha256())));
        }
    }

    private TransferOutcome stream(TaskId task, ObjectInfo src, PutRequest request, String writeKey) {
        HashingInputStream hashing;
        ObjectInfo written;
        SizeCap cap = null;
        try (InputStream raw = cutoff.guard(source.open(src.key(), ByteRange.ALL), src.key())) {
            InputStream capped = raw;
            if (src.size() < 0 && maxSize >= 0) {
                capped = cap = new SizeCap(raw, maxSize);
            }
            InputStream in = limiter.rate() > 0 ? new ThrottledInputStream(capped, limiter, holeBlock(), 0) : capped;
            hashing = new HashingInputStream(new ProgressCheckpointStream(in, journal, task),
                    target.features().hashes());
            written = target.put(writeKey, hashing, request);
        } catch (IOException | RuntimeException e) {
            if (cap != null && cap.exceeded) { // whatever the target made of the failed read
                throw tooLarge(src.key(), "more than " + maxSize + " B");
            }
            if (e instanceof RuntimeException r) {
                throw r;
            }
            throw MigrationException.transientError("reading " + src.key() + " from " + source.uri() + ": "
                    + e.getMessage(), e);
        }
        String sha = hashing.sha256Hex();
        long bytes = hashing.count();
        if (src.size() >= 0 && bytes != src.size()) {
            throw MigrationException.transientError("source " + src.key() + " changed while copying (expected "
                    + src.size() + " bytes, read " + bytes + ")", null);
        }
        TransferOutcome outcome = new TransferOutcome(bytes, sha, check(src.key(), writeKey, bytes,
                hashing.digests(), written), true);
        // the written ETag is final when the target holds our SHA-256 with the object (storeDigest then writes nothing;
        // should it still write, the next plan finds another ETag and only looks closer); objects renamed into place
        // and targets that do not keep our digest record no facts
        boolean direct = !TempNames.isPartial(writeKey) && sha != null
                && sha.equalsIgnoreCase(written.hash(HashType.SHA256).orElse(null));
        return direct ? outcome.withFacts(CopyFacts.of(src, written)) : outcome;
    }

    private VerificationItem check(String key, String writeKey, long bytes, Map<HashType, String> sent,
            ObjectInfo written) {
        String sha = sent.get(HashType.SHA256);
        if (verify == VerifyMode.NONE) {
            return new VerificationItem(key, VerificationOutcome.MATCH, "none", "");
        }
        if (written.size() >= 0 && written.size() != bytes) {
            return new VerificationItem(key, VerificationOutcome.DIFFER, "size",
                    "sent " + bytes + " bytes, target holds " + written.size());
        }
        if (verify == VerifyMode.SIZE) {
            return new VerificationItem(key, VerificationOutcome.MATCH, "size", "");
        }
        // the target's digest of what it wrote: one it keeps with the object ("-stored": S3, Azure), or one its put
        // computed over the bytes it wrote (the local store), which makes reading them back unnecessary
        for (HashType type : HashType.values()) {
            String theirs = written.hashes().get(type);
            String ours = sent.get(type);
            if (theirs != null && ours != null) {
                String method = type.name().toLowerCase(java.util.Locale.ROOT)
                        + (target.features().hashes().contains(type) ? "-stored" : "");
                return theirs.equalsIgnoreCase(ours) ? new VerificationItem(key, VerificationOutcome.MATCH, method, "")
                        : new VerificationItem(key, VerificationOutcome.DIFFER, method,
                                type + " " + ours + " sent, " + theirs + " stored");
            }
        }
        return readBack(target, writeKey, key, sha);
    }

    /**
     * Compares the SHA-256 computed while sending an object with the target's: one the target computes where the
     * object lives ({@link ComputedDigest}) when it can, else that of the object read back.
     */
    static VerificationItem readBack(ObjectStore target, String writeKey, String item, String sha) {
        // a digest the target computes where the object lives (an SSH server's sha256sum) reads nothing back
        Optional<String> computed = target.capability(ComputedDigest.class).flatMap(c -> c.sha256(writeKey));
        if (computed.isPresent()) {
            return computed.get().equalsIgnoreCase(sha)
                    ? new VerificationItem(item, VerificationOutcome.MATCH, "sha256-computed", "")
                    : new VerificationItem(item, VerificationOutcome.DIFFER, "sha256-computed",
                            "sha256 " + sha + " sent, " + computed.get() + " computed by the target");
        }
        String actual;
        try (InputStream back = target.open(writeKey, ByteRange.ALL)) {
            actual = HashingInputStream.sha256Of(back);
        } catch (IOException e) {
            throw MigrationException.transientError("reading back " + writeKey + ": " + e.getMessage(), e);
        }
        return actual.equals(sha) ? new VerificationItem(item, VerificationOutcome.MATCH, "sha256", "")
                : new VerificationItem(item, VerificationOutcome.DIFFER, "sha256",
                        "sha256 " + sha + " sent, " + actual + " stored");
    }

    private TransferOutcome verifyServerSide(ObjectInfo src, ObjectInfo copied) {
        return verifyServerSide(src, copied, 0);
    }

    /** @param resumed the bytes of the parts an earlier attempt copied, not copied again */
    private TransferOutcome verifyServerSide(ObjectInfo src, ObjectInfo copied, long resumed) {
        boolean sizeOk = src.size() < 0 || copied.size() < 0 || src.size() == copied.size();
        Optional<String> a = src.hash(HashType.SHA256);
        Optional<String> b = copied.hash(HashType.SHA256);
        VerificationItem item;
        if (!sizeOk) {
            item = new VerificationItem(src.key(), VerificationOutcome.DIFFER, "size",
                    "source " + src.size() + " bytes, copy " + copied.size());
        } else if (a.isPresent() && b.isPresent()) {
            item = new VerificationItem(src.key(), a.get().equals(b.get()) ? VerificationOutcome.MATCH
                    : VerificationOutcome.DIFFER, "sha256-stored", a.get().equals(b.get()) ? "" : a.get() + " != " + b.get());
        } else if (src.hash(HashType.MD5).isPresent() && copied.hash(HashType.MD5).isPresent()) {
            boolean same = src.hash(HashType.MD5).equals(copied.hash(HashType.MD5));
            item = new VerificationItem(src.key(), same ? VerificationOutcome.MATCH : VerificationOutcome.DIFFER,
                    "md5-server-side", same ? "" : src.hash(HashType.MD5).get() + " != " + copied.hash(HashType.MD5).get());
        } else {
            item = new VerificationItem(src.key(), VerificationOutcome.MATCH, "size+server-side", "");
        }
        if (!item.matches()) {
            throw new MigrationException(ErrorKind.VERIFICATION_FAILED, src.key() + ": " + item.detail());
        }
        long bytes = Math.max(0, copied.size());
        return new TransferOutcome(bytes, a.orElse(null), item, true, Math.max(0, bytes - resumed));
    }

    private void deleteQuietly(String key) {
        try {
            target.delete(key);
        } catch (RuntimeException ignored) {
            // the next run's plan finds and removes leftovers by their temporary name
        }
    }
}
