package dev.caravan.connector.libvirt;

import dev.caravan.api.config.Config;
import dev.caravan.api.config.Options;
import dev.caravan.api.vm.Hypervisor;
import dev.caravan.api.vm.HypervisorProvider;
import java.util.Map;

/**
 * The {@code libvirt} scheme: one hypervisor host reached through a libvirt URI, e.g.
 * {@code libvirt:qemu+ssh://root@host-b/system}, {@code libvirt:qemu+tcp://10.0.0.2/system},
 * {@code libvirt:qemu+unix:///system?socket=/run/libvirt/libvirt-sock} or {@code libvirt:test:///tmp/host.xml}
 * (libvirt's test driver: a fresh in-memory host per connection). Stateless and thread-safe; found by
 * {@link java.util.ServiceLoader}.
 */
public final class LibvirtHypervisorProvider implements HypervisorProvider {

    /** The URI scheme. */
    public static final String SCHEME = "libvirt";

    private static final Options OPTIONS = Options.of("connector " + SCHEME, LibvirtOptions.common());

    @Override
    public String scheme() {
        return SCHEME;
    }

    @Override
    public String description() {
        return "Virtual machines on a libvirt host (QEMU/KVM): live, cold and storage migration";
    }

    @Override
    public Options options() {
        return OPTIONS;
    }

    @Override
    public Hypervisor open(String location, Config config) {
        Config resolved = config == null ? OPTIONS.resolve(Map.of()) : config;
        String uri = LibvirtOptions.effectiveUri(location, resolved);
        return new LibvirtHypervisor(location.trim(), uri, LibvirtOptions.connect(uri, resolved), resolved);
    }
}
