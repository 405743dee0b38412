package dev.caravan.application;

import dev.caravan.core.registry.ConnectorRegistry;
import java.nio.file.Path;
import java.util.Map;
import org.apache.camel.CamelContext;

/**
 * How application plans are loaded and run.
 *
 * @param workDir   where each run keeps its directory ({@code <workDir>/<application>/<runId>}: journal, backups,
 *                  report); default {@code $CARAVAN_HOME/applications} or {@code ~/.caravan/applications}
 * @param variables values of {@code ${NAME}} placeholders in the plan (before the environment)
 * @param registry  connectors; {@code null} for every connector on the class path
 * @param camel     the Camel context endpoint hooks and the saga run in; {@code null} for a private one per run
 */
public record ApplicationSettings(Path workDir, Map<String, String> variables, ConnectorRegistry registry,
        CamelContext camel) {

    public ApplicationSettings {
        if (workDir == null) {
            String env = System.getenv("CARAVAN_HOME");
            Path home = env != null && !env.isBlank() ? Path.of(env)
                    : Path.of(System.getProperty("user.home"), ".caravan");
            workDir = home.resolve("applications");
        }
        variables = variables == null ? Map.of() : Map.copyOf(variables);
    }

    /** Defaults: work directory under {@code CARAVAN_HOME}, no variables, every connector, a private context. */
    public static ApplicationSettings defaults() {
        return new ApplicationSettings(null, Map.of(), null, null);
    }

    public ApplicationSettings withWorkDir(Path value) {
        return new ApplicationSettings(value, variables, registry, camel);
    }

    public ApplicationSettings withVariables(Map<String, String> value) {
        return new ApplicationSettings(workDir, value, registry, camel);
    }

    public ApplicationSettings withRegistry(ConnectorRegistry value) {
        return new ApplicationSettings(workDir, variables, value, camel);
    }

    public ApplicationSettings withCamel(CamelContext value) {
        return new ApplicationSettings(workDir, variables, registry, value);
    }
}
