package dev.caravan.connector.libvirt;

import dev.caravan.api.config.Config;
import dev.caravan.api.config.OptionDef;
import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import dev.caravan.api.vm.HostInfo;
import dev.caravan.api.vm.Hypervisor;
import dev.caravan.api.vm.JobProgress;
import dev.caravan.api.vm.LiveMigrationOptions;
import dev.caravan.api.vm.MigrationKind;
import dev.caravan.api.vm.MigrationResult;
import dev.caravan.api.vm.PreflightCheck;
import dev.caravan.api.vm.StorageMoveOptions;
import dev.caravan.api.vm.StoreRef;
import dev.caravan.api.vm.VmDescription;
import dev.caravan.api.vm.VmDisk;
import dev.caravan.api.vm.VmNic;
import dev.caravan.api.vm.VmRef;
import dev.caravan.api.vm.VmState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.libvirt.Connect;
import org.libvirt.Domain;
import org.libvirt.DomainInfo.DomainState;
import org.libvirt.LibvirtException;
import org.libvirt.NodeInfo;
import org.libvirt.StoragePool;
import org.libvirt.StorageVol;
import org.libvirt.StorageVolInfo;
import org.w3c.dom.Element;

/**
 * A libvirt host behind the {@link Hypervisor} SPI. One {@link Connect} per instance, shared by all threads
 * (libvirt connections are thread-safe). Migrations, storage moves and preflight live in their own classes
 * ({@link LiveMigration}, {@link StorageMove}, {@link LibvirtPreflight}).
 */
final class LibvirtHypervisor implements Hypervisor {
    /** Pool types whose volumes every host of a cluster sees. */
    static final Set<String> SHARED_POOL_TYPES = Set.of("netfs", "rbd", "iscsi", "iscsi-direct", "gluster",
            "sheepdog", "vstorage", "mpath");

    /** How often a graceful shutdown is checked: the copy starts at most this long after the guest is off. */
    private static final long SHUTDOWN_POLL_MILLIS = 50;

    private final String location;
    private final String connectUri;
    private final Connect conn;
    private final Config config;
    private final Duration pollInterval;
    private final Set<String> abortRequested = ConcurrentHashMap.newKeySet();
    private volatile CpuComparator cpuComparator = CpuComparator.LIBVIRT;

    LibvirtHypervisor(String location, String connectUri, Connect conn, Config config) {
        this.location = location;
        this.connectUri = connectUri;
        this.conn = conn;
        this.config = config;
        this.pollInterval = LibvirtOptions.pollInterval(config);
    }

    Connect connection() {
        return conn;
    }

    /** The URI this host was connected with (with TLS/SSH parameters): what a peer daemon connects to. */
    String connectUri() {
        return connectUri;
    }

    Duration pollInterval() {
        return pollInterval;
    }

    CpuComparator cpuComparator() {
        return cpuComparator;
    }

    /** Replaces the CPU comparison (tests: libvirt's test driver cannot compare CPUs). */
    void cpuComparator(CpuComparator comparator) {
        this.cpuComparator = comparator;
    }

    /** Whether an abort was requested for {@code name} since the flag was last cleared (clears it). */
    boolean takeAbortRequest(String name) {
        return abortRequested.remove(name);
    }

    /** Whether an abort was requested for {@code name} and not yet taken (leaves the flag set). */
    boolean abortPending(String name) {
        return abortRequested.contains(name);
    }

    @Override
    public String uri() {
        return location;
    }

    @Override
    public HostInfo host() {
        return call("reading host information", () -> {
            NodeInfo node = conn.nodeInfo();
            Element caps = DomainXml.document(conn.getCapabilities()).getDocumentElement();
            Element host = DomainXml.child(caps, "host");
            Element cpu = DomainXml.child(host, "cpu");
            long free;
            try {
                free = conn.getFreeMemory();
            } catch (LibvirtException e) {
                free = -1;
            }
            long v = conn.getVersion();
            return new HostInfo(conn.getHostName(), DomainXml.text(DomainXml.child(host, "uuid")), conn.getType(),
                    (v / 1_000_000) + "." + (v / 1000 % 1000) + "." + (v % 1000),
                    DomainXml.text(DomainXml.child(cpu, "arch")), DomainXml.text(DomainXml.child(cpu, "model")),
                    node.cpus, node.memory * 1024, free);
        });
    }

