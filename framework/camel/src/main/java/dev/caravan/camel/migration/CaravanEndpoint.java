package dev.caravan.camel.migration;

import dev.caravan.core.plan.MigrationSpec;
import java.util.function.Function;
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
 * A {@code caravan:<operation>} endpoint: one migration (source, target, mode, filters, guards) that each
 * exchange runs, plans or verifies. Producer only.
 */
@UriEndpoint(firstVersion = "0.1.0", scheme = "caravan", title = "Caravan migration", syntax = "caravan:operation",
             producerOnly = true, category = { Category.FILE, Category.CLOUD }, headersClass = CaravanConstants.class)
public class CaravanEndpoint extends DefaultEndpoint {

    @UriPath(enums = "migrate,plan,verify", description = "What each exchange does: migrate, plan or verify")
    @Metadata(required = true)
    private final CaravanOperation operation;
    @UriParam
    private final MigrationConfiguration configuration;
    /** The filter files, read when the route starts; {@code null} before. */
    private volatile FilterFileContents filterFiles;

    CaravanEndpoint(String uri, CaravanComponent component, CaravanOperation operation,
            MigrationConfiguration configuration) {
        super(uri, component);
        this.operation = operation;
        this.configuration = configuration;
    }

    @Override
    public CaravanComponent getComponent() {
        return (CaravanComponent) super.getComponent();
    }

    @Override
    public Producer createProducer() {
        return new CaravanProducer(this);
    }

    @Override
    public Consumer createConsumer(Processor processor) {
        throw new UnsupportedOperationException("caravan: endpoints only run migrations (use them in to:); to react"
                + " to objects use caravan-objects:<scheme>:<location>");
    }

    public CaravanOperation getOperation() {
        return operation;
    }

    /** The endpoint options (a private copy). */
    public MigrationConfiguration getConfiguration() {
        return configuration.copy();
    }

    /** Reads the filter files ({@code includeFrom}, {@code excludeFrom}, {@code filesFrom}): bad ones fail the start. */
    @Override
    protected void doStart() throws Exception {
        super.doStart();
        filterFiles = MigrationSpecFactory.filterFiles(configuration, null);
    }

    /** The migration of this endpoint with per-exchange header overrides. */
    public MigrationSpec spec(Function<String, Object> headers, String defaultName) {
        return MigrationSpecFactory.toSpec(configuration, headers, defaultName, filterFiles);
    }

    /** The migration of this endpoint as configured (no headers). */
    public MigrationSpec spec() {
        return MigrationSpecFactory.toSpec(configuration, null, null, filterFiles);
    }
}
