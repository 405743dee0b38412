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
 * @param keptTable    the table that holds the rows the target table had before this run dropped or emptied it (the
 *                     jdbc option {@code keepReplaced}), or {@code null} when none was kept
 * @param keptRows     the number of rows in {@code keptTable}; 0 when none was kept
 */
public record TableResult(String table, long rows, long rejected, int splits, int splitsFailed, Duration loadTime,
        List<String> errors, boolean skipped, String keptTable, long keptRows) {
    public TableResult {
        errors = List.copyOf(errors);
    }

    /** A table result without kept rows. */
    public TableResult(String table, long rows, long rejected, int splits, int splitsFailed, Duration loadTime,
            List<String> errors, boolean skipped) {
        this(table, rows, rejected, splits, splitsFailed, loadTime, errors, skipped, null, 0);
    }

    /** This result with the kept table a sink's prepare step named ({@code table.kept}, {@code table.keptRows}). */
    TableResult withKept(java.util.Map<String, String> prepared) {
        String kept = prepared.get(dev.caravan.api.record.TableStructure.KEPT_TABLE);
        if (kept == null) {
            return this;
        }
        String count = prepared.get(dev.caravan.api.record.TableStructure.KEPT_ROWS);
        return new TableResult(table, rows, rejected, splits, splitsFailed, loadTime, errors, skipped, kept,
                count == null ? 0 : Long.parseLong(count));
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
