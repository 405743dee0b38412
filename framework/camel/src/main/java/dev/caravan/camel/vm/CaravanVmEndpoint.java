package dev.caravan.camel.vm;

import dev.caravan.camel.support.OptionValues;
import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.DefaultEndpoint;

/**
 * A {@code caravan-vm:<operation>} endpoint: one VM operation (see {@link VmOperation}) with its options, which
 * headers override per exchange. Producer only. Every option value is checked when the endpoint is created, and
 * source and target, when given, must name a hypervisor connector whose options are valid.
 */
@UriEndpoint(firstVersion = "0.1.0", scheme = "caravan-vm", title = "Caravan VM", syntax = "caravan-vm:operation",
             producerOnly = true, category = { Category.CLOUD }, headersClass = VmConstants.class)
public class CaravanVmEndpoint extends DefaultEndpoint {

    @UriPath(enums = "describe,list,preflight,migrateLive,migrateCold,moveStorage,abort",
             description = "What each exchange does")
    @Metadata(required = true)
    private final VmOperation operation;
    @UriParam
    private final VmConfiguration configuration;

    CaravanVmEndpoint(String uri, CaravanVmComponent component, VmOperation operation, VmConfiguration configuration) {
        super(uri, component);
        this.operation = operation;
        this.configuration = configuration;
    }

    @Override
    public CaravanVmComponent getComponent() {
        return (CaravanVmComponent) super.getComponent();
    }

    /** Checks every option that is set (headers may still supply the rest per exchange). */
    void validate() {
        new VmSettings(configuration::get).validate();
        String source = OptionValues.text(configuration.get("source"));
        if (source != null) {
            getComponent().checkLocation("source", source,
                    CaravanVmComponent.connectorOptions(configuration.sourceOptions()));
        }
        String target = OptionValues.text(configuration.get("target"));
        if (target != null) {
            getComponent().checkLocation("target", target,
                    CaravanVmComponent.connectorOptions(configuration.targetOptions()));
        }
    }

    @Override
    public Producer createProducer() {
        return new VmProducer(this);
    }

    @Override
    public Consumer createConsumer(Processor processor) {
        throw new UnsupportedOperationException("caravan-vm: endpoints are producers (use them in to:); to act on"
                + " every VM of a host, list them (caravan-vm:list) and split the body");
    }

    public VmOperation getOperation() {
        return operation;
    }

    /** The endpoint options. */
    public VmConfiguration getConfiguration() {
        return configuration;
    }
}