    @Override
    public List<VmRef> list() {
        return call("listing domains", () -> {
            List<VmRef> out = new ArrayList<>();
            for (int id : conn.listDomains()) {
                unlessGone(() -> ref(conn.domainLookupByID(id))).ifPresent(out::add);
            }
            for (String name : conn.listDefinedDomains()) {
                unlessGone(() -> ref(conn.domainLookupByName(name))).ifPresent(out::add);
            }
            out.sort(Comparator.comparing(VmRef::name));
            return out;
        });
    }

    /** A domain listed a moment ago may be gone (destroyed, undefined, migrated away) when it is looked up. */
    private static Optional<VmRef> unlessGone(Call<VmRef> lookup) throws LibvirtException, InterruptedException {
        try {
            return Optional.of(lookup.run());
        } catch (LibvirtException e) {
            if (LibvirtErrors.translate(e, "looking up a listed domain").kind() == ErrorKind.NOT_FOUND) {
                return Optional.empty();
            }
            throw e;
        }
    }

    @Override
    public Optional<VmRef> find(String name) {
        try {
            return Optional.of(ref(conn.domainLookupByName(name)));
        } catch (LibvirtException e) {
            MigrationException me = LibvirtErrors.translate(e, "looking up domain " + name + " on " + location);
            if (me.kind() == ErrorKind.NOT_FOUND) {
                return Optional.empty();
            }
            throw me;
        }
    }

    @Override
    public VmDescription describe(String name) {
        return call("describing domain " + name, () -> {
            Domain dom = domain(name);
            String xml = dom.getXMLDesc(0);
            DomainXml.Parsed p = DomainXml.parse(xml);
            List<VmDisk> disks = new ArrayList<>();
            for (DomainXml.Disk d : p.disks()) {
                disks.add(disk(dom, d));
            }
            List<VmNic> nics = p.nics().stream().map(n -> new VmNic(n.mac(), n.type(), n.source(), n.model()))
                    .toList();
            return new VmDescription(ref(dom), p.type(), p.arch(), p.machine(), p.vcpus(), p.cpuMode(),
                    p.cpuModel(), p.cpuXml(), p.memoryBytes(), disks, nics, xml);
        });
    }

    @Override
    public List<PreflightCheck> preflight(String name, Hypervisor target, MigrationKind kind,
            LiveMigrationOptions options) {
        return new LibvirtPreflight(this, peer(target, kind), name, kind,
                options == null ? LiveMigrationOptions.defaults() : options).run();
    }

    @Override
    public MigrationResult migrateLive(String name, Hypervisor target, LiveMigrationOptions options,
            Consumer<JobProgress> progress) {
        return new LiveMigration(this, peer(target, MigrationKind.LIVE), name, options,
                progress == null ? p -> { } : progress).run();
    }

    @Override
    public Optional<MigrationResult> adoptLive(String name, Hypervisor target, LiveMigrationOptions options,
            Consumer<JobProgress> progress) {
        return new LiveMigration(this, peer(target, MigrationKind.LIVE), name, options,
                progress == null ? p -> { } : progress).adopt();
    }

    @Override
    public MigrationResult moveStorage(String name, StorageMoveOptions options, Consumer<JobProgress> progress) {
        return new StorageMove(this, name, options, progress == null ? p -> { } : progress).run();
    }

    @Override
    public Optional<JobProgress> jobProgress(String name) {
        return call("reading the job of " + name, () -> JobStats.progress(domain(name)));
    }

