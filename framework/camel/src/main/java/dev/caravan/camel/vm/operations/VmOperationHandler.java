package dev.caravan.camel.vm.operations;

import dev.caravan.camel.support.OperationResponse;
import dev.caravan.camel.vm.VmRequest;

/** One producer operation of {@code caravan-vm:}. Implementations are stateless and thread-safe. */
public interface VmOperationHandler {
    OperationResponse execute(VmRequest request);
}
