package dev.caravan.application.camel;

import java.util.Map;
import org.apache.camel.Endpoint;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.DefaultComponent;

/**
 * The {@code caravan-application:} component: {@code caravan-application:run?planFile=app.yaml} runs an application
 * plan's cutover inside one exchange (behind a Quartz trigger, a REST call, a one-shot timer) and
 * {@code caravan-application:plan?planFile=app.yaml} dry-runs it. The saga and the endpoint hooks run in the route's
 * own Camel context. The body becomes the {@link dev.caravan.application.ApplicationReport} (run) or
 * {@link dev.caravan.application.ApplicationPlan} (plan); headers in {@link ApplicationConstants}
 * ({@code CamelCaravanExitCode}, {@code CamelCaravanOutcome}, {@code CamelCaravanRunId}, ...).
 */
@Component("caravan-application")
public class ApplicationComponent extends DefaultComponent {
    @Metadata(description = "Directory of application runs (journal, backups, reports); default applications/ under"
            + " the home of the caravan: component's engine")
    private String workDir;

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        ApplicationEndpoint endpoint = new ApplicationEndpoint(uri, this, ApplicationEndpoint.Operation.parse(remaining));
        endpoint.setVariables(org.apache.camel.util.PropertiesHelper.extractProperties(parameters, "variable."));
        setProperties(endpoint, parameters);
        return endpoint;
    }

    /**
     * The work directory: the one set, else {@code applications/} under the home of the {@code caravan:}
     * component's engine in this context (so runs sit next to the journal and reports of {@code caravan run}).
     */
    public java.nio.file.Path workDir() {
        if (workDir != null && !workDir.isBlank()) {
            return java.nio.file.Path.of(workDir);
        }
        return getCamelContext().getComponent("caravan", dev.caravan.camel.migration.CaravanComponent.class).engine()
                .settings().home().resolve("applications");
    }

    public String getWorkDir() {
        return workDir;
    }

    /** Directory of application runs; see {@link #workDir()}. */
    public void setWorkDir(String workDir) {
        this.workDir = workDir;
    }
}
