package dev.caravan.camel.migration;

import dev.caravan.api.verify.VerificationReport;
import dev.caravan.core.engine.PlanResult;
import dev.caravan.core.engine.RunResult;
import dev.caravan.core.plan.MigrationSpec;

/**
 * Told about every result a {@code caravan:} endpoint produces, whatever the route does with the body afterwards.
 * Register with {@link CaravanComponent#addListener}. Called on the exchange's thread; must be thread-safe.
 */
public interface MigrationListener {

    /** A run ended (successfully or not). */
    default void onRun(RunResult result) {
    }

    /** A plan was computed. */
    default void onPlan(PlanResult result) {
    }

    /** A verification finished. */
    default void onVerify(MigrationSpec spec, VerificationReport report) {
    }
}
