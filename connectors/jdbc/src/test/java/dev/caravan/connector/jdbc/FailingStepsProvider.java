package dev.caravan.connector.jdbc;

import dev.caravan.api.config.Config;
import dev.caravan.api.config.Options;
import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import dev.caravan.api.record.RecordCapability;
import dev.caravan.api.record.RecordProvider;
import dev.caravan.api.record.RecordSink;
import dev.caravan.api.record.RecordSource;
import dev.caravan.api.record.RecordWriter;
import dev.caravan.api.record.Schema;
import dev.caravan.api.record.SinkTables;
import dev.caravan.api.record.Split;
import dev.caravan.api.record.TableDefinition;
import dev.caravan.api.record.TableStructure;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The jdbc connector with injected failures in the table steps of a whole-database sink: the prepare step of one
 * table fails (a {@link MigrationException} the engine records for that table), and the first finish step of any
 * table "kills" the process ({@link CrashingProvider.SimulatedCrash}), after the rows it loaded are journaled.
 */
final class FailingStepsProvider implements RecordProvider {
    private final JdbcRecordProvider delegate = new JdbcRecordProvider();
    private final String failingPrepare;

    /** @param failingPrepare the source table whose prepare step fails */
    FailingStepsProvider(String failingPrepare) {
        this.failingPrepare = failingPrepare;
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
        return new Sink(delegate.openSink(location, config), null);
    }

    private final class Sink implements RecordSink {
        private final RecordSink sink;
        private final String table;

        Sink(RecordSink sink, String table) {
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
                        return new Sink(t.table(name), name);
                    }

                    @Override
                    public String targetName(String sourceTable) {
                        return t.targetName(sourceTable);
                    }
                }));
            }
            if (type == TableStructure.class) {
                return sink.capability(TableStructure.class).map(s -> type.cast(new Structure(s, table)));
            }
            return sink.capability(type);
        }

        @Override
        public void close() {
            sink.close();
        }
    }

    private final class Structure implements TableStructure {
        private final TableStructure s;
        private final String table;

        Structure(TableStructure s, String table) {
            this.s = s;
            this.table = table;
        }

        @Override
        public String preview(Schema schema, TableDefinition definition) {
            return s.preview(schema, definition);
        }

        @Override
        public void check(Schema schema, TableDefinition definition, boolean keepExisting) {
            s.check(schema, definition, keepExisting);
        }

        @Override
        public Map<String, String> prepare(Schema schema, TableDefinition definition, boolean keepExisting) {
            return prepare(schema, definition, keepExisting, "unknown");
        }

        @Override
        public Map<String, String> prepare(Schema schema, TableDefinition definition, boolean keepExisting,
                String runId) {
            if (failingPrepare.equals(table)) {
                throw new MigrationException(ErrorKind.FATAL, "injected: the prepare step of " + table + " failed");
            }
            return s.prepare(schema, definition, keepExisting, runId);
        }

        @Override
        public void finish(Schema schema, TableDefinition definition, Map<String, String> prepared) {
            throw new CrashingProvider.SimulatedCrash("killed in the finish step of " + table);
        }

        @Override
        public void addForeignKeys(Schema schema, TableDefinition definition) {
            s.addForeignKeys(schema, definition);
        }

        @Override
        public boolean loadsRows() {
            return s.loadsRows();
        }

        @Override
        public List<String> structureDifferences(Schema schema, TableDefinition definition) {
            return s.structureDifferences(schema, definition);
        }
    }
}
