package dev.caravan.connector.http;

import dev.caravan.api.store.ObjectStore;
import dev.caravan.testkit.arch.ConnectorArchitectureContract;

/** The dependency rules that concern this module: the SPI it builds on, and the connector rules. */
class HttpArchitectureTest extends ConnectorArchitectureContract {
    @Override
    protected Class<?> connectorClass() {
        return HttpObjectStore.class;
    }

    @Override
    protected Class<?> spiType() {
        return ObjectStore.class;
    }
}
