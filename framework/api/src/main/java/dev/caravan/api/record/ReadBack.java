package dev.caravan.api.record;

/**
 * Capability of a sink whose written records can be read again, for verification. Fallback when absent: only
 * the counts of the writers' {@link WriteReport}s are checked.
 */
public interface ReadBack extends RecordCapability {
    /** The target of this sink as a source (records in the written schema); close it after use. */
    RecordSource readBack(Schema schema);
}
