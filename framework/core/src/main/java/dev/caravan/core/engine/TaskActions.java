package dev.caravan.core.engine;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import dev.caravan.api.journal.TaskRecord;
import dev.caravan.api.store.ObjectStore;
import dev.caravan.core.plan.KeyMap;
import dev.caravan.core.plan.PlannedTask;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one task of a run does to the stores, by its planned action: a copy or replace through the copy pipeline
 * (unless the target holds the object already), an update of the target's attributes ({@link AttributeUpdate}, else
 * a copy), a deletion on the target or of a move's source, a clean-up of a
 * temporary object. With a backup dir ({@link #preserving}) the target's object is kept there before it is replaced
 * or deleted. Retries and the journal are the {@link TaskRunner}'s.
 */
final class TaskActions {
    private static final Logger LOG = LoggerFactory.getLogger(TaskActions.class);

    private final ObjectStore target;
    private final KeyMap keyMap;
    private final CopyPipeline pipeline;
    private final ExistingCopies existing;
    private final ExecutionStats stats;
    private final AttributeUpdate attributes;
    /** Where target objects are kept before they are deleted or overwritten; null: nowhere. */
    private volatile Backups backups;

    TaskActions(ObjectStore target, KeyMap keyMap, CopyPipeline pipeline, ExistingCopies existing,
            ExecutionStats stats, AttributeUpdate attributes) {
        this.target = target;
        this.attributes = attributes;
        this.keyMap = keyMap;
        this.pipeline = pipeline;
        this.existing = existing;
        this.stats = stats;
    }

    /** Keeps each target object in {@code keeper}'s backup dir before a task deletes or overwrites it. */
    void preserving(Backups keeper) {
        this.backups = keeper;
    }

    /** One attempt; a copy whose verification found a mismatch is tried once more before it counts. */
    TransferOutcome attempt(TaskRecord task) {
        try {
            return dispatch(task);
        } catch (MigrationException e) {
            if (e.kind() == ErrorKind.VERIFICATION_FAILED && PlannedTask.transfers(task.spec().action())) {
                LOG.warn("{}: verification failed, copying once more: {}", task.spec().item(), e.getMessage());
                return dispatch(task);
            }
            throw e;
        }
    }

    private TransferOutcome dispatch(TaskRecord task) {
        String key = task.spec().item();
        return switch (task.spec().action()) {
            case PlannedTask.COPY, PlannedTask.REPLACE -> {
                TransferOutcome already = existing.alreadyInPlace(task);
                if (already != null) {
                    yield already;
                }
                OptionalLong kept = PlannedTask.REPLACE.equals(task.spec().action())
                        ? preserve(task, keyMap.target(key)) : OptionalLong.empty();
                // the record read from the journal carries the checkpoint; a move deletes the source once recorded
                TransferOutcome copied = pipeline.copy(task, keyMap.target(key));
                yield reportingBackup(copied, kept);
            }
            case PlannedTask.METADATA -> {
                TransferOutcome updated = attributes.update(key, keyMap.target(key));
                if (updated != null) {
                    yield updated;
                }
                // the target cannot update attributes in place: the object is copied again, as a replacement
                OptionalLong kept = preserve(task, keyMap.target(key));
                yield reportingBackup(pipeline.copy(task, keyMap.target(key)), kept);
            }
            case PlannedTask.DELETE_SOURCE -> existing.deleteSourceIfSame(key, stats.deleted);
            case PlannedTask.DELETE -> {
                OptionalLong kept = preserve(task, key);
                target.delete(key);
                stats.deleted.incrementAndGet();
                yield reportingBackup(new TransferOutcome(0, null, null, false), kept);
            }
            case PlannedTask.CLEANUP -> {
                target.delete(key);
                yield new TransferOutcome(0, null, null, false);
            }
            default -> throw new MigrationException(ErrorKind.FATAL, "unknown task action " + task.spec().action());
        };
    }

    /**
     * Keeps the target's object in the backup dir (when there is one) before the task deletes or overwrites it; returns
     * the bytes sent there, empty when nothing was kept.
     */
    private OptionalLong preserve(TaskRecord task, String targetKey) {
        OptionalLong sent = backups == null ? OptionalLong.empty() : backups.preserve(task, targetKey);
        if (sent.isPresent()) {
            stats.preserved.incrementAndGet();
        }
        return sent;
    }

    /** {@code outcome} whose task report also tells the bytes sent into the backup dir ({@link Backups#BYTES_SENT}). */
    private static TransferOutcome reportingBackup(TransferOutcome outcome, OptionalLong backupSent) {
        if (backupSent.isEmpty()) {
            return outcome;
        }
        Map<String, String> facts = new HashMap<>(outcome.facts());
        facts.put(Backups.BYTES_SENT, Long.toString(backupSent.getAsLong()));
        return outcome.withFacts(facts);
    }
}
