package dev.caravan.api.record;

import java.util.List;

/**
 * A batch of records and the key of its last record: the unit that is written, committed and checkpointed.
 *
 * @param records the records, in key order when the source has a key
 * @param lastKey   string form of the last record's key, or {@code null} for keyless sources
 * @param locations where each record comes from in the source ({@link RecordLocations#NONE} when unknown): what a
 *                  sink names a refused record by when it has no key
 */
public record RecordBatch(List<DataRecord> records, String lastKey, RecordLocations locations) {
    public RecordBatch {
        records = List.copyOf(records);
        locations = locations == null ? RecordLocations.NONE : locations;
    }

    /** A batch without locations. */
    public RecordBatch(List<DataRecord> records, String lastKey) {
        this(records, lastKey, RecordLocations.NONE);
    }
}
