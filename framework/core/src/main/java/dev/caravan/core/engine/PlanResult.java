package dev.caravan.core.engine;

import dev.caravan.api.vm.PreflightCheck;
import dev.caravan.core.plan.PlanSummary;
import dev.caravan.core.plan.PlannedAction;
import java.time.Duration;
import java.util.List;

/**
 * What a dry run found. Nothing was written to the target.
 *
 * @param spec        the migration (name, source, target)
 * @param summary     counts and bytes per action
 * @param sample      the first planned actions, in key order (bounded)
 * @param preflight   checks made before anything would be written
 * @param forecast    estimated transfer time from the measured throughput, or {@code null}
 * @param refusal     why a run would be refused (a guard), or {@code null}
 */
public record PlanResult(dev.caravan.core.plan.MigrationSpec spec, PlanSummary summary, List<PlannedAction> sample,
        List<PreflightCheck> preflight, Duration forecast, String refusal) {

    public PlanResult {
        sample = List.copyOf(sample);
        preflight = List.copyOf(preflight);
    }

    /** True when a run would be allowed to start. */
    public boolean runnable() {
        return refusal == null && preflight.stream().noneMatch(c -> c.status() == PreflightCheck.Status.FAIL);
    }
}
