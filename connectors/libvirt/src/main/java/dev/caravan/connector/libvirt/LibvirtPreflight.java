package dev.caravan.connector.libvirt;

import dev.caravan.api.vm.JobProgress;
import dev.caravan.api.vm.LiveMigrationOptions;
import dev.caravan.api.vm.MigrationKind;
import dev.caravan.api.vm.PreflightCheck;
import dev.caravan.api.vm.PreflightCheck.Status;
import dev.caravan.api.vm.VmDescription;
import dev.caravan.api.vm.VmDisk;
import dev.caravan.api.vm.VmState;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.libvirt.Connect;
import org.libvirt.LibvirtException;
import org.libvirt.StoragePool;
import org.w3c.dom.Element;

/**
 * The checks made before a VM moves; nothing is changed on either host. Each check is one
 * {@link PreflightCheck}; any {@code FAIL} means the move is refused (the migration classes run this first).
 * Figures in the details are bytes and bytes per second unless named otherwise.
 */
final class LibvirtPreflight {
    private final LibvirtHypervisor source;
    private final LibvirtHypervisor target;
    private final String name;
    private final MigrationKind kind;
    private final LiveMigrationOptions options;
    private final List<PreflightCheck> checks = new ArrayList<>();

    LibvirtPreflight(LibvirtHypervisor source, LibvirtHypervisor target, String name, MigrationKind kind,
            LiveMigrationOptions options) {
        this.source = source;
        this.target = target;
        this.name = name;
        this.kind = kind;
        this.options = options;
    }

    List<PreflightCheck> run() {
        VmDescription d = source.describe(name);
        DomainXml.Parsed parsed = DomainXml.parse(d.xml());
        state(d);
        if (kind != MigrationKind.STORAGE) {
            // independent read-only checks, each a few calls to one host: asked side by side, reported in order
            List<CompletableFuture<PreflightCheck>> parallel = new ArrayList<>();
            parallel.add(async(() -> hypervisorType(parsed)));
            parallel.add(async(() -> cpu(parsed)));
            parallel.add(async(this::nameFree));
            parallel.add(async(() -> memory(d)));
            if (kind == MigrationKind.COLD || !options.sharedDisk()) {
                parallel.add(async(() -> storageCapacity(d)));
            }
            if (kind == MigrationKind.LIVE && options.sharedDisk()) {
                parallel.add(async(() -> sharedStorage(d)));
            }
            if (kind == MigrationKind.LIVE && !options.sharedDisk()) {
                parallel.add(async(() -> copiedDisks(d)));
            }
            if (kind == MigrationKind.COLD) {
                parallel.add(async(() -> backingChains(parsed)));
                parallel.add(async(this::snapshots));
            }
            parallel.add(async(this::sourceJob));
            for (CompletableFuture<PreflightCheck> f : parallel) {
                PreflightCheck c = join(f);
                if (c != null) {
                    checks.add(c);
                }
            }
            Forecast.check(source, d, kind, options, checks);
        }
        return List.copyOf(checks);
    }

    private void add(String check, Status status, String detail) {
        checks.add(check(check, status, detail));
    }

    private static PreflightCheck check(String check, Status status, String detail) {
        return new PreflightCheck(check, status, detail);
    }

    /** Runs one check in a daemon thread of its own (a handful per preflight, each waiting on a libvirt call). */
    private CompletableFuture<PreflightCheck> async(LibvirtHypervisor.Call<PreflightCheck> check) {
        return CompletableFuture.supplyAsync(() -> source.call("preflight of " + name, check), r -> {
            Thread t = new Thread(r, "caravan-preflight");
            t.setDaemon(true);
            t.start();
        });
    }

    private static PreflightCheck join(CompletableFuture<PreflightCheck> f) {
        try {
            return f.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw e;
        }
    }

    private void state(VmDescription d) {
        VmState s = d.ref().state();
        boolean running = s == VmState.RUNNING || s == VmState.PAUSED;
        if (kind == MigrationKind.COLD) {
            add("state", Status.PASS, name + " is " + s.name().toLowerCase(Locale.ROOT)
                    + (running ? " (it will be shut down)" : ""));
        } else {
            add("state", running ? Status.PASS : Status.FAIL, name + " is " + s.name().toLowerCase(Locale.ROOT)
                    + (running ? "" : ": a " + kind.name().toLowerCase(Locale.ROOT) + " move needs it running"));
        }
    }

    /**
     * No job of the domain runs on the source: a second migration would be refused by libvirt, and a peer-to-peer
     * migration whose client was killed goes on in the daemon (its incoming domain then holds the name on the
     * target). {@code null} (no check) when the driver reports no jobs.
     */
    private PreflightCheck sourceJob() {
        Optional<JobProgress> job;
        try {
            job = JobStats.progress(source.domain(name));
        } catch (LibvirtException e) {
            return null;
        }
        return job.map(j -> check("source-job", Status.FAIL, name + " already has a job running on the source ("
                + j.kind().name().toLowerCase(Locale.ROOT) + ", " + (j.processedBytes() >> 20) + " MiB moved in "
                + (j.elapsed() == null ? "?" : j.elapsed().toSeconds()) + " s), e.g. the migration of a run that was "
                + "killed (a peer-to-peer migration goes on without its client; running that move again takes it "
                + "over): wait for it to end, or abort it with virsh domjobabort " + name))
                .orElseGet(() -> check("source-job", Status.PASS, "no job of " + name + " runs on the source"));
    }

