package dev.caravan.api.vm;

import java.time.Duration;
import java.util.Map;

/**
 * Statistics of a finished VM move, read from the hypervisor's completed-job statistics where it has them.
 *
 * @param kind         live, cold or storage
 * @param name         the domain
 * @param target       URI of the host it runs on now
 * @param wall         wall time measured by the caller, from the request to the return
 * @param elapsed      time of the hypervisor job, or {@code null} when unknown
 * @param downtime     time the guest was paused at switch-over, or {@code null} when unknown / not live
 * @param iterations   memory pre-copy iterations ({@code 0} when not live)
 * @param memoryBytes  memory bytes transferred, or {@code -1}
 * @param diskBytes    disk bytes transferred, or {@code -1}
 * @param details      further raw statistics (name to value), e.g. {@code setup_time}, {@code memory_bps}
 */
public record MigrationResult(MigrationKind kind, String name, String target, Duration wall, Duration elapsed,
        Duration downtime, long iterations, long memoryBytes, long diskBytes, Map<String, String> details) {
    public MigrationResult {
        details = Map.copyOf(details);
    }

    /** All bytes moved (memory and disk), counting unknown parts as 0. */
    public long bytes() {
        return Math.max(0, memoryBytes) + Math.max(0, diskBytes);
    }
}
