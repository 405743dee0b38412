package dev.caravan.camel.vm.operations;

import dev.caravan.api.vm.Hypervisor;
import dev.caravan.api.vm.LiveMigrationOptions;
import dev.caravan.api.vm.MigrationKind;
import dev.caravan.api.vm.VmDescription;
import dev.caravan.camel.support.OperationResponse;
import dev.caravan.camel.vm.VmRequest;

/**
 * {@code migrateLive}: pre-copy live migration of a running domain from source to target, shared disk or shared
 * nothing. The hypervisor runs its preflight first and refuses with USER_CONFIG on any failed check, before
 * anything moves. Body: the {@link dev.caravan.api.vm.MigrationResult}.
 */
public final class MigrateLive implements VmOperationHandler {
    @Override
    public OperationResponse execute(VmRequest request) {
        String domain = request.domain();
        LiveMigrationOptions options = request.live();
        Hypervisor source = request.source();
        Hypervisor target = request.target();
        VmDescription d = source.describe(domain);
        long size = d.memoryBytes() + (options.sharedDisk() ? 0 : d.diskBytes());
        return JournaledMove.run(request, MigrationKind.LIVE, domain, request.sourceLocation(),
                request.targetLocation(), size, progress -> source.migrateLive(domain, target, options, progress));
    }
}
