package dev.caravan.camel.objects.operations;

import dev.caravan.api.store.ObjectInfo;
import dev.caravan.api.store.ObjectStore;
import dev.caravan.api.verify.VerificationItem;
import dev.caravan.api.verify.VerificationOutcome;
import dev.caravan.camel.objects.Hashing;
import dev.caravan.camel.objects.ObjectRequest;
import dev.caravan.camel.objects.ObjectsConstants;
import dev.caravan.camel.support.OperationResponse;
import java.util.Optional;

/**
 * {@code verify}: compares the key with the target key of the target store, by size and then SHA-256 (stored
 * hashes where a side has one, else read); body a {@link VerificationItem}. A mismatch is an outcome, not an
 * error.
 */
public final class VerifyObject implements ObjectOperation {
    @Override
    public OperationResponse execute(ObjectRequest request) {
        String key = request.key();
        String targetKey = request.targetKey();
        ObjectStore source = request.store();
        ObjectStore target = request.targetStore();
        VerificationItem item = compare(key, source, source.stat(key), target, target.stat(targetKey));
        return OperationResponse.of(item)
                .with(ObjectsConstants.KEY, key)
                .with(ObjectsConstants.TARGET_KEY, targetKey)
                .with(ObjectsConstants.VERIFICATION_OUTCOME, item.outcome().name());
    }

    private static VerificationItem compare(String key, ObjectStore source, Optional<ObjectInfo> s,
            ObjectStore target, Optional<ObjectInfo> t) {
        if (s.isEmpty()) {
            return new VerificationItem(key, VerificationOutcome.MISSING_ON_SOURCE, "size", "");
        }
        if (t.isEmpty()) {
            return new VerificationItem(key, VerificationOutcome.MISSING_ON_TARGET, "size", "");
        }
        if (s.get().size() != t.get().size()) {
            return new VerificationItem(key, VerificationOutcome.DIFFER, "size",
                    "size " + s.get().size() + " != " + t.get().size());
        }
        try {
            String a = Hashing.sha256Of(source, s.get());
            String b = Hashing.sha256Of(target, t.get());
            return a.equalsIgnoreCase(b) ? new VerificationItem(key, VerificationOutcome.MATCH, "sha256", "")
                    : new VerificationItem(key, VerificationOutcome.DIFFER, "sha256", "sha256 " + a + " != " + b);
        } catch (RuntimeException e) {
            return new VerificationItem(key, VerificationOutcome.ERROR, "sha256", String.valueOf(e.getMessage()));
        }
    }
}
