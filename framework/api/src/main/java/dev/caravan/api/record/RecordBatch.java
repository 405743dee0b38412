package dev.caravan.api.record;

import java.util.List;

/**
 * A batch of records and the key of its last record: the unit that is written, committed and checkpointed.
 *
 * @param records the records, in key order when the source has a key
 * @param lastKey string form of the last record's key, or {@code null} for keyless sources
 */
public record RecordBatch(List<DataRecord> records, String lastKey) {
    public RecordBatch {
        records = List.copyOf(records);
    }
}
