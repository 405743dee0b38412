package dev.caravan.camel.objects.operations;

import dev.caravan.api.store.PutRequest;
import dev.caravan.camel.objects.ObjectRequest;
import dev.caravan.camel.objects.ObjectsConstants;
import dev.caravan.camel.objects.Transfers;
import dev.caravan.camel.support.OperationResponse;
import java.io.InputStream;

/** {@code put}: writes the body under the key (temporary key, verify, rename); body the new ObjectInfo. */
public final class PutObject implements ObjectOperation {
    @Override
    public OperationResponse execute(ObjectRequest request) {
        String key = request.key();
        long size = request.bodySize();
        InputStream data = request.bodyStream();
        Transfers.Result result = Transfers.put(request.store(), key, data, PutRequest.ofSize(size),
                request.verify());
        return OperationResponse.of(result.info())
                .with(ObjectsConstants.KEY, key)
                .with(ObjectsConstants.SIZE, result.info().size())
                .with(ObjectsConstants.SHA256, result.sha256());
    }
}
