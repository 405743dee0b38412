package dev.caravan.api.record;

/** A table or file set that records are written to. Thread-safe; writers are not. */
public interface RecordSink extends AutoCloseable {
    /** Prepares the target for records of this schema (creates the table if needed) and opens a writer. */
    RecordWriter open(Schema schema, Split split);

    @Override
    default void close() {
    }
}
