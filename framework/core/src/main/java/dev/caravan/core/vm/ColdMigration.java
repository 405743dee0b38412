package dev.caravan.core.vm;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import dev.caravan.api.journal.RunOutcome;
import dev.caravan.api.vm.ColdMigrationOptions;
import dev.caravan.api.vm.Hypervisor;
import dev.caravan.api.vm.JobProgress;
import dev.caravan.api.vm.LiveMigrationOptions;
import dev.caravan.api.vm.MigrationKind;
import dev.caravan.api.vm.MigrationResult;
import dev.caravan.api.vm.PreflightCheck;
import dev.caravan.api.vm.StoreRef;
import dev.caravan.api.vm.VmDescription;
import dev.caravan.api.vm.VmDisk;
import dev.caravan.api.vm.VmRef;
import dev.caravan.api.vm.VmState;
import dev.caravan.core.engine.MigrationEngine;
import dev.caravan.core.engine.RunResult;
import dev.caravan.core.hash.HashWarmUp;
import dev.caravan.core.plan.Filters;
import dev.caravan.core.plan.MigrationSpec;
import dev.caravan.core.plan.Mode;
import dev.caravan.core.verify.VerifyMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cold migration of one domain between two hypervisors: preflight, shut down (gracefully, then by force only if
 * allowed), copy every data disk through the object engine (the hypervisor's volume store on both sides: journaled,
 * resumable per volume, verified by SHA-256 read back from the target), define on the target with the disk paths
 * of the target's pools, start it, and only when it runs remove the domain (and, if asked, its volumes) from the
 * source. Any failure before the target runs leaves the source defined and restarts it if it was running.
 * Thread-safe: one instance can move several domains at once.
 */
public final class ColdMigration {
    private static final Logger LOG = LoggerFactory.getLogger(ColdMigration.class);

    private final MigrationEngine engine;

    public ColdMigration(MigrationEngine engine) {
        this.engine = engine;
    }

    /**
     * Moves {@code name} from {@code source} to {@code target}.
     *
     * @param progress receives the disk copy's progress ({@link MigrationKind#COLD})
     * @return timings: {@code downtime} is from the shutdown request to the target running; detail
     *         {@code phaseMillis} gives the wall time of each phase ({@code preflight=..,shutdown=..,copy=..,...})
     */
    public MigrationResult migrate(Hypervisor source, Hypervisor target, String name, ColdMigrationOptions o,
            Consumer<JobProgress> progress) {
        return migrate(source, target, name, o, progress, state -> { });
    }

    /**
     * As {@link #migrate(Hypervisor, Hypervisor, String, ColdMigrationOptions, Consumer)}, recording resume state:
     * once the domain runs on the target, before the source's removal begins (the point of no return),
     * {@code resumeState} gets what is left to do (keys {@code cold.*}); a caller that keeps it (the journal run of
     * the move) gives it back to {@link #resumeInterrupted} after a kill. A failure after that point leaves the
     * domain running on the target and says to run the move again.
     */
    public MigrationResult migrate(Hypervisor source, Hypervisor target, String name, ColdMigrationOptions o,
            Consumer<JobProgress> progress, Consumer<Map<String, String>> resumeState) {
        long t0 = System.nanoTime();
        PhaseClock clock = new PhaseClock();
        Consumer<JobProgress> sink = progress == null ? p -> { } : progress;
        // the preflight and reading the domain's layout are independent and read-only: both run before anything
        // changes, side by side (the layout's own refusals, e.g. a disk in no pool, come after the preflight's)
        CompletableFuture<Layout> layoutF = CompletableFuture.supplyAsync(() -> layout(source, target, name),
                ColdMigration::daemon);
        // as soon as the layout is known, the copy of every pool is prepared while the preflight runs and then the
        // guest powers off: its stores opened and the target pool given a test write, so the downtime no longer
        // pays for them; a pool that cannot be written fails the migration like a failed copy (the guest is
        // started again on the source)
        CompletableFuture<Map<String, MigrationEngine.Prepared>> preparedF = layoutF.thenApplyAsync(
                l -> prepareCopies(source, target, name, l.byPool(), o), ColdMigration::daemon);
        List<PreflightCheck> checks;
        try {
            checks = source.preflight(name, target, MigrationKind.COLD,
                    LiveMigrationOptions.builder().linkBandwidth(o.bandwidthBytesPerSec()).build());
        } catch (RuntimeException e) {
            discard(preparedF);
            throw e;
        }
        String refused = checks.stream().filter(c -> c.status() == PreflightCheck.Status.FAIL)
                .map(c -> c.name() + ": " + c.detail()).collect(Collectors.joining("; "));
        if (!refused.isEmpty()) {
            discard(preparedF);
            throw MigrationException.userConfig("cold migration of " + name + " refused by preflight: " + refused);
        }
        clock.lap("preflight");
        Layout layout;
        try {
            layout = join(layoutF);
        } catch (RuntimeException e) {
            discard(preparedF);
            throw e;
        }
        try {
            return migrate(source, target, name, o, sink, layout, preparedF, clock, t0, resumeState);
        } finally {
            discard(preparedF);
        }
    }

