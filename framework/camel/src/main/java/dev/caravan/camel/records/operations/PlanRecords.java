package dev.caravan.camel.records.operations;

import dev.caravan.api.record.Column;
import dev.caravan.api.record.DataRecord;
import dev.caravan.api.record.Schema;
import dev.caravan.camel.records.RecordsConstants;
import dev.caravan.camel.records.RecordsRequest;
import dev.caravan.camel.support.OperationResponse;
import dev.caravan.core.records.RecordMigrationEngine;
import dev.caravan.core.records.TableMigrationSpec;
import dev.caravan.core.records.TablePreview;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * {@code caravan-records:plan}: a dry run that writes nothing; body the {@link TablePreview}s (schemas, target DDL,
 * splits and {@code sampleRows} converted rows per table), header {@code CamelCaravanPlanText} the same as text.
 */
public final class PlanRecords implements RecordsOperationHandler {
    private final Supplier<RecordMigrationEngine> engine;
    private final BiConsumer<TableMigrationSpec, List<TablePreview>> done;

    /**
     * @param engine the engine (opened on first use)
     * @param done   told about every plan
     */
    public PlanRecords(Supplier<RecordMigrationEngine> engine, BiConsumer<TableMigrationSpec, List<TablePreview>> done) {
        this.engine = engine;
        this.done = done;
    }

    @Override
    public OperationResponse execute(RecordsRequest request) {
        TableMigrationSpec spec = request.table();
        List<TablePreview> previews = engine.get().plan(spec, request.sampleRows());
        done.accept(spec, previews);
        return OperationResponse.of(previews)
                .with(RecordsConstants.TABLES, previews.size())
                .with(RecordsConstants.PLAN_TEXT, text(previews))
                .with(RecordsConstants.EXIT_CODE, 0);
    }

    /** The previews as text: per table its columns (source type -> target type), DDL, splits and sample rows. */
    public static String text(List<TablePreview> previews) {
        StringBuilder sb = new StringBuilder();
        for (TablePreview p : previews) {
            sb.append("table ").append(p.table()).append(": ").append(p.splits().size()).append(" split(s)\n");
            Schema s = p.sourceSchema();
            Schema t = p.targetSchema();
            for (Column c : t.columns()) {
                Column from = s.columns().stream().filter(x -> x.name().equals(c.name())).findFirst().orElse(null);
                sb.append("  ").append(from == null ? "-" : from.name() + " " + type(from)).append(" -> ")
                        .append(c.name()).append(' ').append(type(c)).append('\n');
            }
            if (p.targetDdl() != null) {
                sb.append("  target DDL:\n");
                p.targetDdl().lines().forEach(l -> sb.append("    ").append(l).append('\n'));
            }
            if (!p.sample().isEmpty()) {
                sb.append("  ").append(p.sample().size()).append(" sample row(s):\n");
                for (DataRecord r : p.sample()) {
                    sb.append("    ").append(java.util.Arrays.toString(values(r))).append('\n');
                }
            }
        }
        return sb.toString();
    }

    private static Object[] values(DataRecord r) {
        return r.values();
    }

    private static String type(Column c) {
        return c.type() + (c.nullable() ? "" : " NOT NULL");
    }
}
