package dev.caravan.core.engine;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import dev.caravan.api.journal.TaskRecord;
import dev.caravan.api.store.ObjectInfo;
import dev.caravan.api.store.ObjectStore;
import dev.caravan.api.verify.VerificationItem;
import dev.caravan.core.plan.KeyMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the target already holds of a task's object, compared before anything is written or deleted: the copy an
 * interrupted attempt published just before it died, and a move's copy made by an earlier run.
 */
final class ExistingCopies {
    private static final Logger LOG = LoggerFactory.getLogger(ExistingCopies.class);

    private final ObjectStore source;
    private final ObjectStore target;
    private final KeyMap keyMap;

    ExistingCopies(ObjectStore source, ObjectStore target, KeyMap keyMap) {
        this.source = source;
        this.target = target;
        this.keyMap = keyMap;
    }

    /**
     * A task begun by an earlier attempt that died may have published its object just before the crash: when the
     * target already holds an object of the source's size and SHA-256, it is recorded as done, not copied again.
     */
    TransferOutcome alreadyInPlace(TaskRecord task) {
        if (task.attempts() == 0 || !task.checkpoint().values().keySet().stream()
                .allMatch(k -> k.equals("copy.bytes") || k.equals(Backups.PRESERVED))) {
            return null; // never begun, or a resumable multipart upload is under way
        }
        String key = task.spec().item();
        ObjectInfo s = source.stat(key).orElse(null);
        ObjectInfo t = target.stat(keyMap.target(key)).orElse(null);
        if (s == null || t == null || s.size() != t.size()) {
            return null;
        }
        if (s.modTime() != null && t.modTime() != null
                && java.time.Duration.between(s.modTime(), t.modTime()).abs().toMillis() > 1000) {
            return null; // an older version of the object: replace it
        }
        VerificationItem item = ObjectComparer.compare(key, source, s, target, t);
        if (!item.matches()) {
            return null;
        }
        LOG.info("{} was already in place from an interrupted attempt; not copying it again", key);
        return new TransferOutcome(s.size(), null, item, false);
    }

    /** Move mode, object already on the target: delete the source only when both sides hash the same. */
    TransferOutcome deleteSourceIfSame(String key, AtomicLong deleted) {
        ObjectInfo s = source.stat(key).orElse(null);
        ObjectInfo t = target.stat(keyMap.target(key)).orElse(null);
        if (s == null) {
            return new TransferOutcome(0, null, null, false);
        }
        if (t == null) {
            throw new MigrationException(ErrorKind.VERIFICATION_FAILED, "not deleting source " + key
                    + ": it is missing on the target");
        }
        VerificationItem item = ObjectComparer.compare(key, source, s, target, t);
        if (!item.matches()) {
            throw new MigrationException(ErrorKind.VERIFICATION_FAILED, "not deleting source " + key + ": "
                    + item.detail() + " (the plan compared them as the same; with --compare checksum, or compare"
                    + " checksum in YAML, a move replaces the target's copy)");
        }
        source.delete(key);
        deleted.incrementAndGet();
        return new TransferOutcome(0, null, item, false);
    }
}
