package dev.caravan.api.vm;

import java.time.Duration;

/**
 * Statistics of a finished VM migration.
 *
 * @param elapsed    wall time of the job
 * @param downtime   time the guest was paused at switch-over, or {@code null} when unknown
 * @param iterations memory pre-copy iterations
 * @param bytes      bytes transferred
 */
public record MigrationResult(Duration elapsed, Duration downtime, long iterations, long bytes) {
}