    private MigrationResult migrate(Hypervisor source, Hypervisor target, String name, ColdMigrationOptions o,
            Consumer<JobProgress> sink, Layout layout,
            CompletableFuture<Map<String, MigrationEngine.Prepared>> preparedF, PhaseClock clock, long t0,
            Consumer<Map<String, String>> resumeState) {
        VmDescription d = layout.description();
        Map<String, List<VmDisk>> byPool = layout.byPool();
        String xml = layout.xml();
        List<VmDisk> shared = List.of();
        boolean wasRunning = d.ref().state() == VmState.RUNNING || d.ref().state() == VmState.PAUSED;
        clock.lap("describe");
        long down = System.nanoTime();
        HashWarmUp.startInBackground(); // the disk copy, inside the downtime, then hashes at full speed at once
        boolean forced = source.shutdown(name, o.shutdownGrace(), o.forceShutdown());
        clock.lap("shutdown");
        LOG.info("{} is shut off on {}{}", name, source.uri(), forced ? " (forced)" : "");
        long copied = 0;
        List<String> runs = new ArrayList<>();
        boolean defined = false;
        try {
            // asked with the guest off (its writes would hide the match): a disk both hosts see is neither copied
            // (the copy would find it "already there") nor deleted afterwards (that would delete the target's disk)
            shared = sharedDisks(source, target, name, byPool);
            if (!shared.isEmpty()) {
                byPool = poolsToCopy(byPool, shared);
                xml = source.definition(name, pathsToChange(layout.newPaths(), shared));
                clock.lap("sharedStorage");
            }
            Map<String, MigrationEngine.Prepared> prepared = join(preparedF);
            clock.lap("prepared");
            for (Map.Entry<String, List<VmDisk>> e : byPool.entrySet()) {
                long c0 = System.nanoTime();
                RunResult r = copyPool(prepared.get(e.getKey()), name, e.getKey(), sink, t0);
                copied += r.bytesCopied();
                runs.add(r.runId());
                clock.lap("copy");
                LOG.info("{}: pool {} copied and verified, {} bytes in {} ms", name, e.getKey(), r.bytesCopied(),
                        (System.nanoTime() - c0) / 1_000_000);
            }
            target.define(xml, false);
            defined = true;
            clock.lap("define");
            if (o.startOnTarget()) {
                target.start(name);
                clock.lap("start");
                awaitRunning(target, name, o.startTimeout());
                clock.lap("awaitRunning");
            }
            LOG.info("{} runs on {}", name, target.uri());
        } catch (RuntimeException e) {
            rollback(source, target, name, wasRunning, defined);
            throw afterShutdown(e, name, wasRunning);
        }
        Duration downtime = Duration.ofNanos(System.nanoTime() - down);
        removeSource(source, target, name, SourceRemoval.of(o.removeSource(), o.deleteSourceVolumes(), byPool),
                resumeState, clock);
        LOG.info("{} moved in {} ms (phases, ms: {})", name, (System.nanoTime() - t0) / 1_000_000, clock);
        Map<String, String> details = new LinkedHashMap<>();
        details.put("forcedShutdown", Boolean.toString(forced));
        details.put("journalRuns", String.join(",", runs));
        details.put("volumes", volumes(byPool.values().stream().flatMap(List::stream).toList()));
        if (!shared.isEmpty()) {
            details.put("sharedVolumes", volumes(shared));
        }
        details.put("verify", "sha256");
        details.put("phaseMillis", clock.toString());
        return new MigrationResult(MigrationKind.COLD, name, target.uri(), Duration.ofNanos(System.nanoTime() - t0),
                null, downtime, 0, -1, copied, details);
    }

