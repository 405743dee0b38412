package dev.caravan.formats;

import dev.caravan.api.record.DataRecord;
import dev.caravan.api.record.RecordReader;
import dev.caravan.api.record.Schema;

/**
 * A {@link RecordReader} over one input of a format, with record-at-a-time access and the schema it resolved
 * (given, stored in the file, or inferred from a sample). Not thread-safe.
 *
 * <p>Errors: a {@link DataError} that is {@link DataError#recoverable() recoverable} concerns one record, which
 * counts as consumed: the next call continues with the record after it. Any other exception ends the input.
 * {@link #nextBatch()} returns the good records read before an error first and throws the error on the next call.
 */
public interface FormatReader extends RecordReader {
    /** The schema of the records this reader returns; known as soon as the reader is open. */
    Schema schema();

    /** The next record, or {@code null} at the end of the input. */
    DataRecord next();

    /** Records consumed so far (returned or failed), i.e. the 0-based number of the next record. */
    long position();

    /** Skips {@code count} records (used to resume at a checkpoint); recoverable errors in them are ignored. */
    void skip(long count);

    /**
     * The input text of the record last returned by {@link #next()} or refused with a recoverable {@link DataError},
     * exactly as in the input (line breaks inside it included, the one ending it not), for reject files; {@code null}
     * before the first record and for binary formats (Avro, Parquet), which have no text per record.
     */
    default String rawRecord() {
        return null;
    }

    /**
     * The 1-based line where the record last returned by {@link #next()} or refused with a recoverable
     * {@link DataError} starts, for text formats (CSV, JSON Lines); {@code 0} for formats without lines (Avro,
     * Parquet: {@link #position()} locates their records) and before the first record.
     */
    default long line() {
        return 0;
    }
}
