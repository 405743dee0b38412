package dev.caravan.connector.jdbc;

import dev.caravan.api.config.Config;
import dev.caravan.api.config.Options;
import dev.caravan.api.record.RecordCapability;
import dev.caravan.api.record.RecordProvider;
import dev.caravan.api.record.RecordSink;
import dev.caravan.api.record.RecordSource;
import dev.caravan.api.record.RecordWriter;
import dev.caravan.api.record.Schema;
import dev.caravan.api.record.SinkTables;
import dev.caravan.api.record.Split;
import java.util.Optional;

/**
 * The jdbc connector with a test's failures injected into its sinks: the source side and the connector's facts
 * forward to the real {@link JdbcRecordProvider}; every sink, the whole-database one and each of its table sinks,
 * goes through {@link #wrap}.
 */
abstract class FaultInjectingProvider implements RecordProvider {
    private final JdbcRecordProvider delegate = new JdbcRecordProvider();

    /**
     * The sink the engine gets instead of {@code sink}.
     *
     * @param table the source table {@code sink} writes, or null for the whole-database sink
     */
    abstract RecordSink wrap(RecordSink sink, String table);

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
        return wrap(delegate.openSink(location, config), null);
    }

    /** A sink forwarding to the real one, whose table sinks ({@link SinkTables}) are wrapped in turn. */
    class ForwardingSink implements RecordSink {
        final RecordSink sink;
        final String table;

        ForwardingSink(RecordSink sink, String table) {
            this.sink = sink;
            this.table = table;
        }

        @Override
        public RecordWriter open(Schema schema, Split split) {
            return sink.open(schema, split);
        }

        @Override
        public <C extends RecordCapability> Optional<C> capability(Class<C> type) {
            if (type == SinkTables.class) {
                return sink.capability(SinkTables.class).map(t -> type.cast(new SinkTables() {
                    @Override
                    public RecordSink table(String name) {
                        return wrap(t.table(name), name);
                    }

                    @Override
                    public String targetName(String sourceTable) {
                        return t.targetName(sourceTable);
                    }
                }));
            }
            return sink.capability(type);
        }

        @Override
        public void close() {
            sink.close();
        }
    }
}
