package dev.caravan.api.record;

import java.util.Optional;

/** A table or file set that records are written to. Thread-safe; writers are not. */
public interface RecordSink extends AutoCloseable {
    /** Prepares the target for records of this schema (creates the table if needed) and opens a writer. */
    RecordWriter open(Schema schema, Split split);

    /** An optional capability, or empty when the sink lacks it (the capability names the fallback). */
    default <C extends RecordCapability> Optional<C> capability(Class<C> type) {
        return type.isInstance(this) ? Optional.of(type.cast(this)) : Optional.empty();
    }

    @Override
    default void close() {
    }
}
