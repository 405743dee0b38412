package dev.caravan.camel.objects.operations;

import dev.caravan.api.store.ByteRange;
import dev.caravan.api.store.HashType;
import dev.caravan.api.store.ObjectInfo;
import dev.caravan.api.store.ObjectStore;
import dev.caravan.api.verify.VerificationItem;
import dev.caravan.api.verify.VerificationOutcome;
import dev.caravan.camel.objects.ObjectRequest;
import dev.caravan.camel.objects.ObjectsConstants;
import dev.caravan.camel.support.OperationResponse;
import dev.caravan.core.engine.ObjectCopier;
import dev.caravan.core.hash.HashingInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code verify}: compares the key with the target key of the target store by size and then SHA-256 with core's
 * {@link ObjectCopier#compare} (stored digests where a side has one, else read); body a {@link VerificationItem}.
 * A mismatch is an outcome, not an error.
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
        ObjectInfo targetInfo = t.get();
        if (!targetInfo.key().equals(key) && s.get().size() == targetInfo.size()) {
            try {
                targetInfo = withSha256(target, targetInfo);
            } catch (RuntimeException e) {
                return new VerificationItem(key, VerificationOutcome.ERROR, "sha256", String.valueOf(e.getMessage()));
            }
        }
        return ObjectCopier.compare(key, source, s.get(), target, targetInfo);
    }

    /**
     * The target's info with its SHA-256 read from the store. Core's compare reads both sides under the one key it
     * is given; when the target key differs, the target's digest is taken here, under its own key.
     */
    private static ObjectInfo withSha256(ObjectStore store, ObjectInfo info) {
        if (info.hash(HashType.SHA256).isPresent()) {
            return info;
        }
        try (InputStream in = store.open(info.key(), ByteRange.ALL)) {
            Map<HashType, String> hashes = new HashMap<>(info.hashes());
            hashes.put(HashType.SHA256, HashingInputStream.sha256Of(in));
            return info.withHashes(hashes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
