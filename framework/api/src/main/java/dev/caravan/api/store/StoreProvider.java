package dev.caravan.api.store;

import dev.caravan.api.ConnectorProvider;
import dev.caravan.api.config.Config;

/**
 * Opens object stores of one scheme. Registered in
 * {@code META-INF/services/dev.caravan.api.store.StoreProvider}.
 */
public interface StoreProvider extends ConnectorProvider {
    /**
     * Opens a store.
     *
     * @param location the part after {@code scheme:}, e.g. {@code /data} for {@code local:/data}
     * @param config   options validated against {@link #options()}
     */
    ObjectStore open(String location, Config config);
}
