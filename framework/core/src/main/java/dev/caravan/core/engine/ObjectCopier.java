package dev.caravan.core.engine;

import dev.caravan.api.journal.Checkpoint;
import dev.caravan.api.journal.TaskId;
import dev.caravan.api.journal.TaskRecord;
import dev.caravan.api.journal.TaskSpec;
import dev.caravan.api.journal.TaskState;
import dev.caravan.api.store.ObjectInfo;
import dev.caravan.api.store.ObjectStore;
import dev.caravan.api.verify.VerificationItem;
import dev.caravan.core.metadata.MetadataNote;
import dev.caravan.core.plan.PlannedTask;
import dev.caravan.core.retry.RetryPolicy;
import dev.caravan.core.throttle.BandwidthLimiter;
import dev.caravan.core.verify.VerifyMode;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Copies and compares single objects exactly as a migration run does (server-side where possible, else streamed
 * through SHA-256 into a temporary name, verified, published atomically; multipart for large objects), for
 * callers that work object by object outside a run, such as Camel producers. Thread-safe.
 */
public final class ObjectCopier implements AutoCloseable {
    private final ObjectStore source;
    private final ObjectStore target;
    private final CopyPipeline pipeline;
    private final ExecutorService partPool;

    /**
     * @param source  where objects are read
     * @param target  where they are written
     * @param verify  how each copy is verified before it is published
     * @param limiter a bandwidth limit shared with other transfers (see {@link MigrationEngine#bandwidth()})
     * @param retries attempts after the first for transient errors
     */
    public ObjectCopier(ObjectStore source, ObjectStore target, VerifyMode verify, BandwidthLimiter limiter,
            int retries) {
        this.source = source;
        this.target = target;
        this.partPool = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "caravan-part");
            t.setDaemon(true);
            return t;
        });
        RetryPolicy retry = RetryPolicy.of(retries, Duration.ofMillis(200));
        this.pipeline = new CopyPipeline(source, target, verify, limiter, DetachedJournal.INSTANCE,
                new PartBuffers(64L << 20), partPool, retry, List.of(), -1, HardCutoff.never());
    }

    /** Copies {@code sourceKey} to {@code targetKey}, verified; throws {@link dev.caravan.api.error.MigrationException}. */
    public Copied copy(String sourceKey, String targetKey) {
        TaskId id = TaskId.of(source.uri(), target.uri(), "copy:" + sourceKey + "->" + targetKey);
        TaskRecord task = new TaskRecord(new TaskSpec(id, PlannedTask.COPY, sourceKey, -1), "detached", TaskState.RUNNING, 1,
                Checkpoint.EMPTY, null, null);
        TransferOutcome out = pipeline.copy(task, targetKey);
        return new Copied(targetKey, out.bytes(), out.sha256(), out.verification(), out.metadata());
    }

    /** Compares an object on both stores by size and SHA-256 (stored digests where both have one). */
    public static VerificationItem compare(String key, ObjectStore source, ObjectInfo s, ObjectStore target,
            ObjectInfo t) {
        return ObjectComparer.compare(key, source, s, target, t);
    }

    @Override
    public void close() {
        partPool.shutdownNow();
    }

    /**
     * A finished copy.
     *
     * @param targetKey    where it was written
     * @param bytes        its size
     * @param sha256       SHA-256 of the bytes sent
     * @param verification how it was verified
     * @param metadata     descriptive attributes that did not reach the target as they were (none when empty)
     */
    public record Copied(String targetKey, long bytes, String sha256, VerificationItem verification,
            List<MetadataNote> metadata) {
        public Copied {
            metadata = List.copyOf(metadata);
        }
    }
}
