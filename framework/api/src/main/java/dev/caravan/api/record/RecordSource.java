package dev.caravan.api.record;

import dev.caravan.api.journal.Checkpoint;
import java.util.List;
import java.util.Optional;

/** A table, query or file set read as records. Thread-safe; readers are not. */
public interface RecordSource extends AutoCloseable {
    Schema schema();

    /** Non-overlapping splits covering the source, at most {@code parallelism} of them. */
    List<Split> splits(int parallelism);

    /** Opens a reader for a split, continuing after {@code from} (an empty checkpoint starts at the beginning). */
    RecordReader open(Split split, Checkpoint from);

    /** An optional capability, or empty when the source lacks it (the capability names the fallback). */
    default <C extends RecordCapability> Optional<C> capability(Class<C> type) {
        return type.isInstance(this) ? Optional.of(type.cast(this)) : Optional.empty();
    }

    @Override
    default void close() {
    }
}
