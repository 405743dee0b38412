package dev.caravan.application.camel;

import dev.caravan.api.error.MigrationException;
import java.util.Locale;
import java.util.Map;
import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.DefaultEndpoint;

/** A {@code caravan-application:run|plan} endpoint; producer only. */
@UriEndpoint(firstVersion = "0.1.0", scheme = "caravan-application", title = "Caravan application migration",
        syntax = "caravan-application:operation", producerOnly = true, category = {Category.CORE},
        headersClass = ApplicationConstants.class)
public class ApplicationEndpoint extends DefaultEndpoint {

    /** What the endpoint does with a plan. */
    public enum Operation {
        RUN, PLAN;

        static Operation parse(String text) {
            try {
                return valueOf(text.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw MigrationException.userConfig("caravan-application: unknown operation '" + text
                        + "'; use run or plan");
            }
        }
    }

    @UriPath(description = "run (the cutover) or plan (dry run)")
    private final Operation operation;
    @UriParam(description = "The application plan file (YAML); header CamelCaravanPlanFile wins")
    private String planFile;
    @UriParam(defaultValue = "true", description = "Fail the exchange when the run did not complete (exit code not 0),"
            + " so a route, a scheduler or `caravan run` sees the failure; the report stays the body")
    private boolean failOnError = true;
    private Map<String, Object> variables = Map.of();

    ApplicationEndpoint(String uri, ApplicationComponent component, Operation operation) {
        super(uri, component);
        this.operation = operation;
    }

    @Override
    public Producer createProducer() {
        return new ApplicationProducer(this);
    }

    @Override
    public Consumer createConsumer(Processor processor) {
        throw new UnsupportedOperationException("caravan-application: is a producer (use it in a to: step)");
    }

    @Override
    public ApplicationComponent getComponent() {
        return (ApplicationComponent) super.getComponent();
    }

    public Operation getOperation() {
        return operation;
    }

    public String getPlanFile() {
        return planFile;
    }

    public void setPlanFile(String planFile) {
        this.planFile = planFile;
    }

    public boolean isFailOnError() {
        return failOnError;
    }

    public void setFailOnError(boolean failOnError) {
        this.failOnError = failOnError;
    }

    /** Values of the plan's {@code ${NAME}} placeholders, given as {@code variable.NAME=value} options. */
    public Map<String, Object> getVariables() {
        return variables;
    }

    void setVariables(Map<String, Object> variables) {
        this.variables = Map.copyOf(variables);
    }
}
