package dev.caravan.connector.jdbc;

import dev.caravan.api.error.MigrationException;
import dev.caravan.api.record.RecordSink;
import dev.caravan.api.record.RecordWriter;
import dev.caravan.api.record.Schema;
import dev.caravan.api.record.SinkTables;
import dev.caravan.api.record.Split;

/**
 * A whole database as a sink: {@link SinkTables#table} gives the sink of one source table, renamed by the
 * {@code rename} option and placed in {@code targetSchema}. All table sinks share one reject log, so
 * {@code maxRejects} counts over the whole database. Thread-safe.
 */
final class JdbcDatabaseSink implements RecordSink, SinkTables {
    private final ConnectionFactory factory;
    private final RejectLog rejects;
    /**
     * The target names of the tables asked for so far: the migration's tables, as the engine asks for every table
     * before it plans (checks) any.
     */
    private final java.util.Set<String> migrated = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** Empties the tables for truncate=true, those linked by foreign keys together. */
    private final TableEmptier emptier;

    JdbcDatabaseSink(ConnectionFactory factory, RejectLog rejects) {
        this.factory = factory;
        this.rejects = rejects;
        this.emptier = new TableEmptier(factory.dialect(), migrated);
    }

    @Override
    public RecordSink table(String sourceTable) {
        String target = targetName(sourceTable);
        migrated.add(target);
        return new JdbcTableSink(factory, sourceTable, target, rejects, false, migrated, emptier);
    }

    @Override
    public String targetName(String sourceTable) {
        return factory.settings().renames().table(sourceTable);
    }

    @Override
    public RecordWriter open(Schema schema, Split split) {
        throw MigrationException.userConfig("the jdbc sink " + factory.maskedUrl() + " is a whole database; set the "
                + "'table' option to write one table");
    }

    @Override
    public void close() {
        rejects.close();
        factory.close();
    }
}
