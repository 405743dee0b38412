package dev.caravan.formats;

import dev.caravan.api.record.DataRecord;
import dev.caravan.api.record.RecordWriter;

/**
 * A {@link RecordWriter} that encodes one output of a format. {@link #commit()} writes the format's trailer (Avro
 * final block, Parquet footer) and flushes; it ends the output, so a format writer is committed exactly once.
 * {@link #abort()} drops what is buffered and writes nothing more. The writer never closes the stream it writes
 * to. Not thread-safe.
 *
 * <p>A record whose values do not fit the schema fails with a recoverable {@link DataError} before anything of it
 * is written, so the caller may skip it and go on.
 */
public interface FormatWriter extends RecordWriter {
    /** Writes one record. */
    void write(DataRecord record);

    /** Records written so far. */
    long recordsWritten();

    /** Bytes of output so far, including what the format still buffers (an estimate for Parquet and Avro). */
    long bytesWritten();
}
