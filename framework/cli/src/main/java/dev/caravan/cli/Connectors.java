package dev.caravan.cli;

import dev.caravan.api.store.StoreProvider;
import dev.caravan.core.plan.MigrationSpec;
import dev.caravan.core.registry.ConnectorRegistry;
import dev.caravan.core.registry.Endpoint;
import java.util.Map;

/**
 * Checks a migration's locations and connector options against the connectors on the class path before any
 * journal or store is opened, so that a typo fails in milliseconds with exit code 2 and a message that lists the
 * known connectors and options.
 */
final class Connectors {
    private Connectors() {
    }

    /** Throws a USER_CONFIG {@link dev.caravan.api.error.MigrationException} for an unknown scheme or option. */
    static void check(MigrationSpec spec) {
        ConnectorRegistry registry = ConnectorRegistry.load();
        check(registry, spec.source(), spec.sourceOptions());
        check(registry, spec.target(), spec.targetOptions());
    }

    private static void check(ConnectorRegistry registry, String uri, Map<String, String> options) {
        StoreProvider provider = registry.store(Endpoint.parse(uri).scheme());
        provider.options().resolve(options);
    }
}
