package dev.caravan.core.engine;

import dev.caravan.core.plan.MigrationSpec;
import dev.caravan.core.plan.Mode;
import dev.caravan.core.plan.PlanSummary;

/** Safety checks on a complete plan, made before anything is written or deleted. */
final class Guards {
    private Guards() {
    }

    /**
     * Whether {@link #refusal} may refuse a plan of {@code spec}: a sync, which deletes from the target, and a move
     * with {@code maxDelete}, which deletes from the source every object it copies or finds already copied.
     */
    static boolean mayRefuse(MigrationSpec spec) {
        return spec.mode() == Mode.SYNC || spec.mode() == Mode.MOVE && spec.maxDelete() != null;
    }

    /** Why the plan must not run, or {@code null} when it may. */
    static String refusal(MigrationSpec spec, PlanSummary plan) {
        if (!mayRefuse(spec)) {
            return null;
        }
        boolean move = spec.mode() == Mode.MOVE;
        if (!move && plan.sourceCount() == 0 && plan.targetCount() > 0) {
            return "the source " + spec.source() + " lists no objects: refusing to sync, which would delete all "
                    + plan.targetCount() + " objects on the target (check the source location and filters)";
        }
        long deletes = plan.deleteCount(); // a move's: what it copies and what the target already holds
        long listed = move ? plan.sourceCount() : plan.targetCount();
        if (spec.maxDelete() == null || deletes == 0) {
            return null;
        }
        long limit;
        String max = spec.maxDelete();
        if (max.endsWith("%")) {
            int percent = Integer.parseInt(max.substring(0, max.length() - 1));
            limit = listed * percent / 100;
        } else {
            limit = Long.parseLong(max);
        }
        if (deletes > limit) {
            return (move ? "move" : "sync") + " would delete " + deletes + " of " + listed + " objects on the "
                    + (move ? "source" : "target") + ", more than maxDelete=" + max + " allows (" + limit
                    + "): nothing was copied or deleted; raise maxDelete if this is intended";
        }
        return null;
    }
}