    @Override
    public void abort(String name) {
        call("aborting the job of " + name, () -> {
            Domain dom = domain(name);
            abortRequested.add(name);
            try {
                dom.abortJob();
            } catch (LibvirtException e) {
                if (!StorageMove.abortBlockJobs(dom)) {
                    abortRequested.remove(name);
                    throw e;
                }
            }
            return null;
        });
    }

    @Override
    public boolean shutdown(String name, Duration grace, boolean force) {
        return call("shutting down " + name, () -> {
            Domain dom = domain(name);
            if (dom.isActive() == 0) {
                return false;
            }
            if (force && (grace.isZero() || grace.isNegative())) {
                dom.destroy(); // no time for the guest: asking it (ACPI) first would only delay the power-off
                return true;
            }
            try {
                dom.shutdown();
            } catch (LibvirtException e) {
                if (!force) {
                    throw e;
                }
            }
            long deadline = System.nanoTime() + grace.toNanos();
            while (System.nanoTime() < deadline) {
                if (dom.isActive() == 0) {
                    return false;
                }
                Thread.sleep(Math.min(SHUTDOWN_POLL_MILLIS, Math.max(1, (deadline - System.nanoTime()) / 1_000_000)));
            }
            if (dom.isActive() == 0) {
                return false;
            }
            if (!force) {
                throw new MigrationException(ErrorKind.TRANSIENT, "domain " + name + " did not shut down within "
                        + grace.toMillis() + " ms (the guest ignores ACPI?); allow a forced power-off or wait longer");
            }
            dom.destroy();
            return true;
        });
    }

    @Override
    public void start(String name) {
        call("starting " + name, () -> {
            Domain dom = domain(name);
            if (dom.isActive() == 0) {
                dom.create();
            }
            return null;
        });
    }

    @Override
    public String definition(String name, Map<String, String> diskSources) {
        return call("reading the definition of " + name, () -> DomainXml.withDiskSources(
                domain(name).getXMLDesc(Domain.XMLFlags.INACTIVE | Domain.XMLFlags.MIGRATABLE), diskSources));
    }

    @Override
    public VmRef define(String xml, boolean start) {
        return call("defining a domain on " + location, () -> {
            Domain dom = conn.domainDefineXML(xml);
            if (start) {
                dom.create();
            }
            return ref(dom);
        });
    }

    @Override
    public void undefine(String name) {
        call("undefining " + name, () -> {
            Domain dom = domain(name);
            if (dom.isActive() == 1) {
                throw MigrationException.userConfig("domain " + name + " still runs on " + location
                        + ": stop it before removing its definition");
            }
            dom.undefine();
            return null;
        });
    }

    @Override
    public StoreRef volumeStore(String pool) {
        Map<String, String> options = new LinkedHashMap<>();
        options.put(LibvirtPoolStoreProvider.POOL.name(), pool);
        for (OptionDef def : LibvirtOptions.common()) {
            config.get(def.name()).ifPresent(v -> options.put(def.name(), v));
        }
        return new StoreRef(LibvirtPoolStoreProvider.SCHEME + ":" + location, options);
    }

    @Override
    public Optional<String> volumePath(String pool, String volume) {
        try {
            StoragePool p = conn.storagePoolLookupByName(pool);
            Element target = DomainXml.child(DomainXml.document(p.getXMLDesc(0)).getDocumentElement(), "target");
            String dir = DomainXml.text(DomainXml.child(target, "path"));
            return dir == null ? Optional.empty() : Optional.of(dir.replaceAll("/+$", "") + "/" + volume);
        } catch (LibvirtException e) {
            MigrationException me = LibvirtErrors.translate(e, "looking up pool " + pool + " on " + location);
            if (me.kind() == ErrorKind.NOT_FOUND) {
                return Optional.empty();
            }
            throw me;
        }
    }

