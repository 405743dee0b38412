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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.libvirt.Domain;
import org.libvirt.Domain.DomainMigrateParameters;
import org.libvirt.Domain.MigrateFlags;
import org.libvirt.LibvirtException;
import org.libvirt.StorageVol;
import org.libvirt.TypedIntParameter;
import org.libvirt.TypedParameter;
import org.libvirt.TypedStringParameter;
import org.libvirt.TypedUlongParameter;

/**
 * One live pre-copy migration: preflight, then {@code virDomainMigrate3} in a worker thread while this thread polls
 * the job (progress callback, completion timeout and its action), then the completed-job statistics (downtime,
 * iterations) read on the target. A failure or an abort leaves the domain running on the source. The completion
 * timeout is the options' or, unset, the default policy ({@link LiveMigrationOptions#completionTimeoutFor}: scaled by
 * the memory and disks moved), so that a migration that cannot converge does not run for ever.
 */
final class LiveMigration {
    private final LibvirtHypervisor source;
    private final LibvirtHypervisor target;
    private final String name;
    private final LiveMigrationOptions o;
    private final Consumer<JobProgress> progress;
    /** How long an aborted job may take to stop before we stop waiting for it. */
    static final Duration STOP_GRACE = Duration.ofSeconds(60);
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
        List<LibvirtNative.Param> params = params(d);
        long flags = flags();
        source.takeAbortRequest(name);
        CompletableFuture<Domain> job = new CompletableFuture<>();
        Thread worker = new Thread(() -> {
            try {
                job.complete(o.peerToPeer() ? peerToPeer(params, flags) : dom.migrate(target.connection(),
                        typed(params), flags));
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
        Map<String, Object> stats = JobStats.completed(moved);
        if (stats.isEmpty()) {
            stats = JobStats.completed(dom);
        }
        long elapsed = LibvirtNative.num(stats, "time_elapsed", -1);
        long downtime = LibvirtNative.num(stats, "downtime", -1);
        Map<String, String> details = JobStats.asStrings(stats);
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
                throw failure(e.getCause());
            }
        }
    }

    private void poll(Domain dom) {
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

    private static TypedParameter[] typed(List<LibvirtNative.Param> params) {
        return params.stream().map(p -> p.value() instanceof String s ? new TypedStringParameter(p.name(), s)
                : p.value() instanceof Long l ? new TypedUlongParameter(p.name(), l)
                        : (TypedParameter) new TypedIntParameter(p.name(), ((Number) p.value()).intValue()))
                .toArray(TypedParameter[]::new);
    }

    private long flags() {
        long f = MigrateFlags.LIVE;
        f |= o.persistOnTarget() ? MigrateFlags.PERSIST_DEST : 0;
        f |= o.undefineSource() ? MigrateFlags.UNDEFINE_SOURCE : 0;
        f |= o.sharedDisk() ? 0 : MigrateFlags.NON_SHARED_DISK;
        f |= o.sharedDisk() && o.allowUnsafe() ? MigrateFlags.UNSAFE : 0;
        f |= o.peerToPeer() ? MigrateFlags.PEER2PEER : 0;
        f |= o.tunnelled() ? MigrateFlags.TUNNELED : 0;
        f |= o.autoConverge() ? MigrateFlags.AUTO_CONVERGE : 0;
        f |= o.postCopy() ? MigrateFlags.POSTCOPY : 0;
        f |= o.compression() ? MigrateFlags.COMPRESSED : 0;
        f |= o.parallelConnections() > 1 ? MigrateFlags.PARALLEL : 0;
        return f;
    }

    /** The typed parameters; never empty (libvirt-java 0.5.3 crashes on an empty array). */
    private List<LibvirtNative.Param> params(VmDescription d) {
        List<LibvirtNative.Param> p = new ArrayList<>();
        p.add(new LibvirtNative.Param(DomainMigrateParameters.VIR_MIGRATE_PARAM_DEST_NAME, name));
        if (o.migrateUri() != null) {
            p.add(new LibvirtNative.Param(DomainMigrateParameters.VIR_MIGRATE_PARAM_URI, o.migrateUri()));
        }
        if (!o.sharedDisk()) {
            for (VmDisk disk : d.dataDisks()) {
                if (!"network".equals(disk.type()) && !disk.shared()) {
                    p.add(new LibvirtNative.Param(DomainMigrateParameters.VIR_MIGRATE_PARAM_MIGRATE_DISKS,
                            disk.target()));
                }
            }
            if (o.disksUri() != null) {
                p.add(new LibvirtNative.Param(DomainMigrateParameters.VIR_MIGRATE_PARAM_DISKS_URI, o.disksUri()));
            }
        }
        if (o.bandwidthBytesPerSec() > 0) { // libvirt counts MiB/s
            p.add(new LibvirtNative.Param(DomainMigrateParameters.VIR_MIGRATE_PARAM_BANDWIDTH,
                    Math.max(1L, (o.bandwidthBytesPerSec() + (1 << 20) - 1) >> 20)));
        }
        if (o.parallelConnections() > 1) {
            p.add(new LibvirtNative.Param(DomainMigrateParameters.VIR_MIGRATE_PARAM_PARALLEL_CONNECTIONS,
                    o.parallelConnections()));
        }
        return p;
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
