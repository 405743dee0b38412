package dev.caravan.core.engine;

import dev.caravan.core.plan.MigrationSpec;
import dev.caravan.core.plan.Mode;
import dev.caravan.core.plan.PlanSummary;

/** Safety checks on a complete plan, made before anything is written or deleted. */
final class Guards {
    private Guards() {
    }

    /** Whether {@link #refusal} may refuse a plan of {@code spec} (only a sync, which deletes, can be refused). */
    static boolean mayRefuse(MigrationSpec spec) {
        return spec.mode() == Mode.SYNC;
    }

    /** Why the plan must not run, or {@code null} when it may. */
    static String refusal(MigrationSpec spec, PlanSummary plan) {
        if (!mayRefuse(spec)) {
            return null;
        }
        if (plan.sourceCount() == 0 && plan.targetCount() > 0) {
            return "the source " + spec.source() + " lists no objects: refusing to sync, which would delete all "
                    + plan.targetCount() + " objects on the target (check the source location and filters)";
        }
        if (spec.maxDelete() == null || plan.deleteCount() == 0) {
            return null;
        }
        long limit;
        String max = spec.maxDelete();
        if (max.endsWith("%")) {
            int percent = Integer.parseInt(max.substring(0, max.length() - 1));
            limit = plan.targetCount() * percent / 100;
        } else {
            limit = Long.parseLong(max);
        }
        if (plan.deleteCount() > limit) {
            return "sync would delete " + plan.deleteCount() + " of " + plan.targetCount()
                    + " objects on the target, more than maxDelete=" + max + " allows (" + limit
                    + "): nothing was copied or deleted; raise maxDelete if this is intended";
        }
        return null;
    }
}