    /**
     * A network disk is the same storage for every host; a file is when {@code other} holds a volume at the same
     * path that is the same file (key, capacity and change time: {@link VolumeIdentity}), whatever its pool's type.
     */
    @Override
    public boolean sameStorage(VmDisk disk, Hypervisor other) {
        if ("network".equals(disk.type())) {
            return true;
        }
        if (disk.source() == null || !(other instanceof LibvirtHypervisor o)) {
            return false;
        }
        return call("comparing the storage of " + disk.source() + " with " + o.uri(),
                () -> VolumeIdentity.sameFile(conn, o.conn, disk.source()));
    }

    @Override
    public void close() {
        try {
            conn.close();
        } catch (LibvirtException ignored) {
            // the connection is gone either way
        }
    }

    @Override
    public String toString() {
        return "libvirt:" + location;
    }

    Domain domain(String name) throws LibvirtException {
        return conn.domainLookupByName(name);
    }

    /** The disk as the SPI describes it: where its storage lives (pool, sharing) and its sizes. */
    VmDisk disk(Domain dom, DomainXml.Disk d) throws LibvirtException {
        String pool = d.sourcePool();
        String volume = d.sourceVolume();
        long capacity = -1;
        long allocation = -1;
        boolean shared = d.shareable() || "network".equals(d.type());
        StorageVol vol = null;
        if (d.source() != null && !"network".equals(d.type())) {
            try {
                vol = pool != null ? conn.storagePoolLookupByName(pool).storageVolLookupByName(volume)
                        : conn.storageVolLookupByPath(d.source());
            } catch (LibvirtException e) {
                vol = null; // not in any pool of this host
            }
        }
        if (vol != null) {
            StoragePool p = vol.storagePoolLookupByVolume();
            pool = p.getName();
            volume = vol.getName();
            StorageVolInfo info = vol.getInfo();
            capacity = info.capacity;
            allocation = info.allocation;
            String type = DomainXml.document(p.getXMLDesc(0)).getDocumentElement().getAttribute("type");
            shared |= SHARED_POOL_TYPES.contains(type);
        } else if (d.source() != null && d.target() != null) {
            try {
                var bi = dom.blockInfo(d.target());
                capacity = bi.getCapacity();
                allocation = bi.getAllocation();
            } catch (LibvirtException e) {
                // sizes unknown (inactive domain on a driver that cannot tell)
            }
        }
        return new VmDisk(d.target(), d.device(), d.type(), d.source(), d.format(), capacity, allocation, pool,
                volume, d.readOnly(), shared);
    }

    static VmRef ref(Domain dom) throws LibvirtException {
        return new VmRef(dom.getName(), dom.getUUIDString(), state(dom.getInfo().state), dom.isPersistent() == 1);
    }

    static VmState state(DomainState s) {
        return switch (s) {
            case VIR_DOMAIN_RUNNING, VIR_DOMAIN_BLOCKED -> VmState.RUNNING;
            case VIR_DOMAIN_PAUSED -> VmState.PAUSED;
            case VIR_DOMAIN_SHUTDOWN -> VmState.SHUTTING_DOWN;
            case VIR_DOMAIN_SHUTOFF -> VmState.SHUT_OFF;
            case VIR_DOMAIN_CRASHED -> VmState.CRASHED;
            default -> VmState.OTHER;
        };
    }

    private LibvirtHypervisor peer(Hypervisor target, MigrationKind kind) {
        if (target == null && kind == MigrationKind.STORAGE) {
            return this;
        }
        if (target instanceof LibvirtHypervisor l) {
            return l;
        }
        throw MigrationException.unsupported("the libvirt connector migrates only to another libvirt host, not to "
                + target);
    }

    /** A libvirt call. */
    interface Call<T> {
        T run() throws LibvirtException, InterruptedException;
    }

    <T> T call(String what, Call<T> body) {
        try {
            return body.run();
        } catch (LibvirtException e) {
            throw LibvirtErrors.translate(e, what + " on " + location);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw MigrationException.transientError("interrupted while " + what, e);
        }
    }
}
