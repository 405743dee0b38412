package dev.caravan.core.records;

import dev.caravan.api.journal.RunOutcome;
import dev.caravan.api.verify.VerificationReport;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The report of a record migration run: outcome, per-table rows, rejects and timings, throughput, verification.
 *
 * @param runId          the journal's run id
 * @param migrationId    deterministic id of the migration
 * @param outcome        COMPLETE, FAILED (a task failed), VERIFICATION_FAILED (loaded, but a range differs)
 * @param resumed        whether an unfinished run was taken up again
 * @param tables         per-table results, in load order
 * @param verification   verification items (problems kept with their key ranges)
 * @param startedAt      start of this invocation
 * @param duration       wall time of this invocation
 * @param phases         wall time per phase ({@code plan}, {@code prepare}, {@code load}, {@code finish},
 *                       {@code constraints}, {@code verify})
 * @param nextRunState   what the journal keeps for the next incremental run
 * @param errors         error messages (first few)
 */
public record RecordMigrationResult(String runId, String migrationId, RunOutcome outcome, boolean resumed,
        List<TableResult> tables, VerificationReport verification, Instant startedAt, Duration duration,
        Map<String, Duration> phases, Map<String, String> nextRunState, List<String> errors) {

    public RecordMigrationResult {
        tables = List.copyOf(tables);
        phases = Map.copyOf(phases);
        nextRunState = Map.copyOf(nextRunState);
        errors = List.copyOf(errors);
    }

    public long rows() {
        return tables.stream().mapToLong(TableResult::rows).sum();
    }

    /** Tables not copied because an earlier complete run of the same migration finished them. */
    public long skippedTables() {
        return tables.stream().filter(TableResult::skipped).count();
    }

    public long rejected() {
        return tables.stream().mapToLong(TableResult::rejected).sum();
    }

    /** The tables whose rows were kept before they were dropped or emptied ({@link TableResult#keptTable()}). */
    public List<TableResult> keptTables() {
        return tables.stream().filter(t -> t.keptTable() != null).toList();
    }

    /** Rows per second of the load phase. */
    public double rowsPerSecond() {
        Duration load = phases.getOrDefault("load", duration);
        double s = load.toNanos() / 1e9;
        return s <= 0 ? 0 : rows() / s;
    }
}
