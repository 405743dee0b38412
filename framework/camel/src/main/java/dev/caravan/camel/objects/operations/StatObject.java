package dev.caravan.camel.objects.operations;

import dev.caravan.api.store.ObjectInfo;
import dev.caravan.camel.objects.ObjectRequest;
import dev.caravan.camel.objects.ObjectsConstants;
import dev.caravan.camel.support.OperationResponse;

/** {@code stat}: body the {@link ObjectInfo}, or {@code null} when the object does not exist. */
public final class StatObject implements ObjectOperation {
    @Override
    public OperationResponse execute(ObjectRequest request) {
        String key = request.key();
        ObjectInfo info = request.store().stat(key).orElse(null);
        return OperationResponse.of(info)
                .with(ObjectsConstants.KEY, key)
                .with(ObjectsConstants.EXISTS, info != null)
                .with(ObjectsConstants.SIZE, info == null ? null : info.size());
    }
}
