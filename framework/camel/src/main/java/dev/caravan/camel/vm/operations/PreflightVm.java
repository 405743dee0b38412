package dev.caravan.camel.vm.operations;

import dev.caravan.api.vm.Hypervisor;
import dev.caravan.api.vm.MigrationKind;
import dev.caravan.api.vm.PreflightCheck;
import dev.caravan.camel.support.OperationResponse;
import dev.caravan.camel.vm.VmConstants;
import dev.caravan.camel.vm.VmRequest;
import java.util.List;
import java.util.stream.Collectors;

/**
 * {@code preflight}: the checks of a live, cold or storage move ({@code kind}) without changing anything; body
 * {@code List<PreflightCheck>}. A failed check does not fail the exchange (the migrate operations refuse by
 * themselves): read {@code CamelCaravanVmPreflightPassed}.
 */
public final class PreflightVm implements VmOperationHandler {
    @Override
    public OperationResponse execute(VmRequest request) {
        MigrationKind kind = request.kind();
        String domain = request.domain();
        Hypervisor source = request.source();
        Hypervisor target = kind == MigrationKind.STORAGE ? source : request.target();
        List<PreflightCheck> checks = source.preflight(domain, target, kind, request.live());
        String failures = failures(checks);
        return OperationResponse.of(checks)
                .with(VmConstants.NAME, domain)
                .with(VmConstants.PREFLIGHT_PASSED, failures.isEmpty())
                .with(VmConstants.PREFLIGHT_FAILURES, failures)
                .with(VmConstants.PREFLIGHT_WARNINGS,
                        (int) checks.stream().filter(c -> c.status() == PreflightCheck.Status.WARN).count());
    }

    /** The failed checks as {@code name: detail; ...}, empty when none failed. */
    static String failures(List<PreflightCheck> checks) {
        return checks.stream().filter(c -> c.status() == PreflightCheck.Status.FAIL)
                .map(c -> c.name() + ": " + c.detail()).collect(Collectors.joining("; "));
    }
}
