package dev.caravan.camel.migration;

import dev.caravan.camel.support.OperationResponse;
import dev.caravan.core.engine.RunResult;
import dev.caravan.core.plan.MigrationSpec;

/** {@code caravan:migrate}: runs (or resumes) the migration to its end; body {@link RunResult}. */
final class RunMigration implements MigrationOperation {
    private final CaravanComponent component;

    RunMigration(CaravanComponent component) {
        this.component = component;
    }

    @Override
    public OperationResponse execute(MigrationSpec spec) {
        RunResult result = component.engine().run(spec, component.getProgressListener());
        component.fireRun(result);
        return OperationResponse.of(result)
                .with(CaravanConstants.RUN_ID, result.runId())
                .with(CaravanConstants.MIGRATION_ID, result.migrationId())
                .with(CaravanConstants.OUTCOME, result.outcome() == null ? null : result.outcome().name())
                .with(CaravanConstants.EXIT_CODE, result.exitCode())
                .with(CaravanConstants.OBJECTS_COPIED, result.copied())
                .with(CaravanConstants.BYTES_COPIED, result.bytesCopied())
                .with(CaravanConstants.OBJECTS_DELETED, result.deleted())
                .with(CaravanConstants.OBJECTS_PRESERVED, result.preserved())
                .with(CaravanConstants.OBJECTS_FAILED, result.failed())
                .with(CaravanConstants.REPORT_JSON, result.reportJson() == null ? null : result.reportJson().toString());
    }
}
