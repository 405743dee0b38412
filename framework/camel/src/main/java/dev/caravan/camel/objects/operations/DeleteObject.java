package dev.caravan.camel.objects.operations;

import dev.caravan.camel.objects.ObjectRequest;
import dev.caravan.camel.objects.ObjectsConstants;
import dev.caravan.camel.support.OperationResponse;

/** {@code delete}: deletes the key from the endpoint's store; the body is left as it was. */
public final class DeleteObject implements ObjectOperation {
    @Override
    public OperationResponse execute(ObjectRequest request) {
        String key = request.key();
        request.store().delete(key);
        return OperationResponse.of(request.message().getBody())
                .with(ObjectsConstants.KEY, key)
                .with(ObjectsConstants.EXISTS, false);
    }
}