    private PreflightCheck hypervisorType(DomainXml.Parsed p) throws LibvirtException {
        String a = source.connection().getType();
        String b = target.connection().getType();
        if (!a.equals(b)) {
            return check("hypervisor-type", Status.FAIL, "source runs " + a + ", target runs " + b);
        }
        Element caps = DomainXml.document(target.connection().getCapabilities()).getDocumentElement();
        boolean supported = false;
        for (Element guest : DomainXml.children(caps, "guest")) {
            Element arch = DomainXml.child(guest, "arch");
            if (arch != null && (p.arch() == null || p.arch().equals(arch.getAttribute("name")))) {
                supported |= DomainXml.children(arch, "domain").stream()
                        .anyMatch(dt -> dt.getAttribute("type").equals(p.type()));
            }
        }
        return check("hypervisor-type", supported ? Status.PASS : Status.FAIL, supported
                ? b + " on both hosts; the target runs " + p.arch() + " guests of type " + p.type()
                : "the target (" + b + ") cannot run " + p.arch() + " guests of type '" + p.type() + "'");
    }

    private PreflightCheck cpu(DomainXml.Parsed p) {
        CpuComparator.Result r = source.cpuComparator().compare(target, p);
        return check("cpu-compatibility", switch (r.verdict()) {
            case COMPATIBLE -> Status.PASS;
            case INCOMPATIBLE -> Status.FAIL;
            case UNKNOWN -> Status.WARN;
        }, r.detail());
    }

    private PreflightCheck nameFree() {
        boolean taken = target.find(name).isPresent();
        return check("target-name", taken ? Status.FAIL : Status.PASS, taken ? "a domain named " + name
                + " already exists on the target" : "no domain named " + name + " on the target");
    }

    private PreflightCheck memory(VmDescription d) throws LibvirtException {
        Connect t = target.connection();
        long free;
        String how;
        try {
            free = t.getFreeMemory();
            how = "free memory reported by the target";
        } catch (LibvirtException e) {
            long used = 0;
            for (int id : t.listDomains()) {
                used += t.domainLookupByID(id).getInfo().memory * 1024;
            }
            free = t.nodeInfo().memory * 1024 - used;
            how = "target memory minus its running domains (the driver reports no free memory)";
        }
        boolean ok = free >= d.memoryBytes();
        return check("memory", ok ? Status.PASS : Status.FAIL, String.format(Locale.ROOT,
                "%s needs %d MiB, %s: %d MiB",
                name, d.memoryBytes() >> 20, how, free >> 20));
    }

    /** Shared nothing and cold: every data disk has a pool on the target with room for it. */
    private PreflightCheck storageCapacity(VmDescription d) throws LibvirtException {
        Map<String, Long> needByPool = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        for (VmDisk disk : d.dataDisks()) {
            if ("network".equals(disk.type())) {
                continue;
            }
            StoragePool pool = kind == MigrationKind.COLD ? poolByName(disk.pool())
                    : poolByDirectory(parent(disk.source()));
            if (pool == null) {
                problems.add(disk.target() + " (" + disk.source() + "): " + (kind == MigrationKind.COLD
                        ? (disk.pool() == null ? "not in a storage pool of the source (cold copies go through pools)"
                                : "no pool '" + disk.pool() + "' on the target")
                        : "no storage pool on the target for directory " + parent(disk.source())
                                + " (define one so libvirt can create the volume)"));
                continue;
            }
            long need = disk.allocation() >= 0 ? disk.allocation() : Math.max(0, disk.capacity());
            needByPool.merge(pool.getName(), need, Long::sum);
        }
        for (Map.Entry<String, Long> e : needByPool.entrySet()) {
            StoragePool pool = target.connection().storagePoolLookupByName(e.getKey());
            PoolRefresh.refresh(pool);
            long available = pool.getInfo().available;
            if (available < e.getValue()) {
                problems.add("pool " + e.getKey() + " has " + (available >> 20) + " MiB free, the disks need "
                        + (e.getValue() >> 20) + " MiB");
            }
        }
        return check("storage-capacity", problems.isEmpty() ? Status.PASS : Status.FAIL, problems.isEmpty()
                ? "target pools have room: " + needByPool : String.join("; ", problems));
    }

