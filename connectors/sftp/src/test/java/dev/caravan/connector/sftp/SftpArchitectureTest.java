package dev.caravan.connector.sftp;

import dev.caravan.api.store.ObjectStore;
import dev.caravan.testkit.arch.ConnectorArchitectureContract;

/** The dependency rules that concern this module: the SPI it builds on, and the connector rules. */
class SftpArchitectureTest extends ConnectorArchitectureContract {
    @Override
    protected Class<?> connectorClass() {
        return SftpObjectStore.class;
    }

    @Override
    protected Class<?> spiType() {
        return ObjectStore.class;
    }
}
