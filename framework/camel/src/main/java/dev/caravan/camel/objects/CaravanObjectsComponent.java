package dev.caravan.camel.objects;

import dev.caravan.api.config.OptionDef;
import dev.caravan.api.error.MigrationException;
import dev.caravan.api.store.StoreProvider;
import dev.caravan.camel.support.UriOptions;
import dev.caravan.core.registry.ConnectorRegistry;
import dev.caravan.core.registry.Endpoint;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 */
@Component("caravan-objects")
public class CaravanObjectsComponent extends DefaultComponent {
    private static final UriOptions OPTIONS = UriOptions.of("caravan-objects:", CaravanObjectsEndpoint.class, false);

    @Metadata(label = "advanced", description = "Connectors to use; default every connector on the class path")
    private ConnectorRegistry registry;

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

    public ConnectorRegistry getRegistry() {
        return registry;
    }

    /** The connectors to open stores with; default: every connector on the class path. */
    public synchronized void setRegistry(ConnectorRegistry registry) {
        this.registry = registry;
    }
}
