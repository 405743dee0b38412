package dev.caravan.runtime;

import dev.caravan.core.engine.PlanResult;
import java.util.List;

/**
 * What {@link CaravanRuntime#planRoutes} found.
 *
 * @param plans    one plan per {@code caravan:migrate} endpoint of the routes, in route order
 * @param exitCode 0 when every plan is runnable and nothing failed; 2 when every failure is bad input (see
 *                 {@code badInput}) or a plan would be refused (a guard such as maxDelete); 1 when a migration
 *                 could not be planned for another reason (see {@link #exitCode(List, List, List)})
 * @param errors   endpoints that could not be planned (route id and message)
 * @param badInput those of {@code errors} that are bad input: a wrong option, a missing source, an unknown
 *                 connector
 */
public record PlanOutcome(List<PlanResult> plans, int exitCode, List<String> errors, List<String> badInput) {
    public PlanOutcome {
        plans = List.copyOf(plans);
        errors = List.copyOf(errors);
        badInput = List.copyOf(badInput);
    }

    /** The earlier shape: no error is known to be bad input. */
    public PlanOutcome(List<PlanResult> plans, int exitCode, List<String> errors) {
        this(plans, exitCode, errors, List.of());
    }

    /** An outcome with its exit code computed by {@link #exitCode(List, List, List)}. */
    public static PlanOutcome of(List<PlanResult> plans, List<String> errors, List<String> badInput) {
        return new PlanOutcome(plans, exitCode(plans, errors, badInput), errors, badInput);
    }

    /**
     * 1 when an error is not bad input; else 2 when there is bad input or a plan that would be refused; else 0.
     *
     * @param badInput the errors that are bad input (a sub-list of {@code errors})
     */
    public static int exitCode(List<PlanResult> plans, List<String> errors, List<String> badInput) {
        if (errors.size() > badInput.size()) {
            return 1;
        }
        return badInput.isEmpty() && plans.stream().allMatch(PlanResult::runnable) ? 0 : 2;
    }
}
