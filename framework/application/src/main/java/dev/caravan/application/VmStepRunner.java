package dev.caravan.application;

import dev.caravan.api.error.MigrationException;
import dev.caravan.api.store.ObjectStore;
import dev.caravan.api.vm.Hypervisor;
import dev.caravan.api.vm.MigrationKind;
import dev.caravan.api.vm.MigrationResult;
import dev.caravan.api.vm.PreflightCheck;
import dev.caravan.api.vm.StoreRef;
import dev.caravan.api.vm.VmDescription;
import dev.caravan.api.vm.VmDisk;
import dev.caravan.api.vm.VmRef;
import dev.caravan.api.vm.VmState;
import dev.caravan.application.model.Phase;
import dev.caravan.application.model.Redaction;
import dev.caravan.application.model.Step;
import dev.caravan.core.vm.ColdMigration;
import dev.caravan.core.vm.Hypervisors;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A vm step: the application's VM moved by the core's {@link ColdMigration} (a cold move needs the guest down, so
 * it happens while the application is frozen). What each phase means for a VM:
 * <ul>
 * <li><b>prepare</b>: records whether the domain runs on the source and which of its volumes the target pools hold
 *     already; refuses (before any write) when the target has a domain of that name or a volume it would overwrite.
 * <li><b>warm</b>: the preflight only (CPU compatibility, hypervisor type, memory, storage capacity, name free,
 *     forecast); a FAIL fails the step before the freeze. Nothing is copied: the disks change while the guest runs.
 * <li><b>final</b> (after the freeze hooks): the cold migration itself: shut the guest down, copy its disks through
 *     the object engine (verified by SHA-256 read back from the target), define and start it on the target. The
 *     source domain and its volumes are kept, so a rollback can bring it back.
 * <li><b>verify</b>: the domain runs on the target, and the engine's SHA-256 verification of every copied disk
 *     passed (reported, not redone: the running guest may write to its disks).
 * <li><b>compensate</b>: destroy and undefine the domain on the target, delete the volumes this run copied there,
 *     restart the domain on the source if it was running before.
 * <li><b>complete</b> (after the whole cutover succeeded): only with {@code removeSource: true}, undefine the source
 *     domain and delete its copied volumes; by default the source is left defined and shut off.
 * </ul>
 */
final class VmStepRunner implements StepRunner {
    private final Step.Vm step;
    private final RunContext ctx;
    private final VmStepOptions options;
    private Hypervisor source;
    private Hypervisor target;
    private VmDescription described;
    private boolean wasRunning;
    private final List<String> created = new ArrayList<>();
    private MigrationResult result;
    private boolean prepared;

    VmStepRunner(Step.Vm step, RunContext ctx) {
        this.step = step;
        this.ctx = ctx;
        this.options = VmStepOptions.of(step);
    }

    @Override
    public Step step() {
        return step;
    }

    @Override
    public StepPreview preview() {
        try (Hypervisor from = Hypervisors.open(ctx.registry, step.from(), options.source());
                Hypervisor to = Hypervisors.open(ctx.registry, step.to(), options.target())) {
            VmDescription d = from.describe(step.domain());
            Map<String, Object> figures = new LinkedHashMap<>();
            figures.put("domain", step.domain());
            figures.put("state", d.ref().state().name().toLowerCase(java.util.Locale.ROOT));
            figures.put("vcpus", d.vcpus());
            figures.put("memoryBytes", d.memoryBytes());
            figures.put("disks", d.dataDisks().size());
            figures.put("bytes", d.diskBytes());
            List<String> checks = new ArrayList<>();
            for (PreflightCheck c : from.preflight(step.domain(), to, MigrationKind.COLD, options.preflight())) {
                checks.add((c.status() == PreflightCheck.Status.PASS ? "OK" : c.status().name()) + " " + c.name()
                        + ": " + c.detail());
            }
            checks.add("OK rollback: the source domain and its volumes are kept until the cutover completed"
                    + (options.removeSource() ? ", then removed (removeSource)" : " (removeSource: false)"));
            // the copy happens in the final phase, while the application is frozen: it is downtime, not part of
            // the warm phase's forecast
            long bw = options.preflight().linkBandwidthBytesPerSec();
            if (bw > 0) {
                figures.put("frozenCopySeconds", Math.round(d.diskBytes() / (double) bw * 10) / 10.0);
            }
            return new StepPreview(figures, checks, null);
        }
    }

    @Override
    public void prepare() {
        source = ctx.closeLater(Hypervisors.open(ctx.registry, step.from(), options.source()));
        target = ctx.closeLater(Hypervisors.open(ctx.registry, step.to(), options.target()));
        described = source.describe(step.domain());
        VmState s = described.ref().state();
        wasRunning = s == VmState.RUNNING || s == VmState.PAUSED;
        if (target.find(step.domain()).isPresent()) {
            throw MigrationException.userConfig("vm step '" + step.id() + "': the target "
                    + Redaction.text(step.to()) + " already has a domain named " + step.domain()
                    + "; remove it or move another domain");
        }
        for (VmDisk disk : described.dataDisks()) {
            if (disk.pool() == null || disk.volume() == null) {
                throw MigrationException.unsupported("vm step '" + step.id() + "': disk " + disk.target() + " of "
                        + step.domain() + " (" + disk.source() + ") is in no storage pool: a cold migration copies "
                        + "the volumes of storage pools");
            }
            try (ObjectStore store = volumes(target, disk.pool())) {
                if (store.stat(disk.volume()).isPresent()) {
                    throw MigrationException.userConfig("vm step '" + step.id() + "': the target pool "
                            + disk.pool() + " already has a volume " + disk.volume() + " (the cold migration "
                            + "would overwrite it); remove it first");
                }
            }
        }
        save();
        prepared = true;
    }

