package dev.caravan.runtime;

import dev.caravan.api.vm.MigrationKind;
import java.time.Duration;

/**
 * What one {@code caravan-vm:} move of a run did (migrateLive, migrateCold, moveStorage).
 *
 * @param kind       live, cold or storage
 * @param domain     the domain, or {@code null} when the move failed before it was known
 * @param source     the source hypervisor, passwords masked
 * @param target     where the domain runs now (complete) or was to go, passwords masked
 * @param status     complete, refused (a preflight check or an option stopped it before anything moved) or failed
 * @param wall       wall time of the move, or {@code null} when it did not run
 * @param downtime   time the guest was paused at switch-over, or {@code null} when unknown / not live
 * @param iterations memory pre-copy iterations (0 when not live or not run)
 * @param bytes      bytes moved (memory and disks; 0 when unknown)
 * @param detail     why it was refused or failed; for a complete move, a note on how it completed (it took over the
 *                   migration a killed run left running, or finished what such a run left), else {@code null}
 */
public record VmRun(MigrationKind kind, String domain, String source, String target, Status status, Duration wall,
        Duration downtime, long iterations, long bytes, String detail) {

    /** How a move ended. */
    public enum Status {
        COMPLETE, REFUSED, FAILED
    }

    /** 0 complete, 2 refused before anything moved, 1 failed. */
    public int exitCode() {
        return switch (status) {
            case COMPLETE -> 0;
            case REFUSED -> 2;
            case FAILED -> 1;
        };
    }
}
