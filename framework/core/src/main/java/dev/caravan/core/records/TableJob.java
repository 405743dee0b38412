package dev.caravan.core.records;

import dev.caravan.api.journal.TaskId;
import dev.caravan.api.record.DataRecord;
import dev.caravan.api.record.RecordBatch;
import dev.caravan.api.record.RecordSink;
import dev.caravan.api.record.RecordSource;
import dev.caravan.api.record.Schema;
import dev.caravan.api.record.Split;
import dev.caravan.api.record.TableDefinition;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One table of a run: its source (possibly an incremental window of {@code baseSource}), what verification
 * reads, its sink, schemas,
 * definition, splits and task ids, and the counters its tasks update from worker threads. Counters are
 * thread-safe; the rest is fixed at planning.
 */
final class TableJob implements AutoCloseable {
    final String table;
    final RecordSource baseSource;
    final RecordSource source;
    final RecordSource verifySource;
    final RecordSink sink;
    final Schema sourceSchema;
    final RecordMapping.Bound mapping;
    final TableDefinition definition;
    final List<Split> splits;
    final String highWater;
    final boolean keepExisting;
    final TaskId prepareId;
    final TaskId finishId;
    final TaskId constraintsId;
    final List<TaskId> splitIds;
    /** The earlier run that completed this table (so this run skips it), or {@code null}. */
    final String completedBy;

    final AtomicLong rows = new AtomicLong();
    final AtomicLong rejected = new AtomicLong();
    final AtomicInteger splitsFailed = new AtomicInteger();
    final List<String> errors = Collections.synchronizedList(new ArrayList<>());
    private volatile Instant firstStart;
    private volatile Instant lastEnd;

    TableJob(String table, RecordSource baseSource, RecordSource source, RecordSource verifySource, RecordSink sink,
            Schema sourceSchema,
            RecordMapping.Bound mapping, TableDefinition definition, List<Split> splits, String highWater,
            boolean keepExisting, TaskItems ids) {
        this(table, baseSource, source, verifySource, sink, sourceSchema, mapping, definition, splits, highWater,
                keepExisting, ids, null);
    }

    TableJob(String table, RecordSource baseSource, RecordSource source, RecordSource verifySource, RecordSink sink,
            Schema sourceSchema, RecordMapping.Bound mapping, TableDefinition definition, List<Split> splits,
            String highWater, boolean keepExisting, TaskItems ids, String completedBy) {
        this.table = table;
        this.baseSource = baseSource;
        this.source = source;
        this.verifySource = verifySource;
        this.sink = sink;
        this.sourceSchema = sourceSchema;
        this.mapping = mapping;
        this.definition = definition;
        this.splits = List.copyOf(splits);
        this.highWater = highWater;
        this.keepExisting = keepExisting;
        this.prepareId = ids.prepare(table);
        this.finishId = ids.finish(table);
        this.constraintsId = ids.constraints(table);
        this.splitIds = splits.stream().map(s -> ids.split(table, s.id())).toList();
        this.completedBy = completedBy;
    }

    /** Whether this run skips the table (an earlier complete run finished it). */
    boolean skipped() {
        return completedBy != null;
    }

    Schema targetSchema() {
        return mapping.schema();
    }

    RecordBatch map(RecordBatch batch) {
        if (mapping.function() == null) {
            return batch;
        }
        List<DataRecord> out = new ArrayList<>(batch.records().size());
        for (DataRecord r : batch.records()) {
            out.add(mapping.function().apply(r));
        }
        return new RecordBatch(out, batch.lastKey(), batch.locations());
    }

    synchronized void started() {
        if (firstStart == null) {
            firstStart = Instant.now();
        }
    }

    synchronized void ended() {
        lastEnd = Instant.now();
    }

    void failed(String message) {
        if (errors.size() < 20) {
            errors.add(message);
        }
    }

    TableResult result() {
        Duration load = firstStart == null || lastEnd == null ? Duration.ZERO : Duration.between(firstStart, lastEnd);
        return new TableResult(table, rows.get(), rejected.get(), splits.size(), splitsFailed.get(), load,
                List.copyOf(errors), skipped());
    }

    @Override
    public void close() {
        try {
            if (source != baseSource) {
                source.close();
            }
            if (verifySource != baseSource && verifySource != source) {
                verifySource.close();
            }
            baseSource.close();
        } finally {
            sink.close();
        }
    }
}