    /**
     * Shared nothing: no disk is the very file the target would copy it into (storage both hosts see); libvirt would
     * refuse only once the migration started, with "Block node is read-only". Told while the guest runs and writes
     * the file ({@link VolumeIdentity}: a marker next to it, not the file's change time).
     */
    private PreflightCheck copiedDisks(VmDescription d) throws LibvirtException {
        List<String> same = new ArrayList<>();
        for (VmDisk disk : d.dataDisks()) {
            if (!"network".equals(disk.type()) && disk.source() != null
                    && VolumeIdentity.sameFile(source.connection(), target.connection(), disk.source())) {
                same.add(disk.target() + " (" + disk.source() + ")");
            }
        }
        return check("disk-copy", same.isEmpty() ? Status.PASS : Status.FAIL, same.isEmpty()
                ? "every disk is copied into storage of the target's own" : "shared nothing would copy disks onto "
                + "themselves, the target sees the same file: " + String.join(", ", same) + "; migrate with "
                + "sharedDisk=true (and allowUnsafe=true for a directory both hosts mount)");
    }

    /**
     * Cold: each disk is one volume. The copy carries a disk's own volume only, so an overlay would reach the target
     * without the image it is based on (and boot on whatever file has that path there).
     */
    private PreflightCheck backingChains(DomainXml.Parsed p) {
        List<String> overlays = p.disks().stream().filter(x -> x.backingFile() != null && x.source() != null
                && !x.readOnly()).map(x -> x.target() + " (" + x.source() + " on " + x.backingFile() + ")").toList();
        return check("backing-chain", overlays.isEmpty() ? Status.PASS : Status.FAIL, overlays.isEmpty()
                ? "every disk is a single image" : "disks are overlays on a backing image, which cold migration does "
                + "not copy: " + String.join("; ", overlays) + "; merge each chain first, e.g. virsh blockpull "
                + name + " <disk> --wait while it runs");
    }

    /** Cold: libvirt keeps snapshot metadata per host and refuses to remove a definition that still has some. */
    private PreflightCheck snapshots() throws LibvirtException {
        int n = source.domain(name).snapshotNum();
        return check("snapshots", n == 0 ? Status.PASS : Status.FAIL, n == 0 ? name + " has no snapshots"
                : name + " has " + n + " snapshot(s) (" + String.join(", ", source.domain(name).snapshotListNames())
                + "): their metadata does not move with a cold migration and libvirt will not remove the source "
                + "definition while they exist; delete them first (virsh snapshot-delete " + name + " <snapshot>)");
    }

    /**
     * Shared disk: each data disk must be the same file on the target. Network, {@code shareable} disks and pools
     * of a shared type pass; a path both hosts see in a local directory pool is what libvirt calls unsafe.
     */
    private PreflightCheck sharedStorage(VmDescription d) throws LibvirtException {
        List<String> notShared = new ArrayList<>();
        List<String> unsafe = new ArrayList<>();
        for (VmDisk disk : d.dataDisks()) {
            if (disk.shared()) {
                continue;
            }
            String what = disk.target() + " (" + disk.source() + ")";
            switch (VolumeIdentity.compare(source.connection(), target.connection(), disk.source())) {
                case SAME -> unsafe.add(what);
                case NOT_THERE -> notShared.add(what + " is not in any storage pool of the target");
                case NOT_HERE -> notShared.add(what + " is in no storage pool of the source");
                case DIFFERENT -> notShared.add(what + " is a different file on the target (a file at the same path"
                        + " that the source does not share)");
                default -> throw new IllegalStateException();
            }
        }
        if (!notShared.isEmpty()) {
            return check("shared-storage", Status.FAIL, "shared-disk migration without shared storage: "
                    + String.join("; ", notShared) + " (use shared nothing, or put the disk on shared storage)");
        } else if (!unsafe.isEmpty()) {
            return check("shared-storage", options.allowUnsafe() ? Status.WARN : Status.FAIL,
                    "same file on both hosts, but in a local directory pool, which libvirt treats as unsafe (no "
                    + "cluster file system guarantees cache coherence): " + String.join(", ", unsafe)
                    + (options.allowUnsafe() ? "; allowUnsafe=true: migrating anyway"
                            : "; set allowUnsafe=true to migrate anyway"));
        } else {
            return check("shared-storage", Status.PASS,
                    "every disk is on shared storage (network disk, shareable, or a "
                    + String.join("/", LibvirtHypervisor.SHARED_POOL_TYPES) + " pool)");
        }
    }

    private StoragePool poolByName(String pool) {
        if (pool == null) {
            return null;
        }
        try {
            return target.connection().storagePoolLookupByName(pool);
        } catch (LibvirtException e) {
            return null;
        }
    }

    private StoragePool poolByDirectory(String dir) throws LibvirtException {
        Connect t = target.connection();
        List<String> names = new ArrayList<>(List.of(t.listStoragePools()));
        for (String n : names) {
            StoragePool p = t.storagePoolLookupByName(n);
            Element tgt = DomainXml.child(DomainXml.document(p.getXMLDesc(0)).getDocumentElement(), "target");
            String path = DomainXml.text(DomainXml.child(tgt, "path"));
            if (path != null && path.replaceAll("/+$", "").equals(dir)) {
                return p;
            }
        }
        return null;
    }

    private static String parent(String path) {
        int i = path == null ? -1 : path.lastIndexOf('/');
        return i <= 0 ? "/" : path.substring(0, i);
    }
}
