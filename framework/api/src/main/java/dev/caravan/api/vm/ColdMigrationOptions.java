package dev.caravan.api.vm;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of a cold migration: shut down, copy the disks, define on the target, start, then remove the source.
 *
 * @param shutdownGrace      how long the guest gets to shut down when asked (ACPI)
 * @param forceShutdown      power it off when the grace expires; when false the migration fails instead
 * @param startOnTarget      start the domain on the target after the copy
 * @param startTimeout       how long the target may take to report the domain running
 * @param removeSource       after the target runs: undefine the source domain
 * @param deleteSourceVolumes after the target runs: delete the copied volumes on the source
 * @param bandwidthBytesPerSec disk copy limit, {@code 0} for none
 * @param transfers          disks copied in parallel
 */
public record ColdMigrationOptions(Duration shutdownGrace, boolean forceShutdown, boolean startOnTarget,
        Duration startTimeout, boolean removeSource, boolean deleteSourceVolumes, long bandwidthBytesPerSec,
        int transfers) {
    public ColdMigrationOptions {
        Objects.requireNonNull(shutdownGrace, "shutdownGrace");
        Objects.requireNonNull(startTimeout, "startTimeout");
        if (transfers < 1) {
            throw new IllegalArgumentException("transfers must be at least 1");
        }
    }

    /** 60 s grace then no force, start on target (30 s), undefine source and delete its volumes, 2 transfers. */
    public static ColdMigrationOptions defaults() {
        return new ColdMigrationOptions(Duration.ofSeconds(60), false, true, Duration.ofSeconds(30), true, true, 0, 2);
    }

    public ColdMigrationOptions withShutdown(Duration grace, boolean force) {
        return new ColdMigrationOptions(grace, force, startOnTarget, startTimeout, removeSource, deleteSourceVolumes,
                bandwidthBytesPerSec, transfers);
    }

    public ColdMigrationOptions withSourceKept() {
        return new ColdMigrationOptions(shutdownGrace, forceShutdown, startOnTarget, startTimeout, false, false,
                bandwidthBytesPerSec, transfers);
    }
}
