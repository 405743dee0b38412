package dev.caravan.api.vm;

import java.time.Duration;

/**
 * A snapshot of a running migration or block job.
 *
 * @param processedBytes   bytes transferred so far
 * @param remainingBytes   bytes still to transfer, or {@code -1}
 * @param totalBytes       total, or {@code -1}
 * @param memoryIterations pre-copy passes over memory so far
 * @param dirtyRateBytesPerSec rate at which the guest dirties memory, or {@code -1}
 * @param elapsed          time since the job started
 */
public record JobProgress(long processedBytes, long remainingBytes, long totalBytes, long memoryIterations,
        long dirtyRateBytesPerSec, Duration elapsed) {
}
