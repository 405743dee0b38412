package dev.caravan.api.record;

/**
 * Writes batches: open -> write* -> commit (returns a report) | abort. Nothing written becomes final before
 * {@link #commit}; after {@link #abort} the target is as it was at the last commit. A writer whose sink offers
 * {@link ResumableSink} may be committed after every batch (write -> commit -> write -> commit ...), each commit
 * reporting what it made durable since the previous one; other writers are committed once. Not thread-safe.
 */
public interface RecordWriter extends AutoCloseable {
    void write(RecordBatch batch);

    /** Makes everything written so far durable and returns what was done. */
    WriteReport commit();

    /** Discards everything written since the last commit. */
    void abort();

    @Override
    void close();
}
