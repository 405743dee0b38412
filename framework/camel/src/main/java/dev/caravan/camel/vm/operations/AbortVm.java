package dev.caravan.camel.vm.operations;

import dev.caravan.api.error.MigrationException;
import dev.caravan.api.vm.Hypervisor;
import dev.caravan.api.vm.JobProgress;
import dev.caravan.camel.support.OperationResponse;
import dev.caravan.camel.vm.VmConstants;
import dev.caravan.camel.vm.VmRequest;
import java.util.Optional;

/**
 * {@code abort}: aborts the running live migration or storage move of a domain on the source (the move then
 * fails and the domain keeps running where it was); body the job's last {@link JobProgress}, or {@code null} when
 * no job ran (header {@code CamelCaravanVmAborted} false). A cold migration has no hypervisor job: it is not aborted
 * this way.
 */
public final class AbortVm implements VmOperationHandler {
    @Override
    public OperationResponse execute(VmRequest request) {
        String domain = request.domain();
        Hypervisor source = request.source();
        Optional<JobProgress> job = source.jobProgress(domain);
        boolean aborted = false;
        if (job.isPresent()) {
            try {
                source.abort(domain);
                aborted = true;
            } catch (MigrationException e) {
                if (source.jobProgress(domain).isPresent()) {
                    throw e;
                }
                // the job ended between the look and the abort: nothing to abort
            }
        }
        return OperationResponse.of(aborted ? job.get() : null)
                .with(VmConstants.NAME, domain)
                .with(VmConstants.ABORTED, aborted)
                .with(VmConstants.HOST, source.uri());
    }
}
