package dev.caravan.api.record;

/**
 * Capability of a sink opened on a whole database (no table chosen): a sink per source table, applying the
 * sink's own rename and target-schema settings. Fallback when absent: the sink is one table and a
 * whole-database migration is refused.
 */
public interface SinkTables extends RecordCapability {
    /** A sink writing the table that {@code sourceTable} becomes in the target; close it after use. */
    RecordSink table(String sourceTable);

    /**
     * The name of the table that {@code sourceTable} becomes in the target (the sink's rename settings applied),
     * without opening or creating anything, so that a caller can address that table itself (back it up, empty it).
     * Default: the source's name.
     */
    default String targetName(String sourceTable) {
        return sourceTable;
    }
}
