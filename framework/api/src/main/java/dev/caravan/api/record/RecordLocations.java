package dev.caravan.api.record;

/**
 * Where the records of a {@link RecordBatch} come from in their source, for reject files and messages: a file's line
 * ({@code orders.csv line 12}), a record number ({@code part-0.avro record 7}) or a row's ordinal in the read of a
 * table without a key ({@code row 3}). Sources without such a location (or whose records have a key) give
 * {@link #NONE}. Immutable and thread-safe.
 */
@FunctionalInterface
public interface RecordLocations {
    /** No locations: every record's is {@code null}. */
    RecordLocations NONE = index -> null;

    /** The location of the batch's record at {@code index} (0-based), or {@code null} when unknown. */
    String of(int index);

    /** Consecutive numbers: record {@code index} is at {@code prefix + (first + index)}, e.g. {@code "row " + 3}. */
    static RecordLocations consecutive(String prefix, long first) {
        return index -> prefix + (first + index);
    }

    /** Numbers given per record (lines, which a multi-line record or a blank line make not consecutive). */
    static RecordLocations numbered(String prefix, long[] numbers) {
        long[] copy = numbers.clone();
        return index -> index >= 0 && index < copy.length ? prefix + copy[index] : null;
    }
}
