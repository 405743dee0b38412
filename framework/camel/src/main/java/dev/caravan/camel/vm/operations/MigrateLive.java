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
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code migrateLive}: pre-copy live migration of a running domain from source to target, shared disk or shared
 * nothing. The hypervisor runs its preflight first and refuses with USER_CONFIG on any failed check, before
 * anything moves. Body: the {@link dev.caravan.api.vm.MigrationResult}.
 *
 * <p>A rerun after a killed run (the journal run it takes up): when the killed run's migration still runs on the
 * source (a peer-to-peer migration goes on in the daemon without its client) and started after that run began, the
 * rerun takes it over ({@link Hypervisor#adoptLive}): it waits for it with the completion timeout counted from the
 * job's start, aborting it at the timeout, and says so in the result's {@code note}; a job that then ends by itself
 * without moving the domain (libvirt cancels a migration whose client went away) is followed by a new migration.
 * When the killed run's migration completed anyway, the rerun finishes that run. Any other job of the domain on the
 * source refuses the move.
 */
public final class MigrateLive implements VmOperationHandler {
    private static final Logger LOG = LoggerFactory.getLogger(MigrateLive.class);
    /** How much earlier than its journal run a job may seem to start and still be that run's (clocks, rounding). */
    private static final Duration START_SLACK = Duration.ofSeconds(5);

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
                    Optional<JobProgress> job = jobOf(source, domain);
                    if (job.isPresent()) {
                        if (!leftBy(journal, job.get())) {
                            refuseRunningJob(request, domain, job.get(), journal);
                        }
                        Optional<MigrationResult> adopted = takeOver(request, domain, job.get(), journal, progress);
                        if (adopted.isPresent()) {
                            return adopted.get();
                        }
                    }
                    return source.migrateLive(domain, target, options, progress);
                });
    }

    /**
     * Whether the running job is the migration the killed run this move takes up left behind: there is such a run,
     * the job is a migration (not a storage move's block job), and it started after that run began.
     */
    private static boolean leftBy(VmJournal journal, JobProgress job) {
        if (!journal.resumed() || job.kind() != MigrationKind.LIVE || job.elapsed() == null
                || journal.startedAt() == null) {
            return false;
        }
        Instant jobStart = Instant.now().minus(job.elapsed());
        return !jobStart.plus(START_SLACK).isBefore(journal.startedAt());
    }

    /**
     * Takes over the killed run's migration: its result with a {@code note} saying so, or empty when the job ended by
     * itself without moving the domain (then a new migration starts).
     */
    private static Optional<MigrationResult> takeOver(VmRequest request, String domain, JobProgress job,
            VmJournal journal, Consumer<JobProgress> progress) {
        String left = "the migration an interrupted run of this move (journal run " + journal.runId() + ") left"
                + " running on " + request.sourceLocation() + ", started " + job.elapsed().toSeconds() + " s ago ("
                + (job.processedBytes() >> 20) + " MiB sent)";
        LOG.info("vm-live {}: taking over {}", domain, left);
        Optional<MigrationResult> r;
        try {
            r = request.source().adoptLive(domain, request.target(), request.live(), progress);
        } catch (MigrationException e) {
            throw new MigrationException(e.kind(), "took over " + left + ": " + e.getMessage(), e);
        }
        if (r.isEmpty()) {
            LOG.info("vm-live {}: {} ended without moving it (cancelled when its client went away, or failed): "
                    + "migrating it anew", domain, left);
            return r;
        }
        return Optional.of(withNote(r.get(), "took over " + left + "; it completed"));
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
                Map.of("resumed", "true", "note", "the migration of an interrupted run of this move (journal run "
                        + journal.runId() + ") had completed: " + domain + " runs on " + request.targetLocation()));
    }

    /**
     * The domain already has a job on the source that is not the migration of a killed run of this move (a storage
     * move, someone else's migration): refused; a killed run this move took up stays unfinished.
     */
    private static void refuseRunningJob(VmRequest request, String domain, JobProgress job, VmJournal journal) {
        if (journal.resumed()) {
            journal.abandon();
        }
        throw MigrationException.userConfig("live migration of " + domain + " refused: it already has a job running"
                + " on " + request.sourceLocation() + " (" + (job.processedBytes() >> 20) + " MiB moved) that this"
                + " move did not start; wait for it to end or abort it (virsh domjobabort " + domain + ")");
    }

    private static MigrationResult withNote(MigrationResult r, String note) {
        Map<String, String> details = new LinkedHashMap<>(r.details());
        details.put("note", note);
        return new MigrationResult(r.kind(), r.name(), r.target(), r.wall(), r.elapsed(), r.downtime(),
                r.iterations(), r.memoryBytes(), r.diskBytes(), details);
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
