package dev.caravan.camel.support;

import dev.caravan.api.error.MigrationException;
import dev.caravan.core.registry.ConnectorRegistry;
import dev.caravan.core.registry.Endpoint;
import java.util.Map;

/** Endpoint-creation checks of a store location ({@code scheme:location}) and its connector options. */
public final class StoreLocations {
    private StoreLocations() {
    }

    /**
     * Checks that the location names a known object-store connector and that the options are valid for it; the
     * connector's own message (which lists its options or the known connectors) is prefixed with the role.
     * A {@code null} location is not checked.
     *
     * @param role     how the location is called in messages, e.g. {@code source}
     * @param location {@code scheme:location}, or {@code null}
     * @param options  raw connector options
     * @param registry the connectors
     * @throws MigrationException USER_CONFIG when something is wrong
     */
    public static void check(String role, String location, Map<String, String> options, ConnectorRegistry registry) {
        if (location == null) {
            return;
        }
        try {
            Endpoint endpoint = Endpoint.parse(location);
            registry.store(endpoint.scheme()).options().resolve(options);
        } catch (MigrationException e) {
            throw new MigrationException(e.kind(), role + " '" + location + "': " + e.getMessage(), e);
        }
    }
}
