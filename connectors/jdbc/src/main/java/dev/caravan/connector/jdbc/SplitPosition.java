package dev.caravan.connector.jdbc;

import dev.caravan.api.journal.Checkpoint;
import dev.caravan.api.record.Split;
import java.util.Map;

/**
 * Where a reader of one key range stands: the key it reads after (the split's lower bound, the checkpoint it resumes
 * from, or the last key it returned) and its checkpoint, the last key it returned ({@link KeysetReader#LAST_KEY}).
 * Not thread-safe.
 */
final class SplitPosition {
    private String after;
    private String returned;

    SplitPosition(Split split, Checkpoint from) {
        String resumed = from == null ? null : from.get(KeysetReader.LAST_KEY);
        this.after = resumed != null ? resumed : split.lowerBound();
        this.returned = resumed;
    }

    /** The exclusive lower bound of the rows still to read, or {@code null} for the start of the table. */
    String after() {
        return after;
    }

    /** Records that a batch ending with {@code key} was returned. */
    void returned(String key) {
        after = key;
        returned = key;
    }

    Checkpoint checkpoint() {
        return returned == null ? Checkpoint.EMPTY : new Checkpoint(Map.of(KeysetReader.LAST_KEY, returned));
    }
}
