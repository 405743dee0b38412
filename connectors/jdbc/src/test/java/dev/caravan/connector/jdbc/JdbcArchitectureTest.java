package dev.caravan.connector.jdbc;

import dev.caravan.api.record.RecordSource;
import dev.caravan.testkit.arch.ConnectorArchitectureContract;

/** The dependency rules that concern this module: the SPI it builds on, and the connector rules. */
class JdbcArchitectureTest extends ConnectorArchitectureContract {
    @Override
    protected Class<?> connectorClass() {
        return JdbcRecordProvider.class;
    }

    @Override
    protected Class<?> spiType() {
        return RecordSource.class;
    }
}
