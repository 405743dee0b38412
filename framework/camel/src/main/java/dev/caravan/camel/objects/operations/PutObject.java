package dev.caravan.camel.objects.operations;

import dev.caravan.api.store.ObjectInfo;
import dev.caravan.api.store.ObjectStore;
import dev.caravan.camel.objects.ObjectRequest;
import dev.caravan.camel.objects.ObjectsConstants;
import dev.caravan.camel.support.OperationResponse;
import dev.caravan.core.engine.ObjectCopier;

/**
 * {@code put}: writes the body under the key as a copy from the body (see {@link ObjectRequest#bodySource}) with
 * core's {@link ObjectCopier}: temporary name, verification, rename into place; body the new ObjectInfo.
 */
public final class PutObject implements ObjectOperation {
    @Override
    public OperationResponse execute(ObjectRequest request) {
        String key = request.key();
        ObjectCopier.Copied copied;
        try (ObjectStore body = request.bodySource(key); ObjectCopier copier = request.copierInto(body)) {
            copied = copier.copy(key, key);
        }
        ObjectInfo written = CopyObject.written(request.store(), copied);
        return OperationResponse.of(written)
                .with(ObjectsConstants.KEY, key)
                .with(ObjectsConstants.SIZE, written.size())
                .with(ObjectsConstants.SHA256, copied.sha256());
    }
}