    /**
     * As {@link #resumeInterrupted(Hypervisor, Hypervisor, String, ColdMigrationOptions, Map, Consumer)} without
     * resume state: finishes only a move killed after it defined the domain on the target and before the source's
     * removal began.
     */
    public Optional<MigrationResult> resumeInterrupted(Hypervisor source, Hypervisor target, String name,
            ColdMigrationOptions o) {
        return resumeInterrupted(source, target, name, o, Map.of(), state -> { });
    }

    /**
     * Finishes a move that a killed run of it left half done. Call this only for a run known to have been
     * interrupted (the journal says so): otherwise a domain of the same UUID on the target may be a deliberate copy,
     * and the preflight refuses the move.
     * <ul>
     * <li>Killed past the point of no return ({@code previous}, the resume state it recorded, says so): the domain
     * runs on the target and its removal from the source had begun. What is left of it is done (the source's
     * definition, if still there, and the leftover source volumes the run planned to delete), once the target is
     * seen to hold the domain; when it does not, nothing is removed and the move fails (FATAL).</li>
     * <li>Killed after it defined the domain on the target (after every copied disk was verified): the same domain
     * (same UUID) on the target while the source copy is shut off needs only its start (if asked) and the source's
     * removal.</li>
     * </ul>
     *
     * @param previous    the resume state the killed run recorded ({@code cold.*} keys), or empty
     * @param resumeState gets the resume state of this attempt, as in {@link #migrate}
     * @return the finished move (detail {@code resumed=true}), or empty when there is nothing to finish: the
     *         domain is not on the target, is another domain, or runs on the source again; then {@link #migrate}
     */
    public Optional<MigrationResult> resumeInterrupted(Hypervisor source, Hypervisor target, String name,
            ColdMigrationOptions o, Map<String, String> previous, Consumer<Map<String, String>> resumeState) {
        long t0 = System.nanoTime();
        Optional<SourceRemoval> removal = SourceRemoval.fromState(previous);
        if (removal.isPresent()) {
            if (target.find(name).isEmpty()) {
                throw new MigrationException(ErrorKind.FATAL, "cold migration of " + name + ": an interrupted run of"
                        + " it had started it on " + target.uri() + " and was removing it from the source, but "
                        + target.uri() + " holds no domain " + name + " now: nothing was removed; look for the domain"
                        + " and its disks on both hosts");
            }
            LOG.info("{} runs on {}; an interrupted run of this move was removing it from {}: finishing that", name,
                    target.uri(), source.uri());
            removeSource(source, target, name, removal.get(), resumeState, new PhaseClock());
            return Optional.of(resumed(name, target, t0, removal.get().volumeList(), List.of(), "an interrupted run"
                    + " of this move had started it on the target and was removing it from the source: finished that"));
        }
        Optional<VmRef> there = target.find(name);
        Optional<VmRef> here = source.find(name);
        if (there.isEmpty() || here.isEmpty() || !Objects.equals(there.get().uuid(), here.get().uuid())
                || here.get().state() != VmState.SHUT_OFF) {
            return Optional.empty();
        }
        LOG.info("{} is defined on {} by an interrupted run of this move: finishing it", name, target.uri());
        Map<String, List<VmDisk>> byPool = disksByPool(source.describe(name));
        List<VmDisk> shared = sharedDisks(source, target, name, byPool);
        Map<String, List<VmDisk>> copied = poolsToCopy(byPool, shared);
        if (o.startOnTarget()) {
            target.start(name);
            awaitRunning(target, name, o.startTimeout());
        }
        removeSource(source, target, name, SourceRemoval.of(o.removeSource(), o.deleteSourceVolumes(), copied),
                resumeState, new PhaseClock());
        return Optional.of(resumed(name, target, t0, volumes(copied.values().stream().flatMap(List::stream)
                .toList()), shared, "an interrupted run of this move had defined it on the target: started it there"
                        + " and removed it from the source"));
    }

    private static MigrationResult resumed(String name, Hypervisor target, long t0, String volumes,
            List<VmDisk> shared, String note) {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("resumed", "true");
        details.put("note", note);
        details.put("volumes", volumes);
        if (!shared.isEmpty()) {
            details.put("sharedVolumes", volumes(shared));
        }
        return new MigrationResult(MigrationKind.COLD, name, target.uri(), Duration.ofNanos(System.nanoTime() - t0),
                null, null, 0, -1, 0, details);
    }

