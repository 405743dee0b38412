package dev.caravan.camel.objects.operations;

import dev.caravan.camel.objects.ObjectRequest;
import dev.caravan.camel.support.OperationResponse;

/** One producer operation of {@code caravan-objects:}. Implementations are stateless and thread-safe. */
public interface ObjectOperation {
    OperationResponse execute(ObjectRequest request);
}
