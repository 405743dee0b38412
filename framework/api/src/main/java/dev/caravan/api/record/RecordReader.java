package dev.caravan.api.record;

import dev.caravan.api.journal.Checkpoint;
import java.util.Optional;

/** Reads one split in batches. Not thread-safe: one reader per task. */
public interface RecordReader extends AutoCloseable {
    /** The next batch, or empty at the end of the split. */
    Optional<RecordBatch> nextBatch();

    /** Where a resumed reader would continue: after the last batch returned. */
    Checkpoint checkpoint();

    @Override
    void close();
}
