package dev.caravan.runtime;

import dev.caravan.core.engine.PlanResult;
import java.util.List;

/**
 * What {@link CaravanRuntime#planRoutes} found.
 *
 * @param plans    one plan per {@code caravan:migrate} endpoint of the routes, in route order
 * @param records  one plan per {@code caravan-records:} endpoint: type mapping and sample records per table
 * @param vms      one preflight per {@code caravan-vm:} move endpoint
 * @param exitCode see {@link #exitCode(List, List, List, List)}
 * @param errors   endpoints that could not be planned (route id and message)
 * @param badInput those of {@code errors} that are bad input: a wrong option, a missing source, an unknown
 *                 connector
 */
public record PlanOutcome(List<PlanResult> plans, List<RecordPlan> records, List<VmPlan> vms, int exitCode,
        List<String> errors, List<String> badInput) {
    public PlanOutcome {
        plans = List.copyOf(plans);
        records = List.copyOf(records);
        vms = List.copyOf(vms);
        errors = List.copyOf(errors);
        badInput = List.copyOf(badInput);
    }

    /** Object plans only; no error is known to be bad input. */
    public PlanOutcome(List<PlanResult> plans, int exitCode, List<String> errors) {
        this(plans, List.of(), List.of(), exitCode, errors, List.of());
    }

    /** Object plans only, with the exit code computed. */
    public static PlanOutcome of(List<PlanResult> plans, List<String> errors, List<String> badInput) {
        return of(plans, List.of(), List.of(), errors, badInput);
    }

    /** An outcome with its exit code computed by {@link #exitCode(List, List, List, List)}. */
    public static PlanOutcome of(List<PlanResult> plans, List<RecordPlan> records, List<VmPlan> vms,
            List<String> errors, List<String> badInput) {
        return new PlanOutcome(plans, records, vms, exitCode(plans, vms, errors, badInput), errors, badInput);
    }

    /** Whether the files hold no migration of any kind and nothing failed. */
    public boolean nothingFound() {
        return plans.isEmpty() && records.isEmpty() && vms.isEmpty() && errors.isEmpty();
    }

    /** Object plans only (see {@link #exitCode(List, List, List, List)}). */
    public static int exitCode(List<PlanResult> plans, List<String> errors, List<String> badInput) {
        return exitCode(plans, List.of(), errors, badInput);
    }

    /**
     * 1 when an error is not bad input or a VM preflight check failed (the move would be refused); else 2 when
     * there is bad input or an object plan that would be refused; else 0.
     *
     * @param badInput the errors that are bad input (a sub-list of {@code errors})
     */
    public static int exitCode(List<PlanResult> plans, List<VmPlan> vms, List<String> errors, List<String> badInput) {
        if (errors.size() > badInput.size() || vms.stream().anyMatch(VmPlan::refused)) {
            return 1;
        }
        return badInput.isEmpty() && plans.stream().allMatch(PlanResult::runnable) ? 0 : 2;
    }
}
