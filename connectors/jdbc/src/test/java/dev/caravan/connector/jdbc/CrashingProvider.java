package dev.caravan.connector.jdbc;

import dev.caravan.api.record.RecordBatch;
import dev.caravan.api.record.RecordSink;
import dev.caravan.api.record.RecordWriter;
import dev.caravan.api.record.Schema;
import dev.caravan.api.record.Split;
import dev.caravan.api.record.WriteReport;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The jdbc connector with an injected crash: the target commits its N-th batch and then the process "dies" (an
 * {@link Error} the engine does not catch) before the engine can checkpoint that batch in the journal. This is the
 * worst moment of a kill: rows are in the target that the journal does not know about.
 */
final class CrashingProvider extends FaultInjectingProvider {
    /** The simulated kill. */
    static final class SimulatedCrash extends Error {
        private static final long serialVersionUID = 1L;

        SimulatedCrash(String message) {
            super(message);
        }
    }

    private final AtomicInteger commits = new AtomicInteger();
    private final int crashAfter;

    CrashingProvider(int crashAfter) {
        this.crashAfter = crashAfter;
    }

    @Override
    RecordSink wrap(RecordSink sink, String table) {
        return new ForwardingSink(sink, table) {
            @Override
            public RecordWriter open(Schema schema, Split split) {
                RecordWriter w = sink.open(schema, split);
                return new RecordWriter() {
                    @Override
                    public void write(RecordBatch batch) {
                        w.write(batch);
                    }

                    @Override
                    public WriteReport commit() {
                        WriteReport r = w.commit();
                        if (commits.incrementAndGet() == crashAfter) {
                            w.close();
                            throw new SimulatedCrash("killed after committing batch " + crashAfter);
                        }
                        return r;
                    }

                    @Override
                    public void abort() {
                        w.abort();
                    }

                    @Override
                    public void close() {
                        w.close();
                    }
                };
            }
        };
    }
}
