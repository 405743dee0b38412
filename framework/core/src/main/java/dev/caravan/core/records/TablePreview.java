package dev.caravan.core.records;

import dev.caravan.api.record.DataRecord;
import dev.caravan.api.record.Schema;
import dev.caravan.api.record.Split;
import java.util.List;

/**
 * What a dry run shows of one table before anything is written: both schemas, the target DDL (the type mapping),
 * the planned splits and a few converted records.
 *
 * @param table        the source table
 * @param sourceSchema the source schema (native types included)
 * @param targetSchema the schema after the mapping hook
 * @param targetDdl    the statements the target would run, or {@code null} when the sink cannot tell
 * @param splits       the key ranges that would be read in parallel
 * @param sample       the first records after mapping
 */
public record TablePreview(String table, Schema sourceSchema, Schema targetSchema, String targetDdl,
        List<Split> splits, List<DataRecord> sample) {
    public TablePreview {
        splits = List.copyOf(splits);
        sample = List.copyOf(sample);
    }
}
