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
 */
public record TableResult(String table, long rows, long rejected, int splits, int splitsFailed, Duration loadTime,
        List<String> errors) {
    public TableResult {
        errors = List.copyOf(errors);
    }

    /** Rows per second of the load phase of this table. */
    public double rowsPerSecond() {
        double s = loadTime.toNanos() / 1e9;
        return s <= 0 ? 0 : rows / s;
    }
}
