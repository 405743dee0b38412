package dev.caravan.application;

import dev.caravan.api.store.ObjectStore;
import dev.caravan.api.store.PutRequest;
import dev.caravan.api.vm.Hypervisor;
import dev.caravan.api.vm.VmState;
import dev.caravan.core.registry.ConnectorRegistry;
import dev.caravan.core.vm.Hypervisors;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The two libvirt hosts of {@code scripts/servers/libvirt.sh} (started with {@code ... libvirt.sh start}) for the
 * vm-step ITs: their URIs (environment {@code LIBVIRT_SRC_URI}, {@code LIBVIRT_DST_URI}, {@code CARAVAN_LIBVIRT_DIR}
 * or the script's defaults), the script's test guest (a boot sector under QEMU TCG) started on host A from the
 * golden image, and a clean slate on both hosts.
 */
final class LibvirtHosts {
    static final Path DIR = Path.of(env("CARAVAN_LIBVIRT_DIR", "/tmp/caravan-libvirt"));
    static final String A = "libvirt:" + env("LIBVIRT_SRC_URI", "qemu+unix:///system?socket=" + DIR
            + "/A/run/libvirt/libvirt-sock");
    static final String B = "libvirt:" + env("LIBVIRT_DST_URI", "qemu+unix:///system?socket=" + DIR
            + "/B/run/libvirt/libvirt-sock");
    static final ConnectorRegistry REGISTRY = ConnectorRegistry.load();

    private LibvirtHosts() {
    }

    static Hypervisor open(String uri) {
        return Hypervisors.open(REGISTRY, uri, Map.of());
    }

    /** Uploads the golden image into pool {@code images} of host A, defines {@code name} there and starts it. */
    static void startGuest(Hypervisor a, String name) throws IOException {
        Path golden = DIR.resolve("guest/golden.qcow2");
        try (ObjectStore store = REGISTRY.openStore("libvirt-pool:" + A.substring(8), Map.of("pool", "images"));
                InputStream in = Files.newInputStream(golden)) {
            store.put(name + ".qcow2", in, PutRequest.ofSize(Files.size(golden)));
        }
        a.define("<domain type='qemu'><name>" + name + "</name><memory unit='MiB'>128</memory><vcpu>1</vcpu>"
                + "<os><type arch='x86_64' machine='pc'>hvm</type><boot dev='hd'/></os>"
                + "<cpu mode='custom' match='exact' check='none'><model fallback='forbid'>qemu64</model></cpu>"
                + "<clock offset='utc'/><on_poweroff>destroy</on_poweroff>"
                + "<devices><emulator>/usr/bin/qemu-system-x86_64</emulator>"
                + "<disk type='file' device='disk'><driver name='qemu' type='qcow2' cache='none'/>"
                + "<source file='/var/lib/libvirt/images/" + name + ".qcow2'/><target dev='vda' bus='virtio'/>"
                + "</disk><memballoon model='none'/></devices></domain>", true);
    }

    /** The volumes named {@code name*} in pool {@code images} of a host. */
    static List<String> volumes(String host, String name) {
        try (ObjectStore store = REGISTRY.openStore("libvirt-pool:" + host.substring(8), Map.of("pool", "images"))) {
            return store.list(name).map(o -> o.key()).toList();
        }
    }

    /** Destroys and undefines {@code name} on both hosts and deletes its volumes. */
    static void cleanup(String name) {
        for (String uri : List.of(A, B)) {
            try (Hypervisor h = open(uri)) {
                h.find(name).ifPresent(r -> {
                    if (r.state() != VmState.SHUT_OFF) {
                        h.shutdown(name, Duration.ZERO, true);
                    }
                    h.undefine(name);
                });
            }
            try (ObjectStore store = REGISTRY.openStore("libvirt-pool:" + uri.substring(8),
                    Map.of("pool", "images"))) {
                store.list(name).map(o -> o.key()).toList().forEach(store::delete);
            }
        }
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }
}
