package dev.caravan.camel.objects;

import dev.caravan.api.config.OptionDef;
import dev.caravan.api.error.MigrationException;
import dev.caravan.api.store.StoreProvider;
import dev.caravan.camel.support.UriOptions;
import dev.caravan.core.engine.MigrationEngine;
import dev.caravan.core.journal.JdbcJournal;
import dev.caravan.core.registry.ConnectorRegistry;
import dev.caravan.core.registry.Endpoint;
import dev.caravan.core.throttle.BandwidthLimiter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.DefaultComponent;
import org.apache.camel.util.PropertiesHelper;

/**
 * The {@code caravan-objects:} component: {@code caravan-objects:<scheme>:<location>} adapts any object-store
 * connector. Connector options may be written plainly or with the {@code store.} prefix; an option that is
 * neither an endpoint option nor a connector option fails at endpoint creation with the connector's message,
 * which lists its options, followed by the endpoint's options.
 *
 * <p>The {@link MigrationEngine} is optional: the one set with {@link #setEngine}, else the one given by
 * {@link #setEngineSupplier}, else the single {@code MigrationEngine} bean of the Camel registry. With an engine,
 * consumers keep their passes in its journal and copies share its bandwidth limit; without one, consumers keep no
 * journal and copies are not limited. The component never closes an engine.
 */
@Component("caravan-objects")
public class CaravanObjectsComponent extends DefaultComponent {
    private static final UriOptions OPTIONS = UriOptions.of("caravan-objects:", CaravanObjectsEndpoint.class, false);

    @Metadata(label = "advanced", description = "Connectors to use; default every connector on the class path")
    private ConnectorRegistry registry;
    @Metadata(label = "advanced", autowired = true, description = "The engine whose journal the consumers keep"
                                                                 + " their passes in and whose bandwidth limit"
                                                                 + " copies share; default the single"
                                                                 + " MigrationEngine bean, else none")
    private MigrationEngine engine;

    private Supplier<MigrationEngine> engineSupplier;
    private final BandwidthLimiter unlimited = new BandwidthLimiter(0);
    private JdbcJournal ownJournal;

    @Override
    protected CaravanObjectsEndpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters)
            throws Exception {
        Endpoint location = Endpoint.parse(remaining);
        StoreProvider provider = registry().store(location.scheme());
        CaravanObjectsEndpoint endpoint = new CaravanObjectsEndpoint(uri, this, location.toString(), registry());
        endpoint.setCamelContext(getCamelContext());
        Map<String, Object> storeOptions = PropertiesHelper.extractProperties(parameters, "store.");
        endpoint.setTargetOptions(PropertiesHelper.extractProperties(parameters, "target."));
        setProperties(endpoint, parameters);
        Map<String, Object> leftover = new LinkedHashMap<>(parameters);
        parameters.clear();
        List<String> unknown = leftover.keySet().stream().filter(n -> provider.options().find(n).isEmpty()).toList();
        if (!unknown.isEmpty()) {
            throw MigrationException.userConfig("unknown option" + (unknown.size() == 1 ? " '" : "s '")
                    + String.join("', '", unknown) + "' for caravan-objects:" + location + " (options of connector '"
                    + location.scheme() + "': " + provider.options().list().stream().map(OptionDef::name)
                            .collect(Collectors.joining(", "))
                    + "; endpoint options: " + String.join(", ", OPTIONS.names()) + ")");
        }
        storeOptions.putAll(leftover);
        endpoint.setStoreOptions(storeOptions);
        endpoint.validate();
        return endpoint;
    }

    @Override
    protected void validateParameters(String uri, Map<String, Object> parameters, String optionPrefix) {
        if (parameters != null && !parameters.isEmpty()) {
            throw OPTIONS.unknown(parameters.keySet());
        }
    }

    /** The connectors stores are opened with. */
    public synchronized ConnectorRegistry registry() {
        if (registry == null) {
            registry = ConnectorRegistry.load();
        }
        return registry;
    }

    /** The engine (see the class comment for where it comes from), or empty when there is none. */
    public synchronized Optional<MigrationEngine> engine() {
        if (engine == null && engineSupplier != null) {
            engine = engineSupplier.get();
        }
        if (engine == null && getCamelContext() != null) {
            engine = getCamelContext().getRegistry().findSingleByType(MigrationEngine.class);
        }
        return Optional.ofNullable(engine);
    }

    /** The bandwidth limit copies share: the engine's, else no limit. */
    public BandwidthLimiter bandwidth() {
        return engine().map(MigrationEngine::bandwidth).orElse(unlimited);
    }

    /**
     * The engine's journal with its write side, or empty without an engine. The engine hands out its
     * {@link JdbcJournal} as {@link MigrationEngine#journal() JournalQueries}; should it ever hand out something
     * else, the component opens a journal of its own on the engine's journal URL and closes it when it stops.
     */
    public synchronized Optional<JdbcJournal> journal() {
        Optional<MigrationEngine> e = engine();
        if (e.isEmpty()) {
            return Optional.empty();
        }
        if (e.get().journal() instanceof JdbcJournal jdbc) {
            return Optional.of(jdbc);
        }
        if (ownJournal == null) {
            ownJournal = JdbcJournal.open(e.get().settings().journalUrl());
        }
        return Optional.of(ownJournal);
    }

    @Override
    protected void doStop() throws Exception {
        super.doStop();
        JdbcJournal own;
        synchronized (this) {
            own = ownJournal;
            ownJournal = null;
        }
        if (own != null) {
            own.close();
        }
    }

    public synchronized MigrationEngine getEngine() {
        return engine;
    }

    /** The engine to use; never closed by the component. */
    public synchronized void setEngine(MigrationEngine engine) {
        this.engine = engine;
    }

    /** Supplies the engine on first use (for embedders that open it lazily); never closed by the component. */
    public synchronized void setEngineSupplier(Supplier<MigrationEngine> engineSupplier) {
        this.engineSupplier = engineSupplier;
    }

    public ConnectorRegistry getRegistry() {
        return registry;
    }

    /** The connectors to open stores with; default: every connector on the class path. */
    public synchronized void setRegistry(ConnectorRegistry registry) {
        this.registry = registry;
    }
}
