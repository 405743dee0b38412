package dev.caravan.formats.store;

import dev.caravan.formats.DataError;

/**
 * A record that was not converted, and why.
 *
 * @param object the source object
 * @param record 1-based record number in it (0 when unknown)
 * @param line   1-based line (text formats), or 0
 * @param column the column concerned, or {@code null}
 * @param reason what is wrong
 */
public record Reject(String object, long record, long line, String column, String reason) {
    static Reject of(DataError e) {
        return new Reject(e.source(), e.record(), e.line(), e.column(), e.reason());
    }

    @Override
    public String toString() {
        return DataError.inRecord(object, record, line, column, reason).getMessage();
    }
}
