package dev.caravan.connector.jdbc;

import dev.caravan.api.config.Config;
import dev.caravan.api.config.Options;
import dev.caravan.api.record.RecordBatch;
import dev.caravan.api.record.RecordCapability;
import dev.caravan.api.record.RecordProvider;
import dev.caravan.api.record.RecordSink;
import dev.caravan.api.record.RecordSource;
import dev.caravan.api.record.RecordWriter;
import dev.caravan.api.record.Schema;
import dev.caravan.api.record.SinkTables;
import dev.caravan.api.record.Split;
import dev.caravan.api.record.WriteReport;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The jdbc connector with an injected crash: the target commits its N-th batch and then the process "dies" (an
 * {@link Error} the engine does not catch) before the engine can checkpoint that batch in the journal. This is the
 * worst moment of a kill: rows are in the target that the journal does not know about.
 */
final class CrashingProvider implements RecordProvider {
    /** The simulated kill. */
    static final class SimulatedCrash extends Error {
        private static final long serialVersionUID = 1L;

        SimulatedCrash(String message) {
            super(message);
        }
    }

    private final JdbcRecordProvider delegate = new JdbcRecordProvider();
    private final AtomicInteger commits = new AtomicInteger();
    private final int crashAfter;

    CrashingProvider(int crashAfter) {
        this.crashAfter = crashAfter;
    }

    @Override
    public String scheme() {
        return delegate.scheme();
    }

    @Override
    public String description() {
        return delegate.description();
    }

    @Override
    public Options options() {
        return delegate.options();
    }

    @Override
    public RecordSource openSource(String location, Config config) {
        return delegate.openSource(location, config);
    }

    @Override
    public RecordSink openSink(String location, Config config) {
        return new Sink(delegate.openSink(location, config));
    }

    private final class Sink implements RecordSink {
        private final RecordSink sink;

        Sink(RecordSink sink) {
            this.sink = sink;
        }

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

        @Override
        public <C extends RecordCapability> Optional<C> capability(Class<C> type) {
            if (type == SinkTables.class) {
                return sink.capability(SinkTables.class).map(t -> type.cast((SinkTables) name -> new Sink(
                        t.table(name))));
            }
            return sink.capability(type);
        }

        @Override
        public void close() {
            sink.close();
        }
    }
}
