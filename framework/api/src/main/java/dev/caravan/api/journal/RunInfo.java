package dev.caravan.api.journal;

import java.time.Instant;
import java.util.Map;

/**
 * A run of a migration.
 *
 * @param runId         unique id of the run
 * @param migrationId   deterministic id of the migration (same source, target and settings)
 * @param startedAt     when the run (first) started
 * @param resumed       true when an unfinished run was taken up again
 * @param previousState what the last finished run of this migration left for the next one (incremental state)
 */
public record RunInfo(String runId, String migrationId, Instant startedAt, boolean resumed,
        Map<String, String> previousState) {
    public RunInfo {
        previousState = Map.copyOf(previousState);
    }
}
