package dev.caravan.connector.libvirt;

import dev.caravan.api.vm.Hypervisor;
import dev.caravan.testkit.arch.ConnectorArchitectureContract;

/** The dependency rules that concern this module: the SPI it builds on, and the connector rules. */
class LibvirtArchitectureTest extends ConnectorArchitectureContract {
    @Override
    protected Class<?> connectorClass() {
        return LibvirtHypervisor.class;
    }

    @Override
    protected Class<?> spiType() {
        return Hypervisor.class;
    }
}
