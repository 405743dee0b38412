package dev.caravan.camel.migration;

import dev.caravan.camel.support.OperationResponse;
import dev.caravan.core.engine.PlanResult;
import dev.caravan.core.plan.MigrationSpec;

/** {@code caravan:plan}: a dry run that writes nothing; body {@link PlanResult}. */
final class PlanMigration implements MigrationOperation {
    private final CaravanComponent component;

    PlanMigration(CaravanComponent component) {
        this.component = component;
    }

    @Override
    public OperationResponse execute(MigrationSpec spec) {
        PlanResult plan = component.engine().plan(spec);
        component.firePlan(plan);
        return OperationResponse.of(plan)
                .with(CaravanConstants.MIGRATION_ID, spec.migrationId())
                .with(CaravanConstants.RUNNABLE, plan.runnable())
                .with(CaravanConstants.EXIT_CODE, plan.runnable() ? 0 : 1)
                .with(CaravanConstants.PLANNED_TRANSFERS, plan.summary().transferCount())
                .with(CaravanConstants.PLANNED_BYTES, plan.summary().transferBytes())
                .with(CaravanConstants.PLANNED_DELETES, plan.summary().deleteCount());
    }
}