    /**
     * Past the point of no return: records the removal as resume state, then runs it; a failure leaves the domain on
     * the target and says to run the move again.
     */
    private void removeSource(Hypervisor source, Hypervisor target, String name, SourceRemoval removal,
            Consumer<Map<String, String>> resumeState, PhaseClock clock) {
        resumeState.accept(removal.state());
        try {
            removal.run(source, name, engine.registry(), clock);
        } catch (RuntimeException e) {
            throw SourceRemoval.failed(e, name, target.uri());
        }
    }

    /** The domain, its data disks by pool, its disks' paths on the target, and its definition with them. */
    private record Layout(VmDescription description, Map<String, List<VmDisk>> byPool, Map<String, String> newPaths,
            String xml) {
    }

    /**
     * The disks that {@code target} sees as the same storage as the source. A pool of both kinds is refused: its copy
     * could not tell them apart.
     */
    private static List<VmDisk> sharedDisks(Hypervisor source, Hypervisor target, String name,
            Map<String, List<VmDisk>> byPool) {
        List<VmDisk> shared = new ArrayList<>();
        for (List<VmDisk> disks : byPool.values()) {
            List<VmDisk> same = disks.stream().filter(disk -> source.sameStorage(disk, target)).toList();
            if (!same.isEmpty() && same.size() < disks.size()) {
                throw MigrationException.userData("pool " + disks.get(0).pool() + " of " + name + " holds volumes "
                        + "the target sees too (" + volumes(same) + ") next to volumes it does not: cold "
                        + "migration copies a pool's volumes or none of them");
            }
            shared.addAll(same);
        }
        return shared;
    }

    private static Map<String, List<VmDisk>> poolsToCopy(Map<String, List<VmDisk>> byPool, List<VmDisk> shared) {
        Map<String, List<VmDisk>> out = new TreeMap<>(byPool);
        shared.forEach(disk -> out.remove(disk.pool()));
        return out;
    }

    private static Map<String, String> pathsToChange(Map<String, String> newPaths, List<VmDisk> shared) {
        Map<String, String> out = new LinkedHashMap<>(newPaths);
        shared.forEach(disk -> out.remove(disk.source()));
        return out;
    }

    private static String volumes(List<VmDisk> disks) {
        return disks.stream().map(v -> v.pool() + "/" + v.volume()).collect(Collectors.joining(","));
    }

    private static Layout layout(Hypervisor source, Hypervisor target, String name) {
        VmDescription d = source.describe(name);
        Map<String, List<VmDisk>> byPool = disksByPool(d);
        Map<String, String> newPaths = new LinkedHashMap<>();
        for (VmDisk disk : d.dataDisks()) {
            newPaths.put(disk.source(), target.volumePath(disk.pool(), disk.volume()).orElseThrow(() ->
                    MigrationException.userConfig("the target has no storage pool '" + disk.pool() + "'")));
        }
        return new Layout(d, byPool, newPaths, source.definition(name, newPaths));
    }

    /** The domain's data disks by storage pool; a disk the copy cannot carry is refused. */
    private static Map<String, List<VmDisk>> disksByPool(VmDescription d) {
        Map<String, List<VmDisk>> byPool = new TreeMap<>();
        for (VmDisk disk : d.dataDisks()) {
            if (disk.pool() == null || disk.volume() == null) {
                throw MigrationException.unsupported("disk " + disk.target() + " of " + d.name() + " ("
                        + disk.source() + ") is in no storage pool: cold migration copies volumes of pools");
            }
            if (disk.volume().matches(".*[*?\\[\\]{}\\\\].*")) {
                throw MigrationException.userData("volume name " + disk.volume() + " contains glob characters");
            }
            byPool.computeIfAbsent(disk.pool(), k -> new ArrayList<>()).add(disk);
        }
        return byPool;
    }

    private static <T> T join(CompletableFuture<T> f) {
        try {
            return f.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw e;
        }
    }

    private static void daemon(Runnable r) {
        Thread t = new Thread(r, "caravan-cold-layout");
        t.setDaemon(true);
        t.start();
    }

