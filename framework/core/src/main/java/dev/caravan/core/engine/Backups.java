package dev.caravan.core.engine;

import dev.caravan.api.journal.Checkpoint;
import dev.caravan.api.journal.TaskId;
import dev.caravan.api.journal.TaskRecord;
import dev.caravan.api.journal.TaskSpec;
import dev.caravan.api.journal.TaskState;
import dev.caravan.api.store.ObjectInfo;
import dev.caravan.api.store.ObjectStore;
import dev.caravan.api.error.MigrationException;
import dev.caravan.core.journal.JdbcJournal;
import dev.caravan.core.plan.BackupDir;
import dev.caravan.core.plan.MigrationSpec;
import dev.caravan.core.registry.ConnectorRegistry;
import dev.caravan.core.registry.Endpoint;
import dev.caravan.core.retry.RetryPolicy;
import dev.caravan.core.throttle.BandwidthLimiter;
import dev.caravan.core.verify.VerifyMode;
import java.util.concurrent.ExecutorService;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the target objects a run deletes or overwrites in its {@link BackupDir} before it does. Each is copied by a
 * {@link CopyPipeline} from the target to the backup store: server-side where the backup store can copy from the
 * target's (one provider and endpoint: S3 CopyObject between buckets or prefixes), else streamed into a temporary name,
 * verified and renamed into place, like any copy. The task that deletes or overwrites goes on only once that copy is
 * done.
 *
 * <p>Durable: once a copy is verified, the task's checkpoint records which version of the target object it keeps
 * ({@link #PRESERVED}: size, time and ETag) before the original is touched, so a run killed between the two, or a retry,
 * does not copy it again. A copy whose record was lost (a kill between the copy and the record, or a replacement's
 * own checkpoints since) is recognised by comparing the backup's bytes with the target's, on a task's later attempts
 * only (a first attempt overwrites what an earlier run left under that key). Thread-safe.
 */
final class Backups implements AutoCloseable {
    /** Checkpoint key: the version of the target object the backup dir holds, see {@link #version}. */
    static final String PRESERVED = "backup.preserved";
    private static final Logger LOG = LoggerFactory.getLogger(Backups.class);

    private final ObjectStore target;
    private final ObjectStore backup;
    private final BackupDir dir;
    private final JdbcJournal journal;
    /** The copy pipeline to the backup store whose copies a given cut-off stops. */
    private final Function<HardCutoff, CopyPipeline> pipelines;
    private final CopyPipeline pipeline;
    /** Whether {@link #close} closes the backup store: only the instance {@link #open} returned owns it. */
    private final boolean ownsStore;

    private Backups(BackupDir dir, ObjectStore target, ObjectStore backup, JdbcJournal journal,
            Function<HardCutoff, CopyPipeline> pipelines, HardCutoff cutoff, boolean ownsStore) {
        this.dir = dir;
        this.target = target;
        this.backup = backup;
        this.journal = journal;
        this.pipelines = pipelines;
        this.pipeline = pipelines.apply(cutoff);
        this.ownsStore = ownsStore;
    }

    /**
     * The backup dir of {@code spec} opened, or {@code null} when it has none. The backup store takes the target's
     * connector options when it is on the target's connector (its endpoint and credentials), else none. Fails with
     * USER_CONFIG, before anything is written, when it overlaps the source or the target ({@link Guards#backupOverlap}).
     * Its copies are always verified by SHA-256 (the original is deleted or overwritten next), whatever the run's
     * verification.
     */
    static Backups open(MigrationSpec spec, ConnectorRegistry registry, ObjectStore source, ObjectStore target,
            JdbcJournal journal, BandwidthLimiter limiter, PartBuffers buffers, ExecutorService partPool) {
        BackupDir dir = spec.backup();
        if (dir == null) {
            return null;
        }
        boolean targetsConnector = Endpoint.parse(dir.location()).scheme().equals(Endpoint.parse(spec.target()).scheme());
        ObjectStore backup = registry.openStore(dir.location(), targetsConnector ? spec.targetOptions() : Map.of());
        String overlap = Guards.backupOverlap(backup, source, target);
        if (overlap != null) {
            backup.close();
            throw MigrationException.userConfig(overlap);
        }
        RetryPolicy retry = RetryPolicy.of(spec.retries(), spec.retryBaseDelay(), spec.outageWait());
        Function<HardCutoff, CopyPipeline> pipelines = cutoff -> new CopyPipeline(target, backup, VerifyMode.SHA256,
                limiter, journal, buffers, partPool, retry, List.of(), -1, cutoff);
        return new Backups(dir, target, backup, journal, pipelines, HardCutoff.never(), true);
    }

    /**
     * These backups, their copies stopped by {@code cutoff} (a run's hard max duration) as the run's own transfers
     * are: a copy to the backup dir in flight at the deadline stops within a read, and the task that was to delete or
     * overwrite the original is cut off with it, the original untouched. Shares the backup store, which only the
     * instance {@link #open} returned closes.
     */
    Backups stoppedBy(HardCutoff cutoff) {
        return new Backups(dir, target, backup, journal, pipelines, cutoff, false);
    }

    /** The backup dir. */
    BackupDir dir() {
        return dir;
    }

    /**
     * Copies the target's object {@code targetKey}, which {@code task} is about to delete or overwrite, to the backup
     * dir, unless it is there already (see the class comment). Nothing to do when the target has no such object.
     * Throws as a copy does; the caller then leaves the original as it is. Returns whether the object is kept (false:
     * the target had none).
     */
    boolean preserve(TaskRecord task, String targetKey) {
        ObjectInfo current = target.stat(targetKey).orElse(null);
        if (current == null) {
            return false;
        }
        String version = version(current);
        String backupKey = dir.keyFor(targetKey);
        boolean triedBefore = task.attempts() > 0 || !task.checkpoint().isEmpty();
        if (version.equals(task.checkpoint().get(PRESERVED)) || triedBefore && sameBytes(current, backupKey)) {
            LOG.info("{}: already kept in {} as {}", targetKey, backup.uri(), backupKey);
        } else {
            TaskId copyId = TaskId.of(target.uri(), backup.uri(), "backup:" + task.spec().id().value());
            TaskRecord copy = new TaskRecord(new TaskSpec(copyId, "BACKUP", targetKey, current.size()), task.runId(),
                    TaskState.RUNNING, 0, Checkpoint.EMPTY, null, null);
            pipeline.copy(copy, backupKey);
            LOG.debug("{}: kept in {} as {}", targetKey, backup.uri(), backupKey);
        }
        // recorded before the original is touched: a rerun or retry does not copy it again
        journal.checkpoint(task.spec().id(), new Checkpoint(Map.of(PRESERVED, version)));
        return true;
    }

    @Override
    public void close() {
        if (ownsStore) {
            backup.close();
        }
    }

    private boolean sameBytes(ObjectInfo current, String backupKey) {
        ObjectInfo kept = backup.stat(backupKey).orElse(null);
        return kept != null && kept.size() == current.size()
                && ObjectComparer.compare(backupKey, target, current, backup, kept).matches();
    }

    /** Which version of an object: its size, modification time and ETag. */
    static String version(ObjectInfo o) {
        return o.size() + ":" + (o.modTime() == null ? "" : o.modTime().toEpochMilli()) + ":"
                + (o.etag() == null ? "" : o.etag());
    }
}
