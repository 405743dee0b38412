package dev.caravan.connector.jdbc;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import dev.caravan.api.record.RecordCapability;
import dev.caravan.api.record.RecordSink;
import dev.caravan.api.record.Schema;
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
final class FailingStepsProvider extends FaultInjectingProvider {
    private final String failingPrepare;

    /** @param failingPrepare the source table whose prepare step fails */
    FailingStepsProvider(String failingPrepare) {
        this.failingPrepare = failingPrepare;
    }

    @Override
    RecordSink wrap(RecordSink sink, String table) {
        return new ForwardingSink(sink, table) {
            @Override
            public <C extends RecordCapability> Optional<C> capability(Class<C> type) {
                if (type == TableStructure.class) {
                    return sink.capability(TableStructure.class).map(s -> type.cast(failing(s, table)));
                }
                return super.capability(type);
            }
        };
    }

    /** {@code s} with the injected failures of {@code table}'s prepare and finish steps. */
    private TableStructure failing(TableStructure s, String table) {
        return new TableStructure() {
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
        };
    }
}
