package dev.caravan.camel.objects.operations;

import dev.caravan.api.store.ByteRange;
import dev.caravan.api.store.ObjectInfo;
import dev.caravan.camel.objects.ObjectRequest;
import dev.caravan.camel.objects.ObjectsConstants;
import dev.caravan.camel.support.OperationResponse;

/** {@code get}: body an {@link java.io.InputStream} of the object (NOT_FOUND when missing); the route closes it. */
public final class GetObject implements ObjectOperation {
    @Override
    public OperationResponse execute(ObjectRequest request) {
        ObjectInfo info = request.sourceInfo();
        return OperationResponse.of(request.store().open(info.key(), ByteRange.ALL))
                .with(ObjectsConstants.KEY, info.key())
                .with(ObjectsConstants.SIZE, info.size());
    }
}
