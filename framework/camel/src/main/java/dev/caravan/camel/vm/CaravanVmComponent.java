package dev.caravan.camel.vm;

import dev.caravan.api.ConnectorProvider;
import dev.caravan.api.error.MigrationException;
import dev.caravan.api.vm.Hypervisor;
import dev.caravan.api.vm.HypervisorProvider;
import dev.caravan.api.vm.JobProgress;
import dev.caravan.api.vm.MigrationResult;
import dev.caravan.camel.migration.CaravanComponent;
import dev.caravan.camel.support.OptionValues;
import dev.caravan.camel.support.UriOptions;
import dev.caravan.core.engine.MigrationEngine;
import dev.caravan.core.journal.JdbcJournal;
import dev.caravan.core.registry.ConnectorRegistry;
import dev.caravan.core.registry.Endpoint;
import dev.caravan.core.vm.Hypervisors;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.DefaultComponent;
import org.apache.camel.util.PropertiesHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code caravan-vm:} component: {@code caravan-vm:<operation>?source=...&target=...&domain=...} runs one VM
 * operation per exchange (describe, list, preflight, migrateLive, migrateCold, moveStorage, abort) on hypervisors
 * found by scheme through core's {@link Hypervisors} and {@link ConnectorRegistry} (e.g. {@code libvirt:<uri>});
 * the component never depends on a connector. The operation is the URI path rather than the hypervisor, because a
 * migration names two hypervisors and libvirt URIs carry their own query ({@code ?socket=}).
 *
 * <p>Hypervisor connections are shared by all endpoints of the component and closed when it stops. The
 * {@link MigrationEngine} (its journal keeps every move; cold migration copies disks through it) is, in order:
 * the one set with {@link #setEngine}, the one given by {@link #setEngineSupplier}, the single
 * {@code MigrationEngine} bean of the Camel registry, else the engine of the {@code caravan:} component of the same
 * context (which opens one under Caravan's home when it has none), so that routes run by {@code caravan run} keep
 * their VM moves in the same journal {@code caravan status} reads. The component never closes an engine.
 */
@Component("caravan-vm")
public class CaravanVmComponent extends DefaultComponent {
    private static final Logger LOG = LoggerFactory.getLogger(CaravanVmComponent.class);
    private static final UriOptions OPTIONS = UriOptions.of("caravan-vm:", CaravanVmEndpoint.class, true);

    @Metadata(label = "advanced", description = "Connectors to use; default every connector on the class path")
    private ConnectorRegistry registry;
    @Metadata(label = "advanced", autowired = true, description = "The engine whose journal keeps the moves and that"
                                                                 + " copies the disks of cold migrations; default"
                                                                 + " the single MigrationEngine bean, else the"
                                                                 + " caravan component's engine")
    private MigrationEngine engine;

    private Supplier<MigrationEngine> engineSupplier;
    private final HostConnections connections = new HostConnections();
    private final List<VmListener> listeners = new CopyOnWriteArrayList<>();
    private JdbcJournal ownJournal;

    @Override
    protected CaravanVmEndpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) {
        VmOperation operation = VmOperation.parse(remaining);
        VmConfiguration config = new VmConfiguration();
        config.setSourceOptions(PropertiesHelper.extractProperties(parameters, "source."));
        config.setTargetOptions(PropertiesHelper.extractProperties(parameters, "target."));
        config.bind(parameters);
        CaravanVmEndpoint endpoint = new CaravanVmEndpoint(uri, this, operation, config);
        endpoint.validate();
        return endpoint;
    }

    @Override
    protected void validateParameters(String uri, Map<String, Object> parameters, String optionPrefix) {
        if (parameters != null && !parameters.isEmpty()) {
            throw OPTIONS.unknown(parameters.keySet());
        }
    }

    /** The endpoint options of {@code caravan-vm:}, as the error for an unknown option lists them. */
    public static List<String> optionNames() {
        return OPTIONS.names();
    }

    /**
     * Connector options as text, sorted, without blank values: a blank value (an unset optional route template
     * parameter such as {@code source.password=RAW({{sourcePassword}})}) means "not set", as for endpoint options.
     */
    static Map<String, String> connectorOptions(Map<String, Object> raw) {
        return OptionValues.textMap(raw);
    }

    /**
     * Checks that a location names a hypervisor connector and that the options are valid for it.
     *
     * @throws MigrationException USER_CONFIG naming the role, with the connector's message
     */
    void checkLocation(String role, String location, Map<String, String> options) {
        provider(role, location).options().resolve(options);
    }

    private HypervisorProvider provider(String role, String location) {
        try {
            Endpoint endpoint = Endpoint.parse(location);
            ConnectorProvider p = registry().require(endpoint.scheme());
            if (p instanceof HypervisorProvider hp) {
                return hp;
            }
            throw MigrationException.userConfig("connector '" + endpoint.scheme() + "' is not a hypervisor"
                    + " (hypervisor connectors: " + registry().all().stream()
                            .filter(HypervisorProvider.class::isInstance).map(ConnectorProvider::scheme)
                            .collect(Collectors.joining(", ")) + ")");
        } catch (MigrationException e) {
            throw new MigrationException(e.kind(), role + " '" + location + "': " + e.getMessage(), e);
        }
    }

    /** Opens a hypervisor connection (not shared: {@link VmRequest} leases shared ones). */
    Hypervisor openHypervisor(String role, String location, Map<String, String> options) {
        provider(role, location);
        LOG.debug("connecting to the {} hypervisor {}", role, location);
        return Hypervisors.open(registry(), location, options);
    }

    HostConnections connections() {
        return connections;
    }

    /** The connectors hypervisors are opened with. */
    public synchronized ConnectorRegistry registry() {
        if (registry == null) {
            registry = ConnectorRegistry.load();
        }
        return registry;
    }

    /** The engine (see the class comment for where it comes from). */
    public MigrationEngine engine() {
        synchronized (this) {
            if (engine == null && engineSupplier != null) {
                engine = engineSupplier.get();
            }
            if (engine == null && getCamelContext() != null) {
                engine = getCamelContext().getRegistry().findSingleByType(MigrationEngine.class);
            }
            if (engine != null) {
                return engine;
            }
        }
        if (getCamelContext() != null) {
            CaravanComponent caravan = getCamelContext().getComponent("caravan", CaravanComponent.class);
            if (caravan != null) {
                return caravan.engine(); // not kept: the caravan component owns it and may close it when it stops
            }
        }
        throw MigrationException.userConfig("caravan-vm needs a MigrationEngine (for its journal and for cold"
                + " migration): bind one in the Camel registry or set it on the caravan-vm component");
    }

    /**
     * The engine's journal with its write side. The engine hands out its {@link JdbcJournal}; should it ever hand
     * out something else, the component opens a journal of its own on the engine's journal URL.
     */
    synchronized JdbcJournal journal() {
        MigrationEngine e = engine();
        if (e.journal() instanceof JdbcJournal jdbc) {
            return jdbc;
        }
        if (ownJournal == null) {
            ownJournal = JdbcJournal.open(e.settings().journalUrl());
        }
        return ownJournal;
    }

    @Override
    protected void doStop() throws Exception {
        super.doStop();
        connections.close();
        JdbcJournal own;
        synchronized (this) {
            own = ownJournal;
            ownJournal = null;
        }
        if (own != null) {
            own.close();
        }
    }

    public void addListener(VmListener listener) {
        listeners.add(listener);
    }

    public void removeListener(VmListener listener) {
        listeners.remove(listener);
    }

    void fireProgress(String domain, JobProgress p) {
        for (VmListener l : listeners) {
            try {
                l.onProgress(domain, p);
            } catch (RuntimeException e) {
                LOG.warn("a VM listener failed on progress of {}: {}", domain, e.toString());
            }
        }
    }

    void fireResult(MigrationResult r) {
        for (VmListener l : listeners) {
            try {
                l.onResult(r);
            } catch (RuntimeException e) {
                LOG.warn("a VM listener failed on the result of {}: {}", r.name(), e.toString());
            }
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

    public synchronized ConnectorRegistry getRegistry() {
        return registry;
    }

    /** The connectors to open hypervisors with; default: every connector on the class path. */
    public synchronized void setRegistry(ConnectorRegistry registry) {
        this.registry = registry;
    }
}
