package dev.caravan.core.journal;

import dev.caravan.api.journal.RunOutcome;
import java.time.Instant;

/**
 * A run as {@code caravan status} shows it, computed from the journal.
 *
 * @param runId       run id
 * @param migrationId migration id
 * @param description the migration's name
 * @param startedAt   start
 * @param finishedAt  end, or {@code null} while running (or killed)
 * @param outcome     outcome, or {@code null} while unfinished
 * @param tasksTotal  tasks planned in this run
 * @param tasksDone   tasks done
 * @param tasksFailed tasks failed
 * @param bytesTotal  bytes planned
 * @param bytesDone   bytes of done tasks plus checkpointed bytes of running ones
 */
public record RunSummary(String runId, String migrationId, String description, Instant startedAt,
        Instant finishedAt, RunOutcome outcome, long tasksTotal, long tasksDone, long tasksFailed, long bytesTotal,
        long bytesDone) {
}
