package dev.caravan.core.records;

import java.time.Duration;
import java.util.List;

/**
 * What happened to one table.
 *
 * @param table        the source table
 * @param rows         rows written to the target by this run (all attempts, without rejects)
 * @param rejected     rows the target refused (in the reject file)
 * @param splits       splits planned
 * @param splitsFailed splits that failed
 * @param loadTime     wall time from the first split started to the last finished
 * @param errors       error messages of failed tasks (first few)
 * @param skipped      true when the table was not copied because an earlier complete run of the same migration
 *                     finished it (every task of the table done in the journal): nothing was read or written for
 *                     it (verification, when asked for, still compares it)
 */
public record TableResult(String table, long rows, long rejected, int splits, int splitsFailed, Duration loadTime,
        List<String> errors, boolean skipped) {
    public TableResult {
        errors = List.copyOf(errors);
    }

    /** A table this run copied (not skipped). */
    public TableResult(String table, long rows, long rejected, int splits, int splitsFailed, Duration loadTime,
            List<String> errors) {
        this(table, rows, rejected, splits, splitsFailed, loadTime, errors, false);
    }

    /** Rows per second of the load phase of this table. */
    public double rowsPerSecond() {
        double s = loadTime.toNanos() / 1e9;
        return s <= 0 ? 0 : rows / s;
    }
}
