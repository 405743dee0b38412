package dev.caravan.connector.libvirt;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import dev.caravan.api.vm.JobProgress;
import dev.caravan.api.vm.LiveMigrationOptions;
import dev.caravan.api.vm.MigrationKind;
import dev.caravan.api.vm.MigrationResult;
import dev.caravan.api.vm.PreflightCheck;
import dev.caravan.api.vm.VmDescription;
import dev.caravan.api.vm.VmDisk;
import dev.caravan.api.vm.VmState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.libvirt.Domain;
import org.libvirt.LibvirtException;
import org.libvirt.StorageVol;

/**
 * One live pre-copy migration: preflight, then {@code virDomainMigrate3} in a worker thread while this thread polls
 * the job (progress callback, completion timeout and its action), then the completed-job statistics (downtime,
 * iterations) read on the target. A failure or an abort leaves the domain running on the source. The completion
 * timeout is the options' or, unset, the default policy ({@link LiveMigrationOptions#completionTimeoutFor}: scaled by
 * the memory and disks moved), so that a migration that cannot converge does not run for ever.
 *
 * <p>{@link #adopt} takes over instead a migration job that already runs on the source, left by a process that is
 * gone (a peer-to-peer migration goes on in the daemon without its client): the same polling, timeout (counted from
 * the job's start) and aborts, the job's end told by polling.
 */
final class LiveMigration {
    private final LibvirtHypervisor source;
    private final LibvirtHypervisor target;
    private final String name;
    private final LiveMigrationOptions o;
    private final Consumer<JobProgress> progress;
    /** How long an aborted job may take to stop before we stop waiting for it. */
    static final Duration STOP_GRACE = Duration.ofSeconds(60);
    /** {@code VIR_DOMAIN_JOB_OPERATION_MIGRATION_OUT}: the job statistics' {@code operation} of a migration out. */
    static final long JOB_MIGRATION_OUT = 5;
    private volatile boolean timeoutActionTaken;
    /** The completion deadline and abort requests of the running job (see {@link #await}). */
    private CompletionWatch watch;
    /**
     * The job has moved data: before that (begin/prepare on the target), libvirt can block an abort or a suspend for
     * minutes, so neither is asked earlier.
     */
    private volatile boolean transferring;
    /** An abort runs on a thread of its own: at most one at a time. */
    private final AtomicBoolean abortInFlight = new AtomicBoolean();
    /** The suspend or post-copy switch runs on a thread of its own: at most one at a time. */
    private final AtomicBoolean actionInFlight = new AtomicBoolean();
    /** Disk bytes copied as last polled: the target's completed statistics do not count the NBD copy. */
    private long diskProcessed = -1;
    /** The completion timeout in force (the options' or the default policy's), or {@code null} for none. */
    private Duration timeout;
    /** Whether this takes over a job it did not start ({@link #adopt}): its end is told by polling. */
    private boolean adopting;
    /** The adopted job's outcome, completed by the poll that sees the job gone. */
    private final CompletableFuture<Domain> adopted = new CompletableFuture<>();

    LiveMigration(LibvirtHypervisor source, LibvirtHypervisor target, String name, LiveMigrationOptions options,
            Consumer<JobProgress> progress) {
        this.source = source;
        this.target = target;
        this.name = name;
        this.o = options == null ? LiveMigrationOptions.defaults() : options;
        this.progress = progress;
    }

    MigrationResult run() {
        long t0 = System.nanoTime();
        List<PreflightCheck> checks = new LibvirtPreflight(source, target, name, MigrationKind.LIVE, o).run();
        String refused = checks.stream().filter(c -> c.status() == PreflightCheck.Status.FAIL)
                .map(c -> c.name() + ": " + c.detail()).collect(Collectors.joining("; "));
        if (!refused.isEmpty()) {
            throw MigrationException.userConfig("live migration of " + name + " refused by preflight: " + refused);
        }
        VmDescription d = source.describe(name);
        timeout = o.completionTimeoutFor(d.memoryBytes(), d.diskBytes()).orElse(null);
        Domain dom = source.call("looking up " + name, () -> source.domain(name));
        if (o.maxDowntime() != null) {
            source.call("setting the maximum downtime of " + name,
                    () -> dom.migrateSetMaxDowntime(o.maxDowntime().toMillis()));
        }
        List<LibvirtNative.Param> params = MigrateCall.params(name, d, o);
        long flags = MigrateCall.flags(o);
        source.takeAbortRequest(name);
        CompletableFuture<Domain> job = new CompletableFuture<>();
        Thread worker = new Thread(() -> {
            try {
                job.complete(o.peerToPeer() ? peerToPeer(params, flags) : dom.migrate(target.connection(),
                        MigrateCall.typed(params), flags));
            } catch (Throwable e) {
                job.completeExceptionally(e);
            }
        }, "caravan-migrate-" + name);
        List<String> created = o.sharedDisk() ? List.of() : absentOnTarget(d);
        worker.setDaemon(true);
        worker.start();
        Domain moved;
        try {
            moved = await(dom, job, timeout == null ? null : t0 + timeout.toNanos());
        } catch (RuntimeException e) {
            removeCreated(created, e);
            throw e;
        }
        return result(moved, dom, t0, Map.of());
    }

