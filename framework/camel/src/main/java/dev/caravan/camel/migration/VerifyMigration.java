package dev.caravan.camel.migration;

import dev.caravan.api.verify.VerificationReport;
import dev.caravan.camel.support.OperationResponse;
import dev.caravan.core.plan.MigrationSpec;

/** {@code caravan:verify}: compares source and target object by object; body {@link VerificationReport}. */
final class VerifyMigration implements MigrationOperation {
    private final CaravanComponent component;

    VerifyMigration(CaravanComponent component) {
        this.component = component;
    }

    @Override
    public OperationResponse execute(MigrationSpec spec) {
        VerificationReport report = component.engine().verify(spec);
        component.fireVerify(spec, report);
        long mismatches = report.total() - report.count(dev.caravan.api.verify.VerificationOutcome.MATCH);
        return OperationResponse.of(report)
                .with(CaravanConstants.MIGRATION_ID, spec.migrationId())
                .with(CaravanConstants.VERIFIED, report.clean())
                .with(CaravanConstants.MISMATCHES, mismatches)
                .with(CaravanConstants.EXIT_CODE, report.clean() ? 0 : 1);
    }
}
