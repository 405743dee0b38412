package dev.caravan.application.camel;

import dev.caravan.camel.support.InputHeaders;
import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import dev.caravan.application.ApplicationMigration;
import dev.caravan.application.ApplicationPlan;
import dev.caravan.application.ApplicationReport;
import dev.caravan.application.ApplicationSettings;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.support.DefaultProducer;

/** Loads the plan named by the endpoint (or header {@code CamelCaravanPlanFile}) and runs or plans it. */
final class ApplicationProducer extends DefaultProducer {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ApplicationProducer.class);

    private final ApplicationEndpoint endpoint;

    ApplicationProducer(ApplicationEndpoint endpoint) {
        super(endpoint);
        this.endpoint = endpoint;
    }

    @Override
    public void process(Exchange exchange) {
        Message in = exchange.getMessage();
        String file = planFile(in);
        if (file == null || file.isBlank()) {
            throw MigrationException.userConfig("caravan-application: no plan file; set the planFile option or the "
                    + ApplicationConstants.PLAN_FILE + " header");
        }
        Map<String, String> variables = new TreeMap<>();
        endpoint.getVariables().forEach((k, v) -> variables.put(k, String.valueOf(v)));
        ApplicationSettings settings = ApplicationSettings.defaults().withVariables(variables)
                .withCamel(exchange.getContext()).withWorkDir(endpoint.getComponent().workDir());
        ApplicationMigration app = ApplicationMigration.load(Path.of(file), settings);
        if (endpoint.getOperation() == ApplicationEndpoint.Operation.PLAN) {
            ApplicationPlan plan = app.plan();
            in.setBody(plan);
            in.setHeader(ApplicationConstants.EXIT_CODE, plan.exitCode());
            in.setHeader(ApplicationConstants.APPLICATION, plan.name());
            in.setHeader(ApplicationConstants.OUTCOME, plan.runnable() ? "RUNNABLE" : "NOT_RUNNABLE");
            LOG.info("{}", plan.toText());
            return;
        }
        ApplicationReport report = app.run();
        in.setBody(report);
        in.setHeader(ApplicationConstants.EXIT_CODE, report.exitCode());
        in.setHeader(ApplicationConstants.OUTCOME, report.outcome().name());
        in.setHeader(ApplicationConstants.APPLICATION, report.name());
        in.setHeader(ApplicationConstants.RUN_ID, report.runId());
        in.setHeader(ApplicationConstants.FAILING_STEP, report.failingStep());
        in.setHeader(ApplicationConstants.REPORT,
                report.runDir() == null ? null : report.runDir().resolve("report.txt").toString());
        if (report.exitCode() != 0 && endpoint.isFailOnError()) {
            throw new MigrationException(report.exitCode() == 2 ? ErrorKind.USER_CONFIG : ErrorKind.FATAL,
                    "application " + report.name() + " " + report.outcome() + (report.failedAt() == null ? ""
                            : " at " + report.failedAt()) + ": " + report.failure() + " (report: "
                            + report.runDir() + "/report.txt)");
        }
    }

    /** The plan file the route names (header {@link ApplicationConstants#PLAN_FILE}, exact name), else the option's. */
    private String planFile(Message in) {
        String header = InputHeaders.get(in, ApplicationConstants.PLAN_FILE, String.class);
        return header != null ? header : endpoint.getPlanFile();
    }
}