    private void save() {
        RunState.saveSnapshot(ctx.runDir, step.id(), Map.of("wasRunning", wasRunning, "created",
                new ArrayList<>(created)));
    }

    @Override
    @SuppressWarnings("unchecked")
    public void restore(Map<String, Object> snapshot) {
        source = ctx.closeLater(Hypervisors.open(ctx.registry, step.from(), options.source()));
        target = ctx.closeLater(Hypervisors.open(ctx.registry, step.to(), options.target()));
        wasRunning = Boolean.TRUE.equals(snapshot.get("wasRunning"));
        created.addAll((List<String>) snapshot.get("created"));
        prepared = true;
    }

    @Override
    public Map<String, Object> pass(Phase phase) {
        Map<String, Object> figures = new LinkedHashMap<>();
        if (phase == Phase.WARM) {
            List<PreflightCheck> checks = source.preflight(step.domain(), target, MigrationKind.COLD,
                    options.preflight());
            String failed = checks.stream().filter(c -> c.status() == PreflightCheck.Status.FAIL)
                    .map(c -> c.name() + ": " + c.detail()).collect(Collectors.joining("; "));
            if (!failed.isEmpty()) {
                throw MigrationException.userConfig("vm step '" + step.id() + "': the cold migration of "
                        + step.domain() + " is refused by preflight: " + failed);
            }
            figures.put("preflight", checks.size() + " check(s), " + checks.stream()
                    .filter(c -> c.status() == PreflightCheck.Status.WARN).count() + " warning(s)");
            figures.put("bytes", 0L);
            return figures;
        }
        for (VmDisk disk : described.dataDisks()) {
            created.add(disk.pool() + "/" + disk.volume()); // from here on a copy may exist on the target
        }
        save();
        result = new ColdMigration(ctx.objects).migrate(source, target, step.domain(), options.cold(), null);
        figures.put("bytes", result.diskBytes());
        figures.put("downtimeMs", result.downtime().toMillis());
        figures.put("forcedShutdown", Boolean.parseBoolean(result.details().get("forcedShutdown")));
        figures.put("ms", result.wall().toMillis());
        return figures;
    }

    @Override
    public Verdict verify() {
        String method = "domain state on the target + sha-256 of every copied disk (engine)";
        if (result == null) {
            return new Verdict(false, method, "the cold migration did not run");
        }
        Optional<VmRef> ref = target.find(step.domain());
        boolean running = ref.map(r -> r.state() == VmState.RUNNING).orElse(false);
        String disks = described.dataDisks().size() + " disk(s), " + result.diskBytes() + " bytes copied, verified"
                + " by " + result.details().getOrDefault("verify", "?") + " (journal run(s) "
                + result.details().get("journalRuns") + ")";
        return new Verdict(running, method, running ? step.domain() + " runs on the target; " + disks
                : step.domain() + " does not run on the target (" + ref.map(r -> r.state().name()).orElse("absent")
                        + "); " + disks);
    }

    @Override
    public String compensate() {
        if (!prepared) {
            return "nothing to undo";
        }
        List<String> done = new ArrayList<>();
        try {
            Optional<VmRef> there = target.find(step.domain());
            if (there.isPresent()) {
                if (there.get().state() != VmState.SHUT_OFF) {
                    target.shutdown(step.domain(), Duration.ZERO, true);
                }
                target.undefine(step.domain());
                done.add("destroyed and undefined " + step.domain() + " on the target");
            }
            int deleted = 0;
            for (String pv : created) {
                String[] p = pv.split("/", 2);
                try (ObjectStore store = volumes(target, p[0])) {
                    if (store.stat(p[1]).isPresent()) {
                        store.delete(p[1]);
                        deleted++;
                    }
                }
            }
            done.add("deleted " + deleted + " volume(s) copied to the target");
            boolean runs = source.find(step.domain()).map(r -> r.state() == VmState.RUNNING).orElse(false);
            if (wasRunning && !runs) {
                source.start(step.domain());
                done.add("restarted " + step.domain() + " on the source");
            } else {
                done.add(step.domain() + " on the source " + (runs ? "runs" : "stays shut off (as before)"));
            }
            return String.join(", ", done);
        } catch (RuntimeException e) {
            return "FAILED after " + (done.isEmpty() ? "nothing" : String.join(", ", done)) + ": " + e.getMessage();
        }
    }

    @Override
    public String complete() {
        if (!options.removeSource()) {
            return "source domain " + step.domain() + " kept (shut off; removeSource: false)";
        }
        try {
            source.undefine(step.domain());
            int deleted = 0;
            for (VmDisk disk : described.dataDisks()) {
                try (ObjectStore store = volumes(source, disk.pool())) {
                    store.delete(disk.volume());
                    deleted++;
                }
            }
            return "source domain " + step.domain() + " undefined, " + deleted + " source volume(s) deleted";
        } catch (RuntimeException e) {
            return "FAILED removing the source (the target runs; clean up the source by hand): " + e.getMessage();
        }
    }

    private ObjectStore volumes(Hypervisor host, String pool) {
        StoreRef ref = host.volumeStore(pool);
        return ctx.registry.openStore(ref.uri(), ref.options());
    }

}
