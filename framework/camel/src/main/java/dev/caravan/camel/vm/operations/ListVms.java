package dev.caravan.camel.vm.operations;

import dev.caravan.api.vm.Hypervisor;
import dev.caravan.api.vm.VmRef;
import dev.caravan.api.vm.VmState;
import dev.caravan.camel.support.OperationResponse;
import dev.caravan.camel.vm.VmConstants;
import dev.caravan.camel.vm.VmRequest;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * {@code list}: body the source's domains ({@code List<VmRef>}, sorted by name), only those in {@code state} whose
 * name passes the {@code include} / {@code exclude} globs.
 */
public final class ListVms implements VmOperationHandler {
    @Override
    public OperationResponse execute(VmRequest request) {
        Set<VmState> states = request.states();
        Predicate<String> names = request.names();
        Hypervisor source = request.source();
        List<VmRef> refs = source.list().stream().filter(v -> states.isEmpty() || states.contains(v.state()))
                .filter(v -> names.test(v.name())).toList();
        return OperationResponse.of(refs)
                .with(VmConstants.COUNT, refs.size())
                .with(VmConstants.HOST, source.uri());
    }
}