    /**
     * Takes over the outgoing migration job of the domain that already runs on the source (see the class comment):
     * polls it, applies the completion timeout counted from the job's start, and once it ended reads where the domain
     * is. Refused (USER_CONFIG) when the domain's job is not an outgoing migration.
     *
     * @return the migration's result (detail {@code adopted=true}) when it ended with the domain running on the
     *         target; empty when it ended otherwise without being aborted here (it failed, or libvirt cancelled it
     *         when its client went away): the domain is where it was and a new migration may start
     * @throws MigrationException FATAL when it was aborted here: at the completion timeout or on request
     */
    Optional<MigrationResult> adopt() {
        long t0 = System.nanoTime();
        adopting = true;
        Domain dom = source.call("looking up " + name, () -> source.domain(name));
        Map<String, Object> s = JobStats.running(dom);
        if (s.isEmpty() || LibvirtNative.num(s, "type", 0) == 0) {
            return outcome(); // it ended meanwhile
        }
        long operation = LibvirtNative.num(s, "operation", JOB_MIGRATION_OUT);
        if (operation != JOB_MIGRATION_OUT) {
            throw MigrationException.userConfig("the job of " + name + " on " + source.uri() + " is no outgoing "
                    + "migration (libvirt job operation " + operation + "): wait for it to end or abort it (virsh "
                    + "domjobabort " + name + ")");
        }
        VmDescription d = source.describe(name);
        timeout = o.completionTimeoutFor(d.memoryBytes(), d.diskBytes()).orElse(null);
        long started = t0 - Duration.ofMillis(LibvirtNative.num(s, "time_elapsed", 0)).toNanos();
        source.takeAbortRequest(name);
        Domain moved;
        try {
            moved = await(dom, adopted, timeout == null ? null : started + timeout.toNanos());
        } catch (NotMoved e) {
            return Optional.empty();
        }
        return Optional.of(result(moved, dom, t0, Map.of("adopted", "true")));
    }

    /** The adopted job has ended: the target's domain when it runs there and left the source, else NotMoved. */
    private Optional<MigrationResult> outcome() {
        try {
            return Optional.of(result(movedDomain(), null, System.nanoTime(), Map.of("adopted", "true")));
        } catch (NotMoved e) {
            return Optional.empty();
        }
    }

    /** After an adopted job ended: the domain on the target when the migration moved it there, else NotMoved. */
    private Domain movedDomain() {
        boolean there = target.find(name).map(r -> r.state() == VmState.RUNNING || r.state() == VmState.PAUSED)
                .orElse(false);
        boolean here = source.find(name).map(r -> r.state() == VmState.RUNNING || r.state() == VmState.PAUSED)
                .orElse(false);
        if (!there || here) {
            throw new NotMoved();
        }
        return target.call("looking up " + name + " on the target", () -> target.domain(name));
    }

    /** An adopted job ended without moving the domain. */
    private static final class NotMoved extends RuntimeException {
        NotMoved() {
            super("the migration ended without moving the domain", null, false, false);
        }
    }

    private MigrationResult result(Domain moved, Domain dom, long t0, Map<String, String> extra) {
        Map<String, Object> stats = JobStats.completed(moved);
        if (stats.isEmpty() && dom != null) {
            stats = JobStats.completed(dom);
        }
        long elapsed = LibvirtNative.num(stats, "time_elapsed", -1);
        long downtime = LibvirtNative.num(stats, "downtime", -1);
        Map<String, String> details = JobStats.asStrings(stats);
        details.putAll(extra);
        long disk = Math.max(LibvirtNative.num(stats, "disk_processed", -1), diskProcessed);
        if (disk <= 0 && !o.sharedDisk()) {
            disk = copiedDiskBytes(details);
        }
        return new MigrationResult(MigrationKind.LIVE, name, target.uri(), Duration.ofNanos(System.nanoTime() - t0),
                elapsed < 0 ? null : Duration.ofMillis(elapsed), downtime < 0 ? null : Duration.ofMillis(downtime),
                LibvirtNative.num(stats, "memory_iteration", 0), LibvirtNative.num(stats, "memory_processed", -1),
                disk, details);
    }

