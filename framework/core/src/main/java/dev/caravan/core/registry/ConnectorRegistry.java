package dev.caravan.core.registry;

import dev.caravan.api.ConnectorProvider;
import dev.caravan.api.error.MigrationException;
import dev.caravan.api.record.RecordProvider;
import dev.caravan.api.store.ObjectStore;
import dev.caravan.api.store.StoreProvider;
import dev.caravan.api.vm.HypervisorProvider;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Every connector on the class path, found by {@link ServiceLoader} through the three provider interfaces.
 * Immutable and thread-safe.
 */
public final class ConnectorRegistry {
    /** The connectors of this class's own loader, once found (see {@link #load()}). */
    private static volatile ConnectorRegistry own;

    private final Map<String, ConnectorProvider> byScheme;

    private ConnectorRegistry(List<ConnectorProvider> providers) {
        Map<String, ConnectorProvider> map = new TreeMap<>();
        for (ConnectorProvider p : providers) {
            ConnectorProvider previous = map.putIfAbsent(p.scheme(), p);
            if (previous != null && previous.getClass() != p.getClass()) {
                throw new IllegalStateException("two connectors claim scheme '" + p.scheme() + "': "
                        + previous.getClass().getName() + " and " + p.getClass().getName());
            }
        }
        this.byScheme = Map.copyOf(map);
    }

    /**
     * Loads the connectors visible to the thread's context class loader (or this class's loader). The connectors of
     * this class's own loader (the application's) are found once per process: a resident JVM (the command line's
     * daemon) otherwise scans the class path twice per command, ~4 ms each.
     */
    public static ConnectorRegistry load() {
        ClassLoader cl = Thread.currentThread().getContextClassLoader();
        if (cl != null && cl != ConnectorRegistry.class.getClassLoader()) {
            return scan(cl);
        }
        ConnectorRegistry found = own;
        if (found == null) { // two threads may both scan: the same result, no lock needed
            found = scan(ConnectorRegistry.class.getClassLoader());
            own = found;
        }
        return found;
    }

    private static ConnectorRegistry scan(ClassLoader cl) {
        List<ConnectorProvider> all = new ArrayList<>();
        ServiceLoader.load(StoreProvider.class, cl).forEach(all::add);
        ServiceLoader.load(RecordProvider.class, cl).forEach(all::add);
        ServiceLoader.load(HypervisorProvider.class, cl).forEach(all::add);
        return new ConnectorRegistry(all);
    }

    /** A registry of the given providers only (tests, embedding). */
    public static ConnectorRegistry of(ConnectorProvider... providers) {
        return new ConnectorRegistry(List.of(providers));
    }

    /** All connectors, sorted by scheme. */
    public List<ConnectorProvider> all() {
        return byScheme.values().stream().sorted(Comparator.comparing(ConnectorProvider::scheme)).toList();
    }

    public Optional<ConnectorProvider> find(String scheme) {
        return Optional.ofNullable(byScheme.get(scheme));
    }

    /** The connector of a scheme, or a USER_CONFIG error that lists the known schemes. */
    public ConnectorProvider require(String scheme) {
        ConnectorProvider p = byScheme.get(scheme);
        if (p == null) {
            throw MigrationException.userConfig("unknown connector '" + scheme + "' (known connectors: "
                    + String.join(", ", byScheme.keySet()) + ")");
        }
        return p;
    }

    /** The object-store connector of a scheme, or a USER_CONFIG error naming the object-store connectors. */
    public StoreProvider store(String scheme) {
        ConnectorProvider p = require(scheme);
        if (p instanceof StoreProvider sp) {
            return sp;
        }
        throw MigrationException.userConfig("connector '" + scheme + "' is not an object store (object stores: "
                + byScheme.values().stream().filter(StoreProvider.class::isInstance).map(ConnectorProvider::scheme)
                        .collect(Collectors.joining(", ")) + ")");
    }

    /** Opens an object store from {@code scheme:location} and raw options (validated against its declarations). */
    public ObjectStore openStore(String uri, Map<String, String> options) {
        Endpoint endpoint = Endpoint.parse(uri);
        StoreProvider provider = store(endpoint.scheme());
        return provider.open(endpoint.location(), provider.options().resolve(options));
    }
}
