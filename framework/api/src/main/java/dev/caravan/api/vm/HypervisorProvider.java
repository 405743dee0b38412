package dev.caravan.api.vm;

import dev.caravan.api.ConnectorProvider;
import dev.caravan.api.config.Config;

/**
 * Opens hypervisor connections of one scheme (e.g. {@code libvirt}). Registered in
 * {@code META-INF/services/dev.caravan.api.vm.HypervisorProvider}.
 */
public interface HypervisorProvider extends ConnectorProvider {
    Hypervisor open(String location, Config config);
}
