package dev.caravan.api.journal;

/**
 * The journal's view of one task.
 *
 * @param spec       what was planned
 * @param runId      the run that last planned or ran it
 * @param state      where it stands
 * @param attempts   how many times it was begun, over all runs
 * @param checkpoint last checkpoint, {@link Checkpoint#EMPTY} when none
 * @param report     report of the completing attempt, or {@code null}
 * @param error      last error message, or {@code null}
 */
public record TaskRecord(
        TaskSpec spec, String runId, TaskState state, int attempts, Checkpoint checkpoint, TaskReport report,
        String error) {
}
