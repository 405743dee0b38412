package dev.caravan.api.vm;

import java.time.Duration;

/**
 * A snapshot of a running migration or block job. Byte figures are {@code -1} when the hypervisor does not report
 * them.
 *
 * @param kind                 live migration, storage move (block job) or cold copy
 * @param processedBytes       bytes transferred so far (memory + disk)
 * @param remainingBytes       bytes still to transfer, or {@code -1}
 * @param totalBytes           total, or {@code -1}
 * @param memoryIterations     pre-copy passes over memory so far ({@code 0} for storage jobs)
 * @param dirtyRateBytesPerSec rate at which the guest dirties memory, or {@code -1}
 * @param elapsed              time since the job started
 */
public record JobProgress(MigrationKind kind, long processedBytes, long remainingBytes, long totalBytes,
        long memoryIterations, long dirtyRateBytesPerSec, Duration elapsed) {

    /** Share done, from 0 to 1, or {@code -1} when the total is unknown. */
    public double fraction() {
        if (totalBytes <= 0 || processedBytes < 0) {
            return -1;
        }
        return Math.min(1.0, (double) processedBytes / totalBytes);
    }
}
