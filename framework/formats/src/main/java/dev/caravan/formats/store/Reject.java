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
 * @param raw    the record as it is in the input (CSV, JSON Lines: its text, line breaks inside it included; see
 *               {@link dev.caravan.formats.FormatReader#rawRecord()}), or {@code null} for binary formats (Avro,
 *               Parquet: the object and record number locate it) and when the input could not be read that far
 */
public record Reject(String object, long record, long line, String column, String reason, String raw) {
    static Reject of(DataError e, String raw) {
        return new Reject(e.source(), e.record(), e.line(), e.column(), e.reason(), raw);
    }

    @Override
    public String toString() {
        return DataError.inRecord(object, record, line, column, reason).getMessage();
    }
}
