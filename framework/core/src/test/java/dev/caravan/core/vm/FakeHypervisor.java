package dev.caravan.core.vm;

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
import dev.caravan.api.vm.VmRef;
import dev.caravan.api.vm.VmState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * An in-memory hypervisor for orchestration tests: domains are a name -> (xml, state) map, each pool's volumes
 * live in the {@code mem:<host>-<pool>} memory store. Records the calls it gets.
 */
final class FakeHypervisor implements Hypervisor {
    final String name;
    final Map<String, String[]> domains = new ConcurrentHashMap<>(); // name -> {xml, state}
    final List<String> calls = java.util.Collections.synchronizedList(new ArrayList<>());
    volatile List<PreflightCheck> preflight = List.of(new PreflightCheck("all", PreflightCheck.Status.PASS, "ok"));
    volatile boolean ignoreAcpi;
    /** Thrown by {@link #start} (on the target host, not on host "a"). */
    /** Thrown once the definition is gone (as if the process died right after removing it). */
    volatile RuntimeException afterUndefine;
    volatile RuntimeException startFailure;
    /** Disk sources that the other host sees as the same storage (a shared directory). */
    final java.util.Set<String> sharedSources = ConcurrentHashMap.newKeySet();

    FakeHypervisor(String name) {
        this.name = name;
    }

    /** The XML format of this fake: {@code name|disk source,...}; disks live in pool 'images'. */
    static String xml(String vm, String... volumes) {
        return vm + "|" + String.join(",", volumes);
    }

    @Override
    public String uri() {
        return "fake:" + name;
    }

    @Override
    public HostInfo host() {
        return new HostInfo(name, null, "FAKE", "1.0.0", "x86_64", null, 2, 1L << 30, 1L << 30);
    }

    @Override
    public List<VmRef> list() {
        return domains.keySet().stream().sorted().map(n -> find(n).orElseThrow()).toList();
    }

    @Override
    public Optional<VmRef> find(String vm) {
        String[] d = domains.get(vm);
        return d == null ? Optional.empty() : Optional.of(new VmRef(vm, "uuid-" + vm, VmState.valueOf(d[1]), true));
    }

    @Override
    public VmDescription describe(String vm) {
        String[] d = domains.get(vm);
        if (d == null) {
            throw MigrationException.notFound(vm);
        }
        List<VmDisk> disks = new ArrayList<>();
        String[] parts = d[0].split("\\|", -1);
        for (String src : parts[1].isEmpty() ? new String[0] : parts[1].split(",")) {
            String vol = src.substring(src.lastIndexOf('/') + 1);
            disks.add(new VmDisk("vd" + (char) ('a' + disks.size()), "disk", "file", src, "qcow2", 1 << 20, 1 << 20,
                    "images", vol, false, false));
        }
        return new VmDescription(find(vm).orElseThrow(), "qemu", "x86_64", "pc", 1, null, null, null, 128L << 20,
                disks, List.of(), d[0]);
    }

    @Override
    public List<PreflightCheck> preflight(String vm, Hypervisor target, MigrationKind kind,
            LiveMigrationOptions options) {
        calls.add("preflight " + vm);
        return preflight;
    }

    @Override
    public MigrationResult migrateLive(String vm, Hypervisor target, LiveMigrationOptions o, Consumer<JobProgress> p) {
        throw MigrationException.unsupported("fake");
    }

    @Override
    public MigrationResult moveStorage(String vm, StorageMoveOptions o, Consumer<JobProgress> p) {
        throw MigrationException.unsupported("fake");
    }

    @Override
    public Optional<JobProgress> jobProgress(String vm) {
        return Optional.empty();
    }

    @Override
    public void abort(String vm) {
        calls.add("abort " + vm);
    }

    @Override
    public boolean shutdown(String vm, Duration grace, boolean force) {
        calls.add("shutdown " + vm);
        String[] d = domains.get(vm);
        if (!"RUNNING".equals(d[1])) {
            return false;
        }
        if (ignoreAcpi && !force) {
            throw new MigrationException(dev.caravan.api.error.ErrorKind.TRANSIENT, vm + " did not shut down");
        }
        d[1] = "SHUT_OFF";
        return ignoreAcpi;
    }

    @Override
    public void start(String vm) {
        calls.add("start " + vm);
        if (startFailure != null && !"a".equals(name)) {
            throw startFailure;
        }
        domains.get(vm)[1] = "RUNNING";
    }

    @Override
    public String definition(String vm, Map<String, String> diskSources) {
        String[] parts = domains.get(vm)[0].split("\\|", -1);
        List<String> out = new ArrayList<>();
        for (String src : parts[1].isEmpty() ? new String[0] : parts[1].split(",")) {
            out.add(diskSources.getOrDefault(src, src));
        }
        return parts[0] + "|" + String.join(",", out);
    }

    @Override
    public VmRef define(String xml, boolean start) {
        String vm = xml.substring(0, xml.indexOf('|'));
        calls.add("define " + vm);
        domains.put(vm, new String[] {xml, start ? "RUNNING" : "SHUT_OFF"});
        return find(vm).orElseThrow();
    }

    @Override
    public void undefine(String vm) {
        calls.add("undefine " + vm);
        domains.remove(vm);
        if (afterUndefine != null) {
            throw afterUndefine;
        }
    }

    @Override
    public StoreRef volumeStore(String pool) {
        return new StoreRef("mem:" + name + "-" + pool, Map.of());
    }

    @Override
    public Optional<String> volumePath(String pool, String volume) {
        return Optional.of("/" + name + "/" + pool + "/" + volume);
    }

    @Override
    public boolean sameStorage(VmDisk disk, Hypervisor other) {
        calls.add("sameStorage " + disk.target());
        return sharedSources.contains(disk.source());
    }

    @Override
    public void close() {
    }
}
