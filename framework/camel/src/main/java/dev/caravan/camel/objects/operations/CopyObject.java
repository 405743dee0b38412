package dev.caravan.camel.objects.operations;

import dev.caravan.api.store.HashType;
import dev.caravan.api.store.ObjectInfo;
import dev.caravan.api.store.ObjectStore;
import dev.caravan.api.store.ServerSideCopy;
import dev.caravan.camel.objects.ObjectRequest;
import dev.caravan.camel.objects.ObjectsConstants;
import dev.caravan.camel.support.OperationResponse;
import dev.caravan.core.engine.ObjectCopier;
import java.util.HashMap;
import java.util.Map;

/**
 * {@code copy}: copies the key to the target store under the target key with core's {@link ObjectCopier}
 * (server-side when the target can, else streamed through SHA-256 into a temporary name, verified and renamed into
 * place; multipart for large objects); body the target's ObjectInfo.
 */
public final class CopyObject implements ObjectOperation {
    @Override
    public OperationResponse execute(ObjectRequest request) {
        ObjectInfo source = request.sourceInfo(); // NOT_FOUND naming the store, rather than the pipeline's message
        String targetKey = request.targetKey();
        ObjectStore target = request.targetStore();
        ObjectCopier.Copied copied = request.copier().copy(source.key(), targetKey);
        ObjectInfo written = written(target, copied);
        return OperationResponse.of(written)
                .with(ObjectsConstants.KEY, source.key())
                .with(ObjectsConstants.TARGET_KEY, targetKey)
                .with(ObjectsConstants.SIZE, written.size())
                .with(ObjectsConstants.SHA256, copied.sha256())
                .with(ObjectsConstants.COPY_METHOD, method(target, copied));
    }

    /** The stored object a copy made, with the copy's SHA-256 where the store reports none. */
    static ObjectInfo written(ObjectStore store, ObjectCopier.Copied copied) {
        ObjectInfo info = store.stat(copied.targetKey())
                .orElseGet(() -> ObjectInfo.of(copied.targetKey(), copied.bytes(), null));
        if (copied.sha256() == null || info.hash(HashType.SHA256).isPresent()) {
            return info;
        }
        Map<HashType, String> hashes = new HashMap<>(info.hashes());
        hashes.put(HashType.SHA256, copied.sha256());
        return info.withHashes(hashes);
    }

    /**
     * {@code stream} or {@code server-side}, read from how the copy was verified; {@code null} in the one case
     * that does not tell (a target with server-side copy and stored SHA-256 digests, where both ways verify as
     * {@code sha256-stored}).
     */
    static String method(ObjectStore target, ObjectCopier.Copied copied) {
        if (target.capability(ServerSideCopy.class).isEmpty()) {
            return "stream";
        }
        String verifiedBy = copied.verification() == null ? "" : copied.verification().method();
        if (copied.sha256() == null || verifiedBy.endsWith("server-side")) {
            return "server-side";
        }
        return verifiedBy.equals("sha256-stored") ? null : "stream";
    }
}
