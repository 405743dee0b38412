package dev.caravan.camel.vm.operations;

import dev.caravan.api.vm.ColdMigrationOptions;
import dev.caravan.api.vm.Hypervisor;
import dev.caravan.api.vm.MigrationKind;
import dev.caravan.api.vm.MigrationResult;
import dev.caravan.camel.support.OperationResponse;
import dev.caravan.camel.vm.VmRequest;
import dev.caravan.core.vm.ColdMigration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * {@code migrateCold}: core's {@link dev.caravan.core.vm.ColdMigration} (preflight, refusing with USER_CONFIG on a
 * failed check before anything changes; shutdown; disk copy through the engine, verified by SHA-256; define and
 * start on the target; only then remove the source). A move that takes up the run of a killed process is finished
 * ({@link ColdMigration#resumeInterrupted}) instead of refused when that process had defined the domain on the target,
 * or had passed the point of no return (the removal from the source, recorded in the run as resume state): the
 * rerun then removes what is left. A failure past that point leaves the run unfinished for a rerun to finish. Body:
 * the {@link dev.caravan.api.vm.MigrationResult}.
 */
public final class MigrateCold implements VmOperationHandler {
    @Override
    public OperationResponse execute(VmRequest request) {
        String domain = request.domain();
        ColdMigrationOptions options = request.cold();
        Hypervisor source = request.source();
        Hypervisor target = request.target();
        // a killed run may have removed the domain from the source already: its rerun finishes it
        long size = source.find(domain).map(r -> source.describe(domain).diskBytes()).orElse(-1L);
        ColdMigration cold = request.coldMigration();
        return JournaledMove.run(request, MigrationKind.COLD, domain, request.sourceLocation(),
                request.targetLocation(), size, (progress, journal) -> {
                    AtomicBoolean pastNoReturn = new AtomicBoolean();
                    Consumer<Map<String, String>> record = state -> {
                        journal.record(state);
                        pastNoReturn.set(true);
                    };
                    try {
                        return (journal.resumed() ? cold.resumeInterrupted(source, target, domain, options,
                                journal.previousState(), record) : Optional.<MigrationResult>empty())
                                .orElseGet(() -> cold.migrate(source, target, domain, options, progress, record));
                    } catch (RuntimeException e) {
                        if (pastNoReturn.get()) {
                            journal.abandon(); // the domain runs on the target: a rerun removes what is left
                        }
                        throw e;
                    }
                });
    }
}
