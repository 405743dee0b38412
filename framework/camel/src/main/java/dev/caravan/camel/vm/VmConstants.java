package dev.caravan.camel.vm;

import java.util.Locale;
import org.apache.camel.spi.Metadata;

/**
 * Header names of the {@code caravan-vm:} component. Every endpoint option can be overridden per exchange by the
 * input header {@code CaravanVm} + the option name with a capital first letter ({@link #headerOf}); output headers
 * describe the result. Durations are given in milliseconds, sizes in bytes.
 */
public final class VmConstants {

    // ---- input: per-exchange overrides of endpoint options
    @Metadata(label = "producer", description = "Overrides the operation: describe, list, preflight, migrateLive,"
                                                + " migrateCold, moveStorage or abort.", javaType = "String")
    public static final String OPERATION = "CaravanVmOperation";
    @Metadata(label = "producer", javaType = "String",
              description = "Overrides the source hypervisor (scheme:location).")
    public static final String SOURCE = "CaravanVmSource";
    @Metadata(label = "producer", javaType = "String",
              description = "Overrides the target hypervisor (scheme:location).")
    public static final String TARGET = "CaravanVmTarget";
    @Metadata(label = "producer", javaType = "String",
              description = "Overrides the domain name (input only: operations report theirs in CaravanVmName).")
    public static final String DOMAIN = "CaravanVmDomain";
    @Metadata(label = "producer", description = "Overrides journal (true/false).", javaType = "String")
    public static final String JOURNAL = "CaravanVmJournal";
    @Metadata(label = "producer", javaType = "String",
              description = "Overrides the kind of move the preflight checks: live, cold or storage.")
    public static final String KIND = "CaravanVmKind";
    @Metadata(label = "producer", javaType = "String",
              description = "Overrides the state filter of list (comma-separated states).")
    public static final String STATE = "CaravanVmState";
    @Metadata(label = "producer", description = "Overrides sharedDisk (true/false).", javaType = "String")
    public static final String SHARED_DISK = "CaravanVmSharedDisk";
    @Metadata(label = "producer", javaType = "String",
              description = "Overrides bandwidth (bytes per second, e.g. 100M).")
    public static final String BANDWIDTH = "CaravanVmBandwidth";
    @Metadata(label = "producer", description = "Overrides maxDowntime (e.g. 300ms).", javaType = "String")
    public static final String MAX_DOWNTIME = "CaravanVmMaxDowntime";
    @Metadata(label = "producer", description = "Overrides autoConverge.", javaType = "String")
    public static final String AUTO_CONVERGE = "CaravanVmAutoConverge";
    @Metadata(label = "producer", description = "Overrides postCopy.", javaType = "String")
    public static final String POST_COPY = "CaravanVmPostCopy";
    @Metadata(label = "producer", description = "Overrides parallelConnections.", javaType = "String")
    public static final String PARALLEL_CONNECTIONS = "CaravanVmParallelConnections";
    @Metadata(label = "producer", description = "Overrides compression.", javaType = "String")
    public static final String COMPRESSION = "CaravanVmCompression";
    @Metadata(label = "producer", description = "Overrides peerToPeer.", javaType = "String")
    public static final String PEER_TO_PEER = "CaravanVmPeerToPeer";
    @Metadata(label = "producer", description = "Overrides tunnelled.", javaType = "String")
    public static final String TUNNELLED = "CaravanVmTunnelled";
    @Metadata(label = "producer", description = "Overrides completionTimeout (e.g. 10m).", javaType = "String")
    public static final String COMPLETION_TIMEOUT = "CaravanVmCompletionTimeout";
    @Metadata(label = "producer", description = "Overrides completionTimeoutPerGiB (e.g. 800s).", javaType = "String")
    public static final String COMPLETION_TIMEOUT_PER_GIB = "CaravanVmCompletionTimeoutPerGiB";
    @Metadata(label = "producer", javaType = "String",
              description = "Overrides timeoutAction: abort, suspend or postcopy.")
    public static final String TIMEOUT_ACTION = "CaravanVmTimeoutAction";
    @Metadata(label = "producer", description = "Overrides persistOnTarget.", javaType = "String")
    public static final String PERSIST_ON_TARGET = "CaravanVmPersistOnTarget";
    @Metadata(label = "producer", description = "Overrides undefineSource.", javaType = "String")
    public static final String UNDEFINE_SOURCE = "CaravanVmUndefineSource";
    @Metadata(label = "producer", description = "Overrides allowUnsafe.", javaType = "String")
    public static final String ALLOW_UNSAFE = "CaravanVmAllowUnsafe";
    @Metadata(label = "producer", description = "Overrides migrateUri.", javaType = "String")
    public static final String MIGRATE_URI = "CaravanVmMigrateUri";
    @Metadata(label = "producer", description = "Overrides disksUri.", javaType = "String")
    public static final String DISKS_URI = "CaravanVmDisksUri";
    @Metadata(label = "producer", description = "Overrides linkBandwidth (bytes per second).", javaType = "String")
    public static final String LINK_BANDWIDTH = "CaravanVmLinkBandwidth";
    @Metadata(label = "producer", description = "Overrides dirtyRateSample (e.g. 2s).", javaType = "String")
    public static final String DIRTY_RATE_SAMPLE = "CaravanVmDirtyRateSample";
    @Metadata(label = "producer", description = "Overrides shutdownTimeout (e.g. 2m).", javaType = "String")
    public static final String SHUTDOWN_TIMEOUT = "CaravanVmShutdownTimeout";
    @Metadata(label = "producer", description = "Overrides force.", javaType = "String")
    public static final String FORCE = "CaravanVmForce";
    @Metadata(label = "producer", description = "Overrides startOnTarget.", javaType = "String")
    public static final String START_ON_TARGET = "CaravanVmStartOnTarget";
    @Metadata(label = "producer", description = "Overrides startTimeout.", javaType = "String")
    public static final String START_TIMEOUT = "CaravanVmStartTimeout";
    @Metadata(label = "producer", description = "Overrides deleteSourceVolumes.", javaType = "String")
    public static final String DELETE_SOURCE_VOLUMES = "CaravanVmDeleteSourceVolumes";
    @Metadata(label = "producer", description = "Overrides transfers.", javaType = "String")
    public static final String TRANSFERS = "CaravanVmTransfers";
    @Metadata(label = "producer", description = "Overrides disk (guest device, e.g. vda).", javaType = "String")
    public static final String DISK = "CaravanVmDisk";
    @Metadata(label = "producer", description = "Overrides destinationPath.", javaType = "String")
    public static final String DESTINATION_PATH = "CaravanVmDestinationPath";
    @Metadata(label = "producer", description = "Overrides destinationPool.", javaType = "String")
    public static final String DESTINATION_POOL = "CaravanVmDestinationPool";
    @Metadata(label = "producer", description = "Overrides format.", javaType = "String")
    public static final String FORMAT = "CaravanVmFormat";
    @Metadata(label = "producer", description = "Overrides deleteSourceImage.", javaType = "String")
    public static final String DELETE_SOURCE_IMAGE = "CaravanVmDeleteSourceImage";
    // ---- output
    @Metadata(description = "The domain the operation acted on.", javaType = "String")
    public static final String NAME = "CaravanVmName";
    @Metadata(description = "URI of the host the domain is on after the operation (for a move: the target).",
              javaType = "String")
    public static final String HOST = "CaravanVmHost";
    @Metadata(description = "Power state of the domain (describe).", javaType = "String")
    public static final String VM_STATE = "CaravanVmPowerState";
    @Metadata(description = "Number of domains listed (list).", javaType = "Integer")
    public static final String COUNT = "CaravanVmCount";
    @Metadata(description = "Whether no preflight check failed (preflight).", javaType = "Boolean")
    public static final String PREFLIGHT_PASSED = "CaravanVmPreflightPassed";
    @Metadata(description = "The failed checks as 'name: detail; ...', empty when none (preflight).",
              javaType = "String")
    public static final String PREFLIGHT_FAILURES = "CaravanVmPreflightFailures";
    @Metadata(description = "Number of checks with status WARN (preflight).", javaType = "Integer")
    public static final String PREFLIGHT_WARNINGS = "CaravanVmPreflightWarnings";
    @Metadata(description = "What moved: LIVE, COLD or STORAGE (migrations).", javaType = "String")
    public static final String MIGRATION_KIND = "CaravanVmMigrationKind";
    @Metadata(description = "Time the guest was paused at switch-over in ms (live), or the outage from shutdown to"
                            + " running on the target (cold); absent when unknown.", javaType = "Long")
    public static final String DOWNTIME = "CaravanVmDowntime";
    @Metadata(description = "Memory pre-copy iterations (live; 0 otherwise).", javaType = "Long")
    public static final String ITERATIONS = "CaravanVmIterations";
    @Metadata(description = "Duration of the hypervisor's job in ms; absent when unknown.", javaType = "Long")
    public static final String ELAPSED = "CaravanVmElapsed";
    @Metadata(description = "Wall time of the operation in ms, from the request to its return.", javaType = "Long")
    public static final String WALL = "CaravanVmWall";
    @Metadata(description = "Memory bytes transferred (-1 when unknown).", javaType = "Long")
    public static final String MEMORY_BYTES = "CaravanVmMemoryBytes";
    @Metadata(description = "Disk bytes transferred (-1 when unknown).", javaType = "Long")
    public static final String DISK_BYTES = "CaravanVmDiskBytes";
    @Metadata(description = "Whether a running job was found and aborted (abort).", javaType = "Boolean")
    public static final String ABORTED = "CaravanVmAborted";
    @Metadata(description = "Journal run of the migration (migrations, with a journal).", javaType = "String")
    public static final String RUN_ID = "CaravanRunId";

    private VmConstants() {
    }

    /** The input header that overrides an endpoint option: {@code maxDowntime} gives {@code CaravanVmMaxDowntime}. */
    public static String headerOf(String option) {
        return "CaravanVm" + option.substring(0, 1).toUpperCase(Locale.ROOT) + option.substring(1);
    }
}
