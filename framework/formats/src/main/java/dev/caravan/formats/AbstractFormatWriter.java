package dev.caravan.formats;

import dev.caravan.api.record.Column;
import dev.caravan.api.record.DataRecord;
import dev.caravan.api.record.RecordBatch;
import dev.caravan.api.record.Schema;
import dev.caravan.api.record.WriteReport;
import java.util.List;

/**
 * Base of the format writers: checks and normalizes every record against the schema with {@link Values#coerce}
 * (so a bad record fails with a recoverable {@link DataError} before any of it is emitted), counts records and
 * enforces open -> write* -> commit | abort. Subclasses emit normalized values.
 */
public abstract class AbstractFormatWriter implements FormatWriter {
    private enum State { OPEN, COMMITTED, ABORTED }

    protected final Schema schema;
    protected final String target;
    private final List<Column> columns;
    private long records;
    private State state = State.OPEN;

    protected AbstractFormatWriter(Schema schema, String target) {
        this.schema = schema;
        this.target = target;
        this.columns = schema.columns();
    }

    /** Emits one record whose values are normalized (see {@link Values}) and checked against the schema. */
    protected abstract void emit(Object[] values) throws Exception;

    /** Writes the trailer and flushes. */
    protected abstract void finish() throws Exception;

    /** Drops buffered output; never throws. */
    protected abstract void discard();

    @Override
    public final void write(RecordBatch batch) {
        for (DataRecord r : batch.records()) {
            write(r);
        }
    }

    @Override
    public final void write(DataRecord record) {
        if (state != State.OPEN) {
            throw new IllegalStateException("writer of " + target + " is " + state.name().toLowerCase());
        }
        Object[] values = normalize(record);
        try {
            emit(values);
        } catch (DataError e) {
            throw e;
        } catch (Exception e) {
            throw FormatErrors.writing(e, target);
        }
        records++;
    }

    private Object[] normalize(DataRecord record) {
        Object[] in = record.values();
        long number = records + 1;
        if (in.length != columns.size()) {
            throw DataError.inRecord(target, number, 0, null, "the record has " + in.length
                    + " values but the schema has " + columns.size() + " columns");
        }
        Object[] out = new Object[in.length];
        for (int i = 0; i < in.length; i++) {
            Column c = columns.get(i);
            if (in[i] == null) {
                if (!c.nullable()) {
                    throw DataError.inRecord(target, number, 0, c.name(), "NULL in a NOT NULL column");
                }
                continue;
            }
            try {
                out[i] = Values.coerce(in[i], c);
            } catch (IllegalArgumentException e) {
                throw DataError.inRecord(target, number, 0, c.name(), e.getMessage());
            }
        }
        return out;
    }

    @Override
    public final WriteReport commit() {
        if (state != State.OPEN) {
            throw new IllegalStateException("writer of " + target + " is " + state.name().toLowerCase());
        }
        try {
            finish();
        } catch (Exception e) {
            state = State.ABORTED;
            discard();
            throw FormatErrors.writing(e, target);
        }
        state = State.COMMITTED;
        return new WriteReport(records, 0, null);
    }

    @Override
    public final void abort() {
        if (state == State.OPEN) {
            state = State.ABORTED;
            discard();
        }
    }

    @Override
    public final void close() {
        abort();
    }

    @Override
    public long recordsWritten() {
        return records;
    }
}
