package dev.caravan.api.record;

/**
 * Capability of a sink that can forget what an interrupted writer committed after a checkpoint, so that a resumed
 * split continues from its last checkpointed key with no duplicate and no missing record. Fallback when absent: the
 * caller restarts the split from its beginning, and such a sink's {@link RecordSink#open} must replace whatever an
 * earlier attempt of the same split wrote.
 */
public interface ResumableSink extends RecordCapability {
    /**
     * Deletes the target's records of {@code split} whose key is greater than {@code lastKey}.
     *
     * @param schema  the schema the split is written with (its key columns select the records)
     * @param lastKey the last checkpointed key, or {@code null} to delete the whole split
     */
    void discardAfter(Schema schema, Split split, String lastKey);
}
