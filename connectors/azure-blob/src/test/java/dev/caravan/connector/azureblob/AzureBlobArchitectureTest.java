package dev.caravan.connector.azureblob;

import dev.caravan.api.store.ObjectStore;
import dev.caravan.testkit.arch.ConnectorArchitectureContract;

/** The dependency rules that concern this module: the SPI it builds on, and the connector rules. */
class AzureBlobArchitectureTest extends ConnectorArchitectureContract {
    @Override
    protected Class<?> connectorClass() {
        return AzureBlobObjectStore.class;
    }

    @Override
    protected Class<?> spiType() {
        return ObjectStore.class;
    }
}
