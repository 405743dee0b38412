package dev.caravan.testkit.contract;

import static dev.caravan.testkit.contract.RecordFixtures.assertSameRows;
import static dev.caravan.testkit.contract.RecordFixtures.byKey;
import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.api.record.DataRecord;
import dev.caravan.api.record.RecordBatch;
import dev.caravan.api.record.RecordSink;
import dev.caravan.api.record.RecordWriter;
import dev.caravan.api.record.ResumableSink;
import dev.caravan.api.record.Schema;
import dev.caravan.api.record.Split;
import dev.caravan.api.record.WriteReport;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link RecordSink} must have, as one JUnit 5 suite: open -> write -> commit makes rows durable
 * and reports them; abort discards what was written since the last commit; NULLs, unicode, decimals, doubles,
 * timestamps and bytes arrive unchanged; writers of disjoint splits work in parallel; a {@link ResumableSink}
 * discards exactly the rows after a key (named fallback when absent: nothing to check). Every test reads the rows
 * back by the target's own means ({@link #readTable}) and compares values.
 *
 * <p>A connector's test extends this class and implements {@link #openSink} (a sink that creates the table from the
 * schema) and {@link #readTable} (all rows of the table in key order, read without the connector under test).
 */
public abstract class RecordSinkContract {
    private final List<RecordSink> opened = new ArrayList<>();

    /** A sink writing {@code table}, creating it from the schema when it is missing. */
    protected abstract RecordSink openSink(String table);

    /** Every row of {@code table}, in key order, with values in the Java types of the schema's columns. */
    protected abstract List<DataRecord> readTable(String table, Schema schema);

    private RecordSink sink(String table) {
        RecordSink s = openSink(table);
        opened.add(s);
        return s;
    }

    @AfterEach
    void closeSinks() {
        opened.forEach(RecordSink::close);
    }

    private static List<RecordBatch> batches(List<DataRecord> rows, int size) {
        List<RecordBatch> out = new ArrayList<>();
        for (int i = 0; i < rows.size(); i += size) {
            List<DataRecord> part = rows.subList(i, Math.min(rows.size(), i + size));
            out.add(new RecordBatch(part, Long.toString(RecordFixtures.key(part.get(part.size() - 1)))));
        }
        return out;
    }

    @Test
    void committedBatchesAreReadBackUnchanged() {
        Schema schema = RecordFixtures.schema("sink_commit");
        List<DataRecord> rows = RecordFixtures.rows(1_234, 7);
        RecordSink sink = sink("sink_commit");
        long written = 0;
        String lastKey = null;
        try (RecordWriter w = sink.open(schema, Split.whole())) {
            for (RecordBatch b : batches(rows, 300)) {
                w.write(b);
                WriteReport r = w.commit();
                written += r.rowsWritten();
                assertThat(r.rowsRejected()).as("rejected").isZero();
                lastKey = r.lastKey();
            }
        }
        assertThat(written).as("rows reported written").isEqualTo(rows.size());
        assertThat(lastKey).as("last committed key").isEqualTo(Long.toString(RecordFixtures.key(rows.get(rows.size()
                - 1))));
        assertSameRows(readTable("sink_commit", schema), rows, "sink_commit");
    }

    @Test
    void abortDiscardsWhatWasNotCommitted() {
        Schema schema = RecordFixtures.schema("sink_abort");
        List<DataRecord> rows = RecordFixtures.rows(200, 8);
        RecordSink sink = sink("sink_abort");
        try (RecordWriter w = sink.open(schema, Split.whole())) {
            List<RecordBatch> b = batches(rows, 100);
            w.write(b.get(0));
            w.commit();
            w.write(b.get(1));
            w.abort();
        }
        assertSameRows(readTable("sink_abort", schema), rows.subList(0, 100), "sink_abort");
    }

    @Test
    void closeWithoutCommitKeepsOnlyCommittedRows() {
        Schema schema = RecordFixtures.schema("sink_close");
        List<DataRecord> rows = RecordFixtures.rows(150, 9);
        RecordSink sink = sink("sink_close");
        try (RecordWriter w = sink.open(schema, Split.whole())) {
            List<RecordBatch> b = batches(rows, 50);
            w.write(b.get(0));
            w.commit();
            w.write(b.get(1));
        }
        assertSameRows(readTable("sink_close", schema), rows.subList(0, 50), "sink_close");
    }

    @Test
    void writersOfDisjointSplitsRunInParallel() throws Exception {
        Schema schema = RecordFixtures.schema("sink_parallel");
        List<DataRecord> rows = RecordFixtures.rows(2_000, 10);
        RecordSink sink = sink("sink_parallel");
        try (RecordWriter w = sink.open(schema, Split.whole())) {
            w.commit(); // the table exists before the parallel writers start
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Long>> done = new ArrayList<>();
            for (int part = 0; part < 4; part++) {
                List<DataRecord> slice = rows.subList(part * 500, part * 500 + 500);
                Split split = new Split(Integer.toString(part), part == 0 ? null : Long.toString(part * 1500L),
                        Long.toString(part * 1500L + 1500));
                done.add(pool.submit(() -> {
                    long n = 0;
                    try (RecordWriter w = sink.open(schema, split)) {
                        for (RecordBatch b : batches(slice, 120)) {
                            w.write(b);
                            n += w.commit().rowsWritten();
                        }
                    }
                    return n;
                }));
            }
            long total = 0;
            for (Future<Long> f : done) {
                total += f.get();
            }
            assertThat(total).isEqualTo(rows.size());
        } finally {
            pool.shutdownNow();
        }
        assertSameRows(byKey(readTable("sink_parallel", schema)), rows, "sink_parallel");
    }

    @Test
    void resumableSinkDiscardsExactlyTheRowsAfterAKey() {
        Schema schema = RecordFixtures.schema("sink_discard");
        List<DataRecord> rows = RecordFixtures.rows(300, 11);
        RecordSink sink = sink("sink_discard");
        try (RecordWriter w = sink.open(schema, Split.whole())) {
            w.write(new RecordBatch(rows, "900"));
            w.commit();
        }
        Optional<ResumableSink> resumable = sink.capability(ResumableSink.class);
        if (resumable.isEmpty()) {
            // named fallback: the engine restarts the split, the sink's open() replaces the split's rows
            assertSameRows(readTable("sink_discard", schema), rows, "sink_discard without ResumableSink");
            return;
        }
        // rows have keys 3..900; a split (150, 600] resumed after key 450 keeps keys <= 450 and > 600
        resumable.get().discardAfter(schema, new Split("1", "150", "600"), "450");
        List<DataRecord> expected = rows.stream().filter(r -> RecordFixtures.key(r) <= 450
                || RecordFixtures.key(r) > 600).toList();
        assertSameRows(readTable("sink_discard", schema), expected, "after discardAfter(450) in (150, 600]");
        resumable.get().discardAfter(schema, new Split("1", "150", "600"), null);
        expected = rows.stream().filter(r -> RecordFixtures.key(r) <= 150 || RecordFixtures.key(r) > 600).toList();
        assertSameRows(readTable("sink_discard", schema), expected, "after discarding the whole split");
    }
}
