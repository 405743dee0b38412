package dev.caravan.camel.vm.operations;

import dev.caravan.api.vm.Hypervisor;
import dev.caravan.api.vm.VmDescription;
import dev.caravan.camel.support.OperationResponse;
import dev.caravan.camel.vm.VmConstants;
import dev.caravan.camel.vm.VmRequest;

/** {@code describe}: body the domain's {@link VmDescription}; NOT_FOUND when the source has no such domain. */
public final class DescribeVm implements VmOperationHandler {
    @Override
    public OperationResponse execute(VmRequest request) {
        Hypervisor source = request.source();
        VmDescription d = source.describe(request.domain());
        return OperationResponse.of(d)
                .with(VmConstants.NAME, d.name())
                .with(VmConstants.HOST, source.uri())
                .with(VmConstants.VM_STATE, d.ref().state().name());
    }
}
