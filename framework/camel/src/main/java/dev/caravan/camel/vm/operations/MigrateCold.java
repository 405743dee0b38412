package dev.caravan.camel.vm.operations;

import dev.caravan.api.vm.ColdMigrationOptions;
import dev.caravan.api.vm.Hypervisor;
import dev.caravan.api.vm.MigrationKind;
import dev.caravan.api.vm.MigrationResult;
import dev.caravan.api.vm.VmDescription;
import dev.caravan.camel.support.OperationResponse;
import dev.caravan.camel.vm.VmRequest;
import dev.caravan.core.vm.ColdMigration;
import java.util.Optional;

/**
 * {@code migrateCold}: core's {@link dev.caravan.core.vm.ColdMigration} (preflight, refusing with USER_CONFIG on a
 * failed check before anything changes; shutdown; disk copy through the engine, verified by SHA-256; define and
 * start on the target; only then remove the source). A move that takes up the run of a killed process and finds the
 * domain already defined on the target by it is finished ({@link ColdMigration#resumeInterrupted}) instead of
 * refused. Body: the {@link dev.caravan.api.vm.MigrationResult}.
 */
public final class MigrateCold implements VmOperationHandler {
    @Override
    public OperationResponse execute(VmRequest request) {
        String domain = request.domain();
        ColdMigrationOptions options = request.cold();
        Hypervisor source = request.source();
        Hypervisor target = request.target();
        VmDescription d = source.describe(domain);
        ColdMigration cold = request.coldMigration();
        return JournaledMove.run(request, MigrationKind.COLD, domain, request.sourceLocation(),
                request.targetLocation(), d.diskBytes(), (progress, journal) -> (journal.resumed()
                        ? cold.resumeInterrupted(source, target, domain, options) : Optional.<MigrationResult>empty())
                        .orElseGet(() -> cold.migrate(source, target, domain, options, progress)));
    }
}
