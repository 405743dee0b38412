package dev.caravan.connector.s3;

import dev.caravan.api.store.ObjectStore;
import dev.caravan.testkit.arch.ConnectorArchitectureContract;

/** The dependency rules that concern this module: the SPI it builds on, and the connector rules. */
class S3ArchitectureTest extends ConnectorArchitectureContract {
    @Override
    protected Class<?> connectorClass() {
        return S3ObjectStore.class;
    }

    @Override
    protected Class<?> spiType() {
        return ObjectStore.class;
    }
}
