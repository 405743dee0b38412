package dev.caravan.application;

import dev.caravan.api.store.ObjectStore;
import dev.caravan.api.vm.Hypervisor;
import dev.caravan.connector.libvirt.LibvirtTestHosts;
import dev.caravan.core.registry.ConnectorRegistry;
import dev.caravan.core.vm.Hypervisors;
import java.util.List;
import java.util.Map;

/**
 * The two libvirt hosts of {@code scripts/servers/libvirt.sh} as application plans name them ({@code libvirt:URI}),
 * opened through the connector registry as a plan's vm step opens them; the guest and the clean slate are the
 * libvirt connector's {@link LibvirtTestHosts}.
 */
final class LibvirtHosts {
    static final String A = "libvirt:" + LibvirtTestHosts.A;
    static final String B = "libvirt:" + LibvirtTestHosts.B;
    static final ConnectorRegistry REGISTRY = ConnectorRegistry.load();

    private LibvirtHosts() {
    }

    static Hypervisor open(String uri) {
        return Hypervisors.open(REGISTRY, uri, Map.of());
    }

    /** Uploads the golden image into pool {@code images} of host A, defines {@code name} there and starts it. */
    static void startGuest(Hypervisor a, String name) {
        LibvirtTestHosts.startGuest(a, name);
    }

    /** The volumes named {@code name*} in pool {@code images} of a host. */
    static List<String> volumes(String host, String name) {
        try (ObjectStore store = REGISTRY.openStore("libvirt-pool:" + host.substring(8), Map.of("pool", "images"))) {
            return store.list(name).map(o -> o.key()).toList();
        }
    }

    /** Destroys and undefines {@code name} on both hosts and deletes its volumes. */
    static void cleanup(String name) {
        LibvirtTestHosts.cleanup(name);
    }
}
