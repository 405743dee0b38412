package dev.caravan.api.vm;

import java.time.Duration;

/**
 * A snapshot of a running migration or block job. Byte figures are {@code -1} when the hypervisor does not report
 * them.
 *
 * <p>A live migration sends memory in passes: the first sends all of it, each further pass sends again the pages the
 * guest dirtied meanwhile. So {@code processedBytes} (what went over the wire) can grow well past
 * {@code totalBytes} while the migration does not converge; {@link #doneBytes()} is what is in place on the target
 * (at most the total), and {@code memoryProcessedBytes} against {@code memoryTotalBytes} shows how much memory was
 * sent for how much the guest has.
 *
 * @param kind                 live migration, storage move (block job) or cold copy
 * @param processedBytes       bytes transferred so far (memory + disk), counting memory pages sent again
 * @param remainingBytes       bytes still to transfer in the current pass, or {@code -1}
 * @param totalBytes           total (memory + disk), or {@code -1}
 * @param memoryIterations     pre-copy passes over memory so far ({@code 0} for storage jobs)
 * @param dirtyRateBytesPerSec rate at which the guest dirties memory, or {@code -1}
 * @param elapsed              time since the job started
 * @param memoryProcessedBytes memory bytes transferred so far (pages sent again counted again), or {@code -1}
 * @param memoryTotalBytes     the guest's memory, or {@code -1}
 */
public record JobProgress(MigrationKind kind, long processedBytes, long remainingBytes, long totalBytes,
        long memoryIterations, long dirtyRateBytesPerSec, Duration elapsed, long memoryProcessedBytes,
        long memoryTotalBytes) {

    /** A snapshot without separate memory figures (storage moves, cold copies). */
    public JobProgress(MigrationKind kind, long processedBytes, long remainingBytes, long totalBytes,
            long memoryIterations, long dirtyRateBytesPerSec, Duration elapsed) {
        this(kind, processedBytes, remainingBytes, totalBytes, memoryIterations, dirtyRateBytesPerSec, elapsed, -1,
                -1);
    }

    /**
     * Bytes in place on the target: the total less what remains when both are known, else the bytes transferred;
     * never more than the total (when known) and never negative.
     */
    public long doneBytes() {
        long done = totalBytes >= 0 && remainingBytes >= 0 ? totalBytes - remainingBytes : processedBytes;
        return Math.max(0, totalBytes >= 0 ? Math.min(totalBytes, done) : done);
    }

    /** Share done ({@link #doneBytes()} of the total), from 0 to 1, or {@code -1} when the total is unknown. */
    public double fraction() {
        if (totalBytes <= 0 || (processedBytes < 0 && remainingBytes < 0)) {
            return -1;
        }
        return Math.min(1.0, (double) doneBytes() / totalBytes);
    }
}
