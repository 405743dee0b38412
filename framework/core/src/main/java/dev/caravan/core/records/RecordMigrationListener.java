package dev.caravan.core.records;

import dev.caravan.api.verify.VerificationItem;

/**
 * Progress of a record migration. Called from worker threads (possibly at once): implementations must be
 * thread-safe and quick. Every method has an empty default.
 */
public interface RecordMigrationListener {

    /** Does nothing. */
    RecordMigrationListener NONE = new RecordMigrationListener() {
    };

    /** A phase begins: {@code plan}, {@code prepare}, {@code load}, {@code finish}, {@code constraints}, {@code verify}. */
    default void phase(String phase) {
    }

    /** A batch was committed in the target and its checkpoint stored. */
    default void batchCommitted(String table, String splitId, long rows, long rejected, String lastKey) {
    }

    /** A table's data is loaded (all its splits done or failed). */
    default void tableLoaded(TableResult result) {
    }

    /** One verification range (or table count) was compared. */
    default void verified(VerificationItem item) {
    }
}
