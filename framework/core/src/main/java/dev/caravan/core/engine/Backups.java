package dev.caravan.core.engine;

import dev.caravan.api.journal.Checkpoint;
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
import java.util.OptionalLong;
import java.util.function.Consumer;
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
 * only (a first attempt overwrites what an earlier run left under that key). A large copy streamed as a multipart
 * upload is checkpointed in the task's own checkpoint ({@link BackupCheckpoints}), apart from the task's own upload (an
 * interrupted replacement's, which a kill during the backup copy does not lose): a killed or cut-off run's next run
 * continues each from its finished parts, and {@code caravan cleanup} keeps both meanwhile. Thread-safe.
 */
final class Backups implements AutoCloseable {
    /** The backup copy's checkpoint key: the version of the target object the backup dir holds, see {@link #version}. */
    private static final String KEPT_VERSION = "preserved";
    /** {@link #KEPT_VERSION} as the task's checkpoint holds it ({@link BackupCheckpoints}). */
    static final String PRESERVED = BackupCheckpoints.PREFIX + KEPT_VERSION;
    /** Task report key: the bytes the task's attempt sent into the backup dir (less than the size when resumed). */
    static final String BYTES_SENT = "backup.bytesSent";
    private static final Logger LOG = LoggerFactory.getLogger(Backups.class);

    private final ObjectStore target;
    private final ObjectStore backup;
    private final BackupDir dir;
    /** The journal as the backup copies see it: their entries in the task's checkpoint, apart from its own. */
    private final BackupCheckpoints checkpoints;
    /** The copy pipeline to the backup store whose copies a given cut-off stops. */
    private final Function<HardCutoff, CopyPipeline> pipelines;
    private final CopyPipeline pipeline;
    /** Whether {@link #close} closes the backup store: only the instance {@link #open} returned owns it. */
    private final boolean ownsStore;
    /** The run's limits its copies count against; null: none. */
    private final RunLimits limits;

    private Backups(BackupDir dir, ObjectStore target, ObjectStore backup, BackupCheckpoints checkpoints,
            Function<HardCutoff, CopyPipeline> pipelines, RunLimits limits, boolean ownsStore) {
        this.dir = dir;
        this.target = target;
        this.backup = backup;
        this.checkpoints = checkpoints;
        this.pipelines = pipelines;
        this.limits = limits;
        this.pipeline = pipelines.apply(limits == null ? HardCutoff.never() : limits.cutoff());
        this.ownsStore = ownsStore;
    }

    /**
     * The backup dir of {@code spec} opened, or {@code null} when it has none. The backup store takes its own
     * connector options ({@link BackupDir#options}, {@code --backup-option}) when it has any; else the target's when it
     * is on the target's connector (its endpoint and credentials), else none. Fails with
     * USER_CONFIG, before anything is written, when it overlaps the source or the target ({@link Guards#backupOverlap}),
     * or when its credentials say they cannot keep copies there ({@link Preflight#backupAccess}: an Azure SAS).
     * Its copies are always verified by SHA-256 (the original is deleted or overwritten next), whatever the run's
     * verification.
     */
    static Backups open(MigrationSpec spec, ConnectorRegistry registry, ObjectStore source, ObjectStore target,
            JdbcJournal journal, BandwidthLimiter limiter, PartBuffers buffers, ExecutorService partPool) {
        BackupDir dir = spec.backup();
        if (dir == null) {
            return null;
        }
        ObjectStore backup = registry.openStore(dir.location(), options(dir, spec));
        String overlap = Guards.backupOverlap(backup, source, target);
        try {
            if (overlap != null) {
                throw MigrationException.userConfig(overlap);
            }
            Preflight.backupAccess(backup);
        } catch (RuntimeException e) {
            backup.close();
            throw e;
        }
        RetryPolicy retry = RetryPolicy.of(spec.retries(), spec.retryBaseDelay(), spec.outageWait());
        BackupCheckpoints checkpoints = new BackupCheckpoints(journal);
        Function<HardCutoff, CopyPipeline> pipelines = cutoff -> new CopyPipeline(target, backup, VerifyMode.SHA256,
                limiter, checkpoints, buffers, partPool, retry, List.of(), -1, cutoff);
        return new Backups(dir, target, backup, checkpoints, pipelines, null, true);
    }

    /**
     * The connector options {@code dir} is opened with in a run of {@code spec}: its own when it has any; else the
     * target's when it is on the target's connector (its endpoint and credentials), else none.
     */
    static Map<String, String> options(BackupDir dir, MigrationSpec spec) {
        boolean targetsConnector = Endpoint.parse(dir.location()).scheme().equals(Endpoint.parse(spec.target()).scheme());
        return !dir.options().isEmpty() ? dir.options() : targetsConnector ? spec.targetOptions() : Map.of();
    }

    /**
     * These backups within a run's {@code limits}, as the run's own transfers are: a copy to the backup dir in flight
     * at a hard max duration stops within a read ({@link RunLimits#cutoff}), and the task that was to delete or
     * overwrite the original is cut off with it, the original untouched; each copy's bytes count against the max
     * transfer ({@link RunLimits#admitsBackup}: streamed or server-side, as the run's copies), and one that would go
     * past it is not made: the task fails with {@link OverLimit}, its original untouched, for the next run. Its copies
     * tell {@code warnings} what the run should report. Shares the backup store, which only the instance {@link #open}
     * returned closes.
     */
    Backups within(RunLimits runLimits, Consumer<String> warnings) {
        return new Backups(dir, target, backup, checkpoints, cutoff -> pipelines.apply(cutoff).warningsTo(warnings),
                runLimits, false);
    }

    /** The backup dir. */
    BackupDir dir() {
        return dir;
    }

    /** The backup dir's store. */
    ObjectStore store() {
        return backup;
    }

    /**
     * Copies the target's object {@code targetKey}, which {@code task} is about to delete or overwrite, to the backup
     * dir, unless it is there already (see the class comment). Nothing to do when the target has no such object.
     * Throws as a copy does; the caller then leaves the original as it is. Returns the bytes this call sent into the
     * backup dir (0 when it was there already, less than the object when an interrupted upload was continued), or
     * empty when the target had no such object.
     */
    OptionalLong preserve(TaskRecord task, String targetKey) {
        ObjectInfo current = target.stat(targetKey).orElse(null);
        if (current == null) {
            return OptionalLong.empty();
        }
        long sent = 0;
        String version = version(current);
        String backupKey = dir.keyFor(targetKey);
        boolean triedBefore = task.attempts() > 0 || !task.checkpoint().isEmpty();
        if (version.equals(task.checkpoint().get(PRESERVED)) || triedBefore && sameBytes(current, backupKey)) {
            LOG.info("{}: already kept in {} as {}", targetKey, backup.uri(), backupKey);
        } else {
            // under the task's own id: its checkpoints (a multipart upload's) go with the task, for the next attempt
            TaskRecord copy = new TaskRecord(new TaskSpec(task.spec().id(), "BACKUP", targetKey, current.size()),
                    task.runId(), TaskState.RUNNING, 0, BackupCheckpoints.of(task.checkpoint()), null, null);
            if (limits != null && !limits.admitsBackup(current.size())) {
                throw new OverLimit(targetKey, current.size());
            }
            TransferOutcome kept = pipeline.copy(copy, backupKey);
            sent = kept.bytesSent();
            if (limits != null) {
                limits.backupCopied(current.size(), sent);
            }
            LOG.debug("{}: kept in {} as {}", targetKey, backup.uri(), backupKey);
        }
        // recorded before the original is touched: a rerun or retry does not copy it again; in place of the backup
        // copy's upload, the task's own (an interrupted replacement's) kept
        checkpoints.checkpoint(task.spec().id(), new Checkpoint(Map.of(KEPT_VERSION, version)));
        return OptionalLong.of(sent);
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

    /**
     * A task not done because the copy it was to keep in the backup dir first would have taken the bytes copied past
     * the max transfer. FATAL, so that nothing retries it; the runner leaves the task open for the next run
     * ({@link RunLimits#leftOver}).
     */
    static final class OverLimit extends MigrationException {
        OverLimit(String targetKey, long size) {
            super(dev.caravan.api.error.ErrorKind.FATAL, targetKey + ": keeping its " + size + " B in the backup dir"
                    + " would go past the max transfer");
        }
    }

    /** Which version of an object: its size, modification time and ETag. */
    static String version(ObjectInfo o) {
        return o.size() + ":" + (o.modTime() == null ? "" : o.modTime().toEpochMilli()) + ":"
                + (o.etag() == null ? "" : o.etag());
    }
}
