package dev.caravan.camel.vm.operations;

import dev.caravan.api.vm.ColdMigrationOptions;
import dev.caravan.api.vm.Hypervisor;
import dev.caravan.api.vm.MigrationKind;
import dev.caravan.api.vm.VmDescription;
import dev.caravan.camel.support.OperationResponse;
import dev.caravan.camel.vm.VmRequest;

/**
 * {@code migrateCold}: core's {@link dev.caravan.core.vm.ColdMigration} (preflight, refusing with USER_CONFIG on a
 * failed check before anything changes; shutdown; disk copy through the engine, verified by SHA-256; define and
 * start on the target; only then remove the source). Body: the {@link dev.caravan.api.vm.MigrationResult}.
 */
public final class MigrateCold implements VmOperationHandler {
    @Override
    public OperationResponse execute(VmRequest request) {
        String domain = request.domain();
        ColdMigrationOptions options = request.cold();
        Hypervisor source = request.source();
        Hypervisor target = request.target();
        VmDescription d = source.describe(domain);
        return JournaledMove.run(request, MigrationKind.COLD, domain, request.sourceLocation(),
                request.targetLocation(), d.diskBytes(),
                progress -> request.coldMigration().migrate(source, target, domain, options, progress));
    }
}
