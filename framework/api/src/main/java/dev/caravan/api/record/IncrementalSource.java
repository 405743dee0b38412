package dev.caravan.api.record;

import java.util.Optional;

/**
 * Capability of a source that can read only the records whose value in a monotonically growing column (a key or
 * an updated-at timestamp) lies in a window, for incremental runs. Fallback when absent: incremental runs are
 * refused (a full copy is the alternative).
 */
public interface IncrementalSource extends RecordCapability {
    /** The greatest value of {@code column} now, as a string, or empty when the table has no non-null value. */
    Optional<String> highWater(String column);

    /**
     * A view of this source with only the records whose {@code column} is greater than {@code after} (no lower
     * bound when {@code null}; then records with a NULL value are included too) and at most {@code upTo}.
     */
    RecordSource window(String column, String after, String upTo);
}
