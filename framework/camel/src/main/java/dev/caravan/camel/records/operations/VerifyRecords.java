package dev.caravan.camel.records.operations;

import dev.caravan.api.verify.VerificationOutcome;
import dev.caravan.api.verify.VerificationReport;
import dev.caravan.camel.records.RecordsConstants;
import dev.caravan.camel.records.RecordsRequest;
import dev.caravan.camel.support.OperationResponse;
import dev.caravan.core.records.RecordMigrationEngine;
import dev.caravan.core.records.TableMigrationSpec;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/** {@code caravan-records:verify}: compares source and target range by range; body {@link VerificationReport}. */
public final class VerifyRecords implements RecordsOperationHandler {
    private final Supplier<RecordMigrationEngine> engine;
    private final BiConsumer<TableMigrationSpec, VerificationReport> done;

    /**
     * @param engine the engine (opened on first use)
     * @param done   told about every report
     */
    public VerifyRecords(Supplier<RecordMigrationEngine> engine, BiConsumer<TableMigrationSpec, VerificationReport> done) {
        this.engine = engine;
        this.done = done;
    }

    @Override
    public OperationResponse execute(RecordsRequest request) {
        TableMigrationSpec spec = request.table();
        VerificationReport report = engine.get().verify(spec);
        done.accept(spec, report);
        long mismatches = report.total() - report.count(VerificationOutcome.MATCH);
        return OperationResponse.of(report)
                .with(RecordsConstants.VERIFIED, report.clean())
                .with(RecordsConstants.MISMATCHES, mismatches)
                .with(RecordsConstants.EXIT_CODE, report.clean() ? 0 : 1);
    }
}