    /** Opens the copy of each pool; a pool that fails its test write refuses the migration (nothing changed yet). */
    private Map<String, MigrationEngine.Prepared> prepareCopies(Hypervisor source, Hypervisor target, String name,
            Map<String, List<VmDisk>> byPool, ColdMigrationOptions o) {
        Map<String, MigrationEngine.Prepared> out = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, List<VmDisk>> e : byPool.entrySet()) {
                out.put(e.getKey(), engine.prepare(poolSpec(source, target, name, e.getKey(), e.getValue(), o), true));
            }
            return out;
        } catch (MigrationException e) {
            out.values().forEach(MigrationEngine.Prepared::close);
            throw new MigrationException(e.kind(), "cold migration of " + name + ": preparing the copy of its disks: "
                    + e.getMessage(), e);
        } catch (RuntimeException e) {
            out.values().forEach(MigrationEngine.Prepared::close);
            throw e;
        }
    }

    /** Closes the prepared copies of a migration refused before its shutdown, whenever they are ready. */
    private static void discard(CompletableFuture<Map<String, MigrationEngine.Prepared>> preparedF) {
        preparedF.whenComplete((m, e) -> {
            if (m != null) {
                m.values().forEach(MigrationEngine.Prepared::close);
            }
        });
    }

    private static MigrationSpec poolSpec(Hypervisor source, Hypervisor target, String name, String pool,
            List<VmDisk> disks, ColdMigrationOptions o) {
        StoreRef from = source.volumeStore(pool);
        StoreRef to = target.volumeStore(pool);
        return MigrationSpec.builder(from.uri(), to.uri())
                .name("vm-cold " + name + " (" + pool + ")")
                .sourceOptions(from.options())
                .targetOptions(to.options())
                .mode(Mode.COPY)
                .filters(new Filters(disks.stream().map(VmDisk::volume).toList(), List.of(), -1, -1, null, null))
                .verify(VerifyMode.SHA256)
                .transfers(o.transfers())
                .bandwidth(o.bandwidthBytesPerSec())
                .build();
    }

    private static RunResult copyPool(MigrationEngine.Prepared copy, String name, String pool,
            Consumer<JobProgress> sink, long t0) {
        RunResult r = copy.execute(p -> sink.accept(new JobProgress(MigrationKind.COLD, p.bytesDone(),
                Math.max(0, p.bytesTotal() - p.bytesDone()), p.bytesTotal(), 0, -1,
                Duration.ofNanos(System.nanoTime() - t0))));
        if (r.outcome() != RunOutcome.COMPLETE) {
            throw new MigrationException(r.outcome() == RunOutcome.VERIFICATION_FAILED
                    ? ErrorKind.VERIFICATION_FAILED : ErrorKind.TRANSIENT, "copying the disks of " + name
                    + " from pool " + pool + " ended " + r.outcome() + " (journal run " + r.runId() + "): "
                    + r.errors() + "; rerun to resume");
        }
        return r;
    }

    private static void awaitRunning(Hypervisor target, String name, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (target.find(name).map(r -> r.state() == VmState.RUNNING).orElse(false)) {
                return;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw MigrationException.transientError("interrupted waiting for " + name + " to run", e);
            }
        }
        throw new MigrationException(ErrorKind.FATAL, name + " did not reach RUNNING on " + target.uri()
                + " within " + timeout.toMillis() + " ms");
    }

    /**
     * A failure once the guest was shut down is no refusal of bad input, whatever its kind: the outage happened and
     * the source was touched (so it must not read as "refused, nothing done", exit code 2).
     */
    private static RuntimeException afterShutdown(RuntimeException e, String name, boolean wasRunning) {
        if (e instanceof MigrationException m && refusal(m.kind())) {
            return new MigrationException(ErrorKind.FATAL, "cold migration of " + name + " failed after it was shut "
                    + "down" + (wasRunning ? " (started again on the source)" : "") + ": " + m.getMessage(), m);
        }
        return e;
    }

    /** Whether an error of this kind reads as "refused, nothing done" (exit code 2). */
    static boolean refusal(ErrorKind kind) {
        return kind == ErrorKind.USER_CONFIG || kind == ErrorKind.USER_DATA || kind == ErrorKind.NOT_FOUND;
    }

    private static void rollback(Hypervisor source, Hypervisor target, String name, boolean wasRunning,
            boolean defined) {
        try {
            if (defined) {
                target.find(name).ifPresent(r -> {
                    if (r.state() != VmState.SHUT_OFF) {
                        target.shutdown(name, Duration.ZERO, true);
                    }
                    target.undefine(name);
                });
            }
            if (wasRunning) {
                source.start(name);
            }
        } catch (RuntimeException e) {
            LOG.warn("rolling back the cold migration of {}: {}", name, e.getMessage());
        }
    }
}
