package dev.caravan.connector.local;

import dev.caravan.api.store.ObjectStore;
import dev.caravan.testkit.arch.ConnectorArchitectureContract;

/** The dependency rules that concern this module: the SPI it builds on, and the connector rules. */
class LocalArchitectureTest extends ConnectorArchitectureContract {
    @Override
    protected Class<?> connectorClass() {
        return LocalObjectStore.class;
    }

    @Override
    protected Class<?> spiType() {
        return ObjectStore.class;
    }
}
