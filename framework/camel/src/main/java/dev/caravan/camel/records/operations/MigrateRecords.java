package dev.caravan.camel.records.operations;

import dev.caravan.api.verify.VerificationOutcome;
import dev.caravan.camel.records.RecordsConstants;
import dev.caravan.camel.records.RecordsRequest;
import dev.caravan.camel.support.OperationResponse;
import dev.caravan.core.records.RecordMigrationEngine;
import dev.caravan.core.records.RecordMigrationListener;
import dev.caravan.core.records.RecordMigrationResult;
import dev.caravan.core.records.TableMigrationSpec;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/** {@code caravan-records:migrate}: runs (or resumes) the record migration; body {@link RecordMigrationResult}. */
public final class MigrateRecords implements RecordsOperationHandler {
    private final Supplier<RecordMigrationEngine> engine;
    private final BiConsumer<TableMigrationSpec, RecordMigrationResult> done;

    /**
     * @param engine the engine (opened on first use)
     * @param done   told about every result
     */
    public MigrateRecords(Supplier<RecordMigrationEngine> engine,
            BiConsumer<TableMigrationSpec, RecordMigrationResult> done) {
        this.engine = engine;
        this.done = done;
    }

    @Override
    public OperationResponse execute(RecordsRequest request) {
        TableMigrationSpec spec = request.table();
        RecordMigrationResult r = engine.get().run(spec, RecordMigrationListener.NONE);
        done.accept(spec, r);
        boolean complete = r.outcome() == dev.caravan.api.journal.RunOutcome.COMPLETE;
        long mismatches = r.verification().total() - r.verification().count(VerificationOutcome.MATCH);
        return OperationResponse.of(r)
                .with(RecordsConstants.RUN_ID, r.runId())
                .with(RecordsConstants.MIGRATION_ID, r.migrationId())
                .with(RecordsConstants.OUTCOME, r.outcome() == null ? null : r.outcome().name())
                .with(RecordsConstants.EXIT_CODE, complete ? 0 : 1)
                .with(RecordsConstants.ROWS, r.rows())
                .with(RecordsConstants.REJECTED, r.rejected())
                .with(RecordsConstants.TABLES, r.tables().size())
                .with(RecordsConstants.ROWS_PER_SECOND, Math.round(r.rowsPerSecond()))
                .with(RecordsConstants.VERIFIED, spec.verify() == TableMigrationSpec.Verify.NONE ? null
                        : r.verification().clean())
                .with(RecordsConstants.MISMATCHES, mismatches);
    }
}
