package dev.caravan.camel.objects.operations;

import dev.caravan.api.store.ObjectInfo;
import dev.caravan.camel.objects.ObjectRequest;
import dev.caravan.camel.objects.ObjectsConstants;
import dev.caravan.camel.objects.Transfers;
import dev.caravan.camel.support.OperationResponse;

/**
 * {@code copy}: copies the key to the target store under the target key, server-side when the target can, else
 * streamed and verified; body the target's ObjectInfo.
 */
public final class CopyObject implements ObjectOperation {
    @Override
    public OperationResponse execute(ObjectRequest request) {
        ObjectInfo source = request.sourceInfo();
        String targetKey = request.targetKey();
        Transfers.Result result = Transfers.copy(request.store(), source, request.targetStore(), targetKey,
                request.verify());
        return OperationResponse.of(result.info())
                .with(ObjectsConstants.KEY, source.key())
                .with(ObjectsConstants.TARGET_KEY, targetKey)
                .with(ObjectsConstants.SIZE, result.info().size())
                .with(ObjectsConstants.SHA256, result.sha256())
                .with(ObjectsConstants.COPY_METHOD, result.method());
    }
}
