package dev.caravan.runtime;

import dev.caravan.core.engine.RunResult;
import java.util.List;

/**
 * What {@link CaravanRuntime#runRoutes} did.
 *
 * @param results  every run the routes' {@code caravan:migrate} endpoints finished, in completion order
 * @param exitCode 0 when every run is complete and verified and no exchange failed; 1 otherwise
 * @param errors   failures of exchanges (route id and message), in order; empty when all went well
 */
public record RoutesRun(List<RunResult> results, int exitCode, List<String> errors) {
    public RoutesRun {
        results = List.copyOf(results);
        errors = List.copyOf(errors);
    }
}
