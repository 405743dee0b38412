package dev.caravan.api.record;

/**
 * Capability of a sink opened on a whole database (no table chosen): a sink per source table, applying the
 * sink's own rename and target-schema settings. Fallback when absent: the sink is one table and a
 * whole-database migration is refused.
 */
public interface SinkTables extends RecordCapability {
    /** A sink writing the table that {@code sourceTable} becomes in the target; close it after use. */
    RecordSink table(String sourceTable);
}
