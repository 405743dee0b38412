package dev.caravan.api.record;

import dev.caravan.api.ConnectorProvider;
import dev.caravan.api.config.Config;

/**
 * Opens record sources and sinks of one scheme (e.g. {@code jdbc}). Registered in
 * {@code META-INF/services/dev.caravan.api.record.RecordProvider}.
 */
public interface RecordProvider extends ConnectorProvider {
    RecordSource openSource(String location, Config config);

    RecordSink openSink(String location, Config config);
}
