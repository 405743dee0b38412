package dev.caravan.runtime;

import dev.caravan.core.engine.PlanResult;
import java.util.List;

/**
 * What {@link CaravanRuntime#planRoutes} found.
 *
 * @param plans    one plan per {@code caravan:migrate} endpoint of the routes, in route order
 * @param exitCode 0 when every plan is runnable and nothing failed; 1 otherwise
 * @param errors   endpoints that could not be planned (route id and message)
 */
public record PlanOutcome(List<PlanResult> plans, int exitCode, List<String> errors) {
    public PlanOutcome {
        plans = List.copyOf(plans);
        errors = List.copyOf(errors);
    }
}