    /** Paths of the disks to copy that no volume of the target holds yet: libvirt creates them for the copy. */
    private List<String> absentOnTarget(VmDescription d) {
        return target.call("looking up the disks of " + name + " on the target", () -> {
            List<String> absent = new ArrayList<>();
            for (VmDisk disk : d.dataDisks()) {
                if (!"network".equals(disk.type()) && !disk.shared() && disk.source() != null
                        && VolumeIdentity.lookupByPath(target.connection(), disk.source()) == null) {
                    absent.add(disk.source());
                }
            }
            return absent;
        });
    }

    /**
     * After a failed or aborted shared-nothing migration: deletes the volumes libvirt created on the target for its
     * copy, so that no partial disk is left there. Not while the target holds a domain of that name (a job that
     * did not stop in time may still be copying into them).
     */
    private void removeCreated(List<String> created, RuntimeException failure) {
        if (created.isEmpty()) {
            return;
        }
        try {
            if (target.find(name).isPresent()) {
                return;
            }
            target.call("removing the partial copies of " + name + " on the target", () -> {
                for (String path : created) {
                    StorageVol vol = VolumeIdentity.lookupByPath(target.connection(), path);
                    if (vol != null) {
                        vol.delete(0);
                    }
                }
                return null;
            });
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    /**
     * The disk bytes of a shared-nothing migration whose NBD copy no poll saw: a short migration can end between two
     * polls, and libvirt's completed statistics then hold no disk figures. What the copied volumes occupy on the
     * target is what the copy wrote; {@code details} says where the figure came from.
     */
    private long copiedDiskBytes(Map<String, String> details) {
        try {
            long bytes = target.describe(name).diskBytes();
            details.put("disk_processed_source", "allocation of the copied volumes on the target");
            return bytes;
        } catch (RuntimeException e) {
            return -1;
        }
    }

    /** Waits for the job, polling it; {@code deadline}: the completion deadline (nanoTime), or null for none. */
    private Domain await(Domain dom, CompletableFuture<Domain> job, Long deadline) {
        long pollMs = Math.max(50, source.pollInterval().toMillis());
        watch = new CompletionWatch(deadline, o.timeoutAction(), STOP_GRACE);
        while (true) {
            try {
                return job.get(pollMs, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                poll(dom);
                switch (watch.next(System.nanoTime(), timeoutActionTaken, source.abortPending(name))) {
                    case TIMEOUT_ACTION -> onTimeout(dom);
                    case ABORT -> abortAsync(dom);
                    case GIVE_UP -> throw new MigrationException(ErrorKind.FATAL, "live migration of " + name
                            + " did not stop within " + STOP_GRACE.toSeconds() + " s of being "
                            + (watch.timedOut() ? "timed out" : "aborted") + "; check 'virsh domjobinfo " + name
                            + "' on " + source.uri());
                    case WAIT -> {
                        // the job goes on
                    }
                    default -> throw new IllegalStateException();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                abortQuietly(dom);
                throw MigrationException.transientError("interrupted while migrating " + name
                        + "; the migration was aborted and it keeps running on the source", e);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof NotMoved notMoved && !watch.timedOut() && !source.abortPending(name)) {
                    throw notMoved; // an adopted job that ended by itself: the caller may start anew
                }
                throw failure(e.getCause());
            }
        }
    }

    private void poll(Domain dom) {
        if (adopting && !jobRunning(dom)) {
            try {
                adopted.complete(movedDomain());
            } catch (RuntimeException e) {
                adopted.completeExceptionally(e);
            }
            return;
        }
        try {
            Map<String, Object> s = JobStats.running(dom);
            if (!s.isEmpty() && LibvirtNative.num(s, "type", 0) != 0) {
                transferring |= LibvirtNative.num(s, "data_processed", 0) > 0;
                diskProcessed = Math.max(diskProcessed, LibvirtNative.num(s, "disk_processed", -1));
                progress.accept(JobStats.fromStats(s));
            } else if (s.isEmpty()) {
                JobStats.progress(dom).ifPresent(progress);
            }
        } catch (LibvirtException | RuntimeException e) {
            // the job is finishing (the domain leaves the source): the worker reports the outcome
        }
    }

    /** Whether the domain still has a job on the source (false once it left the source: undefined there). */
    private static boolean jobRunning(Domain dom) {
        try {
            return dom.getJobInfo().getType() != 0;
        } catch (LibvirtException e) {
            return false;
        }
    }

    /**
     * Applies the timeout action, like an abort on a thread of its own and only once the job moves data. Abort is
     * asked again on every poll until the job ends (see {@link #abortAsync}); suspend and the post-copy switch are
     * asked until libvirt accepts them once, never again (the migration pauses and resumes the guest itself from then
     * on). One that libvirt has not accepted within {@link #STOP_GRACE} of the deadline gives way to an abort.
     */
    private void onTimeout(Domain dom) {
        if (timeoutActionTaken) {
            return;
        }
        switch (o.timeoutAction()) {
            case ABORT -> abortAsync(dom);
            case SUSPEND -> askAsync("suspend", actionInFlight, () -> { // the rest goes while the guest is paused
                dom.suspend();
                timeoutActionTaken = true;
            });
            case POSTCOPY -> askAsync("postcopy", actionInFlight, () -> {
                if (LibvirtNative.startPostCopy(dom) < 0) {
                    dom.abortJob();
                }
                timeoutActionTaken = true;
            });
            default -> throw new IllegalStateException(String.valueOf(o.timeoutAction()));
        }
    }

    private MigrationException failure(Throwable cause) {
        boolean requested = source.takeAbortRequest(name);
        String where = "; " + name + " keeps running on " + source.uri();
        if (watch.actionGaveUp()) {
            return new MigrationException(ErrorKind.FATAL, "live migration of " + name + " did not complete within "
                    + timeoutText() + ", and libvirt did not accept the timeout action "
                    + o.timeoutAction().name().toLowerCase(Locale.ROOT) + " within "
                    + STOP_GRACE.toSeconds() + " s, so the migration was aborted" + where, cause);
        }
        if (watch.timedOut() && o.timeoutAction() == LiveMigrationOptions.TimeoutAction.ABORT) {
            return new MigrationException(ErrorKind.FATAL, "live migration of " + name + " did not complete within "
                    + timeoutText() + " and was aborted" + where, cause);
        }
        if (requested) {
            return new MigrationException(ErrorKind.FATAL, "live migration of " + name + " aborted on request"
                    + where, cause);
        }
        if (cause instanceof LibvirtException le) {
            return LibvirtErrors.translate(le, "live migration of " + name + " to " + target.uri());
        }
        if (cause instanceof MigrationException me) {
            return me;
        }
        return new MigrationException(ErrorKind.FATAL, "live migration of " + name + " failed: " + cause, cause);
    }

    /** The completion timeout as an error tells it: set, or the default policy's (and how to change it). */
    private String timeoutText() {
        String ms = timeout.toMillis() + " ms";
        Duration perGib = o.completionTimeoutPerGiB() == null ? LiveMigrationOptions.DEFAULT_TIMEOUT_PER_GIB
                : o.completionTimeoutPerGiB();
        return o.completionTimeout() != null ? ms : ms + " (the default completion timeout: " + perGib.toMillis()
                + " ms per GiB of memory and copied disk, at least " + LiveMigrationOptions.DEFAULT_TIMEOUT_MIN_GIB
                + " GiB; set completionTimeout to change it, 0 for none)";
    }

    /** Peer to peer: the source daemon connects to the target itself ({@code virDomainMigrateToURI3}). */
    private Domain peerToPeer(List<LibvirtNative.Param> params, long flags) throws LibvirtException {
        Domain dom = source.domain(name);
        if (LibvirtNative.migrateToUri3(dom, target.connectUri(), params, flags) < 0) {
            int code = LibvirtNative.lastErrorCode();
            String message = LibvirtNative.lastErrorMessage();
            throw new MigrationException(LibvirtErrors.kindOf(LibvirtErrors.number(code), message),
                    "peer-to-peer migration of " + name + " to " + target.uri() + ": " + message);
        }
        return target.domain(name);
    }

    /**
     * Asks libvirt to abort the job, on a thread of its own (at most one at a time) and only once the job moves data,
     * so the polling and the give-up deadline go on whatever libvirt does with the request.
     */
    private void abortAsync(Domain dom) {
        askAsync("abort", abortInFlight, dom::abortJob);
    }

    /** A request to libvirt that may block: asked on a thread of its own, one at a time per kind, once data moves. */
    private void askAsync(String what, AtomicBoolean inFlight, LibvirtRequest request) {
        if (!transferring || !inFlight.compareAndSet(false, true)) {
            return;
        }
        Thread t = new Thread(() -> {
            try {
                request.run();
            } catch (LibvirtException | RuntimeException e) {
                // finished, or not accepted yet: the next poll asks again
            } finally {
                inFlight.set(false);
            }
        }, "caravan-" + what + "-" + name);
        t.setDaemon(true);
        t.start();
    }

    @FunctionalInterface
    private interface LibvirtRequest {
        void run() throws LibvirtException;
    }

    private static void abortQuietly(Domain dom) {
        try {
            dom.abortJob();
        } catch (LibvirtException ignored) {
            // no job left to abort
        }
    }
}
