package dev.caravan.api.record;

/**
 * Capability of a source that knows the full structure of its table. Fallback when absent: the target is built
 * from the {@link Schema} alone (columns, types, nullability, primary key).
 */
public interface DescribedSource extends RecordCapability {
    /** The table's structure; read from the database when called. */
    TableDefinition definition();
}
