package dev.caravan.application.camel;

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

/** Loads the plan named by the endpoint (or header {@code CaravanPlanFile}) and runs or plans it. */
final class ApplicationProducer extends DefaultProducer {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ApplicationProducer.class);
    static final String PLAN_FILE = "CaravanPlanFile";

    private final ApplicationEndpoint endpoint;

    ApplicationProducer(ApplicationEndpoint endpoint) {
        super(endpoint);
        this.endpoint = endpoint;
    }

    @Override
    public void process(Exchange exchange) {
        Message in = exchange.getMessage();
        String file = in.getHeader(PLAN_FILE, endpoint.getPlanFile(), String.class);
        if (file == null || file.isBlank()) {
            throw MigrationException.userConfig("caravan-application: no plan file; set the planFile option or the "
                    + PLAN_FILE + " header");
        }
        Map<String, String> variables = new TreeMap<>();
        endpoint.getVariables().forEach((k, v) -> variables.put(k, String.valueOf(v)));
        ApplicationSettings settings = ApplicationSettings.defaults().withVariables(variables)
                .withCamel(exchange.getContext()).withWorkDir(endpoint.getComponent().workDir());
        ApplicationMigration app = ApplicationMigration.load(Path.of(file), settings);
        if (endpoint.getOperation() == ApplicationEndpoint.Operation.PLAN) {
            ApplicationPlan plan = app.plan();
            in.setBody(plan);
            in.setHeader("CaravanExitCode", plan.exitCode());
            in.setHeader("CaravanApplication", plan.name());
            in.setHeader("CaravanOutcome", plan.runnable() ? "RUNNABLE" : "NOT_RUNNABLE");
            LOG.info("{}", plan.toText());
            return;
        }
        ApplicationReport report = app.run();
        in.setBody(report);
        in.setHeader("CaravanExitCode", report.exitCode());
        in.setHeader("CaravanOutcome", report.outcome().name());
        in.setHeader("CaravanApplication", report.name());
        in.setHeader("CaravanRunId", report.runId());
        in.setHeader("CaravanFailingStep", report.failingStep());
        in.setHeader("CaravanReport", report.runDir() == null ? null : report.runDir().resolve("report.txt").toString());
        if (report.exitCode() != 0 && endpoint.isFailOnError()) {
            throw new MigrationException(report.exitCode() == 2 ? ErrorKind.USER_CONFIG : ErrorKind.FATAL,
                    "application " + report.name() + " " + report.outcome() + (report.failedAt() == null ? ""
                            : " at " + report.failedAt()) + ": " + report.failure() + " (report: "
                            + report.runDir() + "/report.txt)");
        }
    }
}
