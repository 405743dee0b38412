package dev.caravan.core.vm;

import dev.caravan.api.ConnectorProvider;
import dev.caravan.api.error.MigrationException;
import dev.caravan.api.vm.Hypervisor;
import dev.caravan.api.vm.HypervisorProvider;
import dev.caravan.core.registry.ConnectorRegistry;
import dev.caravan.core.registry.Endpoint;
import java.util.Map;
import java.util.stream.Collectors;

/** Opens hypervisors by {@code scheme:location} (e.g. {@code libvirt:qemu+ssh://root@b/system}) from a registry. */
public final class Hypervisors {

    private Hypervisors() {
    }

    /** Opens a hypervisor; options are validated against the connector's declared options. */
    public static Hypervisor open(ConnectorRegistry registry, String uri, Map<String, String> options) {
        Endpoint endpoint = Endpoint.parse(uri);
        ConnectorProvider p = registry.require(endpoint.scheme());
        if (!(p instanceof HypervisorProvider hp)) {
            throw MigrationException.userConfig("connector '" + endpoint.scheme() + "' is not a hypervisor "
                    + "(hypervisor connectors: " + registry.all().stream().filter(HypervisorProvider.class::isInstance)
                            .map(ConnectorProvider::scheme).collect(Collectors.joining(", ")) + ")");
        }
        return hp.open(endpoint.location(), hp.options().resolve(options));
    }
}
