package dev.caravan.formats;

import dev.caravan.api.journal.Checkpoint;
import dev.caravan.api.record.DataRecord;
import dev.caravan.api.record.RecordBatch;
import dev.caravan.api.record.RecordLocations;
import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Base of the format readers: batching, positions, checkpoints and the hand-over of errors described in
 * {@link FormatReader}. Subclasses implement {@link #read()}.
 */
public abstract class AbstractFormatReader implements FormatReader {
    /** Checkpoint key suffix: {@code <format>.record} holds the number of records consumed. */
    public static final String RECORD_KEY = ".record";

    protected final String source;
    private final int batchSize;
    private final String checkpointKey;
    private final Closeable owned;
    private long position;
    private long checkpointPosition;
    private RuntimeException pending;
    private boolean closed;

    /**
     * @param format    codec name, the prefix of the checkpoint key
     * @param source    input name for messages
     * @param batchSize records per {@link #nextBatch()}
     * @param owned     closed with the reader (the stream the reader opened itself), or {@code null}
     */
    protected AbstractFormatReader(String format, String source, int batchSize, Closeable owned) {
        this.source = source;
        this.batchSize = Math.max(1, batchSize);
        this.checkpointKey = format + RECORD_KEY;
        this.owned = owned;
    }

    /**
     * Reads the next record: {@code null} at the end. A recoverable {@link DataError} must leave the reader after
     * the bad record. Record numbers for messages are {@code position() + 1}.
     */
    protected abstract DataRecord read();

    /** Releases the subclass's resources (the owned stream is closed afterwards). */
    protected void release() {
    }

    @Override
    public final DataRecord next() {
        if (closed) {
            throw new IllegalStateException("reader of " + source + " is closed");
        }
        try {
            DataRecord r = read();
            if (r != null) {
                position++;
            }
            return r;
        } catch (DataError e) {
            if (e.recoverable()) {
                position++;
            }
            throw e;
        } catch (RuntimeException e) {
            throw FormatErrors.reading(e, source, position + 1, 0);
        }
    }

    @Override
    public final Optional<RecordBatch> nextBatch() {
        if (pending != null) {
            RuntimeException e = pending;
            pending = null;
            throw e;
        }
        List<DataRecord> records = new ArrayList<>(Math.min(batchSize, 4096));
        long[] numbers = new long[Math.min(batchSize, 4096)];
        boolean lines = true;
        while (records.size() < batchSize) {
            DataRecord r;
            try {
                r = next();
            } catch (RuntimeException e) {
                if (records.isEmpty()) {
                    throw e;
                }
                pending = e;
                break;
            }
            if (r == null) {
                break;
            }
            if (records.size() == numbers.length) {
                numbers = java.util.Arrays.copyOf(numbers, numbers.length * 2);
            }
            if (records.isEmpty()) {
                lines = line() > 0; // text formats have lines; Avro and Parquet records are located by number
            }
            numbers[records.size()] = lines ? line() : position;
            records.add(r);
        }
        checkpointPosition = position - (pending instanceof DataError d && d.recoverable() ? 1 : 0);
        return records.isEmpty() ? Optional.empty() : Optional.of(new RecordBatch(records, null,
                RecordLocations.numbered(source + (lines ? " line " : " record "), numbers)));
    }

    /** Counts {@code n} records consumed without {@link #next()} (a subclass skipping whole blocks). */
    protected final void advance(long n) {
        position += n;
    }

    @Override
    public long position() {
        return position;
    }

    @Override
    public void skip(long count) {
        for (long i = 0; i < count; i++) {
            try {
                if (next() == null) {
                    return;
                }
            } catch (DataError e) {
                if (!e.recoverable()) {
                    throw e;
                }
            }
        }
    }

    /** {@code {<format>.record: n}}: the number of records consumed by the batches returned so far. */
    @Override
    public Checkpoint checkpoint() {
        return new Checkpoint(Map.of(checkpointKey, Long.toString(checkpointPosition)));
    }

    @Override
    public final void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            release();
        } finally {
            if (owned != null) {
                try {
                    owned.close();
                } catch (IOException e) {
                    // nothing was written; a failed close of an input loses nothing
                }
            }
        }
    }
}
