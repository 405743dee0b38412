package dev.caravan.api.vm;

import dev.caravan.api.ConnectorProvider;
import dev.caravan.api.config.Config;

/**
 * Opens hypervisor connections of one scheme (e.g. {@code libvirt}). Registered in
 * {@code META-INF/services/dev.caravan.api.vm.HypervisorProvider}. Stateless and thread-safe.
 */
public interface HypervisorProvider extends ConnectorProvider {
    /**
     * Connects to a host.
     *
     * @param location the part after {@code scheme:}, e.g. a libvirt URI
     * @param config   options validated against {@link #options()}; {@code null} for all defaults
     */
    Hypervisor open(String location, Config config);
}
