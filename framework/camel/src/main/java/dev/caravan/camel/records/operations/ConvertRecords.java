package dev.caravan.camel.records.operations;

import dev.caravan.api.store.ObjectStore;
import dev.caravan.api.verify.VerificationReport;
import dev.caravan.camel.records.RecordsConstants;
import dev.caravan.camel.records.RecordsRequest;
import dev.caravan.camel.support.OperationResponse;
import dev.caravan.core.registry.ConnectorRegistry;
import dev.caravan.formats.store.ConversionReport;
import dev.caravan.formats.store.FormatConversion;
import dev.caravan.formats.store.ObjectStoreRecordSink;
import dev.caravan.formats.store.Sample;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * {@code caravan-records:convert}: converts the record files of one store and format into part files of another
 * (CSV to Parquet, JSON Lines to Avro, ...) through the schema mapping; body {@link ConversionReport}. Parts become
 * visible on success only; a rerun replaces them (mode=append adds parts instead). Unless {@code verify=none}, the
 * parts the run published (in append mode: the ones it added) are then compared value by value with the source read
 * again.
 */
public final class ConvertRecords implements RecordsOperationHandler {
    private final Supplier<ConnectorRegistry> registry;
    private final BiConsumer<RecordsRequest.Conversion, ConversionReport> done;

    /**
     * @param registry the connectors that open the stores
     * @param done     told about every report
     */
    public ConvertRecords(Supplier<ConnectorRegistry> registry,
            BiConsumer<RecordsRequest.Conversion, ConversionReport> done) {
        this.registry = registry;
        this.done = done;
    }

    /**
     * The first {@code n} records converted (encoded with the target format and read back in memory) and the resolved
     * type mapping; nothing is written. What {@code caravan plan --sample N} shows for a conversion.
     */
    public static Sample sample(ConnectorRegistry connectors, RecordsRequest.Conversion c, int n) {
        try (ObjectStore source = connectors.openStore(c.source(), c.sourceOptions());
                ObjectStore target = connectors.openStore(c.target(), c.targetOptions())) {
            return builder(c, source, target).build().sample(n);
        }
    }

    /**
     * Compares every value of the parts an earlier run published with the source read again through the mapping and
     * the target format (see {@link FormatConversion#verify()}; in append mode an ERROR item: which parts one run
     * wrote is not recorded); writes nothing.
     */
    public static VerificationReport verify(ConnectorRegistry connectors, RecordsRequest.Conversion c) {
        try (ObjectStore source = connectors.openStore(c.source(), c.sourceOptions());
                ObjectStore target = connectors.openStore(c.target(), c.targetOptions())) {
            return builder(c, source, target).build().verify();
        }
    }

    private static FormatConversion.Builder builder(RecordsRequest.Conversion c, ObjectStore source,
            ObjectStore target) {
        return FormatConversion.builder()
                .source(source, c.include(), c.sourceFormat(), c.sourceFormatOptions())
                .target(target, c.prefix(), c.targetFormat(), c.targetFormatOptions())
                .mapping(c.mapping())
                .maxRecordsPerFile(c.maxRecordsPerFile())
                .maxBytesPerFile(c.maxBytesPerFile())
                .maxRejects(c.maxRejects())
                .rejectsPrefix(c.rejectsPrefix())
                .mode(c.append() ? ObjectStoreRecordSink.WriteMode.APPEND : ObjectStoreRecordSink.WriteMode.REPLACE);
    }

    @Override
    public OperationResponse execute(RecordsRequest request) {
        RecordsRequest.Conversion c = request.conversion();
        ConnectorRegistry connectors = registry.get();
        ConversionReport report;
        try (ObjectStore source = connectors.openStore(c.source(), c.sourceOptions());
                ObjectStore target = connectors.openStore(c.target(), c.targetOptions())) {
            FormatConversion conversion = builder(c, source, target).build();
            report = conversion.run();
            if (c.verify()) { // the parts it published against the source read again: every value
                report = report.withVerification(conversion.verify(report));
            }
        }
        done.accept(c, report);
        double seconds = report.elapsed().toNanos() / 1e9;
        boolean verified = report.verification() == null || report.verification().clean();
        return OperationResponse.of(report)
                .with(RecordsConstants.OUTCOME, verified ? "COMPLETE" : "VERIFICATION_FAILED")
                .with(RecordsConstants.EXIT_CODE, verified ? 0 : 1)
                .with(RecordsConstants.ROWS, report.recordsOut())
                .with(RecordsConstants.REJECTED, report.rejected())
                .with(RecordsConstants.FILES, report.files().size())
                .with(RecordsConstants.ROWS_PER_SECOND, seconds <= 0 ? 0L : Math.round(report.recordsOut() / seconds));
    }
}
