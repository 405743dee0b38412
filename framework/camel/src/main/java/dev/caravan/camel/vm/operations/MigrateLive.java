package dev.caravan.camel.vm.operations;

import dev.caravan.api.error.MigrationException;
import dev.caravan.api.vm.Hypervisor;
import dev.caravan.api.vm.JobProgress;
import dev.caravan.api.vm.LiveMigrationOptions;
import dev.caravan.api.vm.MigrationKind;
import dev.caravan.api.vm.MigrationResult;
import dev.caravan.api.vm.VmDescription;
import dev.caravan.api.vm.VmRef;
import dev.caravan.api.vm.VmState;
import dev.caravan.camel.support.OperationResponse;
import dev.caravan.camel.vm.VmJournal;
import dev.caravan.camel.vm.VmRequest;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * {@code migrateLive}: pre-copy live migration of a running domain from source to target, shared disk or shared
 * nothing. The hypervisor runs its preflight first and refuses with USER_CONFIG on any failed check, before
 * anything moves. A rerun after a killed run whose migration completed anyway finishes that run. Body: the
 * {@link dev.caravan.api.vm.MigrationResult}.
 */
public final class MigrateLive implements VmOperationHandler {
    @Override
    public OperationResponse execute(VmRequest request) {
        String domain = request.domain();
        LiveMigrationOptions options = request.live();
        Hypervisor source = request.source();
        Hypervisor target = request.target();
        Optional<VmDescription> d = source.find(domain).map(r -> source.describe(domain));
        long size = d.map(x -> x.memoryBytes() + (options.sharedDisk() ? 0 : x.diskBytes())).orElse(-1L);
        // the move is held for this process first: a second process moving it meanwhile is refused for what it is
        return JournaledMove.run(request, MigrationKind.LIVE, domain, request.sourceLocation(),
                request.targetLocation(), size, (progress, journal) -> {
                    if (d.isEmpty() && target.find(domain).filter(MigrateLive::running).isPresent()) {
                        return alreadyMoved(request, domain, target, journal);
                    }
                    jobOf(source, domain).ifPresent(job -> refuseRunningJob(request, domain, job, journal));
                    return source.migrateLive(domain, target, options, progress);
                });
    }

    /**
     * The domain is gone from the source and runs on the target: a killed run's migration completed without it
     * (libvirt finishes a peer-to-peer migration alone). The journal run it left is completed; without one the move
     * is refused as NOT_FOUND, naming where the domain is.
     */
    private static MigrationResult alreadyMoved(VmRequest request, String domain, Hypervisor target,
            VmJournal journal) {
        if (!journal.resumed()) {
            throw MigrationException.notFound("domain " + domain + " is not on " + request.sourceLocation()
                    + ": it already runs on " + request.targetLocation());
        }
        return new MigrationResult(MigrationKind.LIVE, domain, target.uri(), Duration.ZERO, null, null, 0, -1, -1,
                Map.of("resumed", "true"));
    }

    /**
     * The domain already has a job on the source, e.g. the migration of a killed run (it goes on in the daemon when it
     * is peer to peer): refused; the killed run stays unfinished for a rerun to finish.
     */
    private static void refuseRunningJob(VmRequest request, String domain, JobProgress job, VmJournal journal) {
        if (journal.resumed()) {
            journal.abandon();
        }
        throw MigrationException.userConfig("live migration of " + domain + " refused: it already has a job running"
                + " on " + request.sourceLocation() + " (" + (job.processedBytes() >> 20) + " MiB moved), e.g. the"
                + " migration of a killed run, which goes on in the daemon when it is peer to peer; wait for it to end"
                + " (a rerun then finishes the killed run) or abort it (virsh domjobabort " + domain + ")");
    }

    /** The domain's running job, or empty (none, or a driver that reports no jobs). */
    private static Optional<JobProgress> jobOf(Hypervisor source, String domain) {
        try {
            return source.jobProgress(domain);
        } catch (MigrationException e) {
            return Optional.empty();
        }
    }

    private static boolean running(VmRef r) {
        return r.state() == VmState.RUNNING || r.state() == VmState.PAUSED;
    }
}
