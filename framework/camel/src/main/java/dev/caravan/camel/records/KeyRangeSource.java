package dev.caravan.camel.records;

import dev.caravan.api.journal.Checkpoint;
import dev.caravan.api.record.DataRecord;
import dev.caravan.api.record.RecordBatch;
import dev.caravan.api.record.RecordReader;
import dev.caravan.api.record.RecordSource;
import dev.caravan.api.record.Schema;
import dev.caravan.api.record.Split;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The read-back of record files for verification: the engine reads the target by the <em>source's</em> key ranges
 * (lower exclusive, upper inclusive, in the source connector's text form of keys: numbers plain, times ISO-8601,
 * composite keys joined by commas with {@code %2C} / {@code %25} escapes), while files have no key order. Each
 * range is therefore answered by one pass over every part, keeping the records whose key falls inside it (numbers
 * compared by value, anything else as text). A whole split reads everything. Cost: one pass over the files per
 * verification range, which is why files targets verify by count by default.
 */
final class KeyRangeSource implements RecordSource {
    private final RecordSource files;
    private final int[] keyIndex;

    KeyRangeSource(RecordSource files, Schema schema) {
        this.files = files;
        this.keyIndex = schema.keyColumns().stream().mapToInt(schema::indexOf).toArray();
    }

    @Override
    public Schema schema() {
        return files.schema();
    }

    @Override
    public List<Split> splits(int parallelism) {
        return files.splits(parallelism);
    }

    @Override
    public RecordReader open(Split split, Checkpoint from) {
        RecordReader all = files.open(Split.whole(), Checkpoint.EMPTY);
        if (split == null || split.lowerBound() == null && split.upperBound() == null || keyIndex.length == 0) {
            return all;
        }
        String lower = split.lowerBound();
        String upper = split.upperBound();
        return new RecordReader() {
            @Override
            public Optional<RecordBatch> nextBatch() {
                Optional<RecordBatch> next;
                while ((next = all.nextBatch()).isPresent()) {
                    List<DataRecord> kept = new ArrayList<>();
                    for (DataRecord r : next.get().records()) {
                        if ((lower == null || compare(r, lower) > 0) && (upper == null || compare(r, upper) <= 0)) {
                            kept.add(r);
                        }
                    }
                    if (!kept.isEmpty()) {
                        return Optional.of(new RecordBatch(kept, null));
                    }
                }
                return Optional.empty();
            }

            @Override
            public Checkpoint checkpoint() {
                return all.checkpoint();
            }

            @Override
            public void close() {
                all.close();
            }
        };
    }

    /** The record's key compared with a bound. */
    private int compare(DataRecord r, String bound) {
        String[] parts = keyIndex.length == 1 ? new String[] {bound} : bound.split(",", -1);
        for (int i = 0; i < keyIndex.length && i < parts.length; i++) {
            String part = keyIndex.length == 1 ? parts[i] : parts[i].replace("%2C", ",").replace("%25", "%");
            int c = compare(r.get(keyIndex[i]), part);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    private static int compare(Object value, String bound) {
        if (value == null) {
            return bound.isEmpty() ? 0 : -1;
        }
        if (value instanceof Number) {
            try {
                return new BigDecimal(value.toString()).compareTo(new BigDecimal(bound));
            } catch (NumberFormatException e) {
                // not a number after all: compare as text
            }
        }
        return value.toString().compareTo(bound);
    }

    @Override
    public void close() {
        files.close();
    }
}
