package dev.caravan.camel.vm;

import java.util.Locale;
import org.apache.camel.spi.Metadata;

/**
 * Header names of the {@code caravan-vm:} component. Every endpoint option can be overridden per exchange by the
 * input header {@code CamelCaravanVm} + the option name with a capital first letter ({@link #headerOf}); output headers
 * describe the result. Durations are given in milliseconds, sizes in bytes. Names start with {@code Camel} so that
 * headers from outside cannot set them (see {@link dev.caravan.camel.migration.CaravanConstants}).
 */
public final class VmConstants {

    // ---- input: per-exchange overrides of endpoint options
    @Metadata(label = "producer", description = "Overrides the operation: describe, list, preflight, migrateLive,"
                                                + " migrateCold, moveStorage or abort.", javaType = "String")
    public static final String OPERATION = "CamelCaravanVmOperation";
    @Metadata(label = "producer", javaType = "String",
              description = "Overrides the source hypervisor (scheme:location).")
    public static final String SOURCE = "CamelCaravanVmSource";
    @Metadata(label = "producer", javaType = "String",
              description = "Overrides the target hypervisor (scheme:location).")
    public static final String TARGET = "CamelCaravanVmTarget";
    @Metadata(label = "producer", javaType = "String",
              description = "Overrides the domain name (input only: operations report theirs in CamelCaravanVmName).")
    public static final String DOMAIN = "CamelCaravanVmDomain";
    @Metadata(label = "producer", description = "Overrides journal (true/false).", javaType = "String")
    public static final String JOURNAL = "CamelCaravanVmJournal";
    @Metadata(label = "producer", javaType = "String",
              description = "Overrides the kind of move the preflight checks: live, cold or storage.")
    public static final String KIND = "CamelCaravanVmKind";
    @Metadata(label = "producer", javaType = "String",
              description = "Overrides the state filter of list (comma-separated states).")
    public static final String STATE = "CamelCaravanVmState";
    @Metadata(label = "producer", description = "Overrides sharedDisk (true/false).", javaType = "String")
    public static final String SHARED_DISK = "CamelCaravanVmSharedDisk";
    @Metadata(label = "producer", javaType = "String",
              description = "Overrides bandwidth (bytes per second, e.g. 100M).")
    public static final String BANDWIDTH = "CamelCaravanVmBandwidth";
    @Metadata(label = "producer", description = "Overrides maxDowntime (e.g. 300ms).", javaType = "String")
    public static final String MAX_DOWNTIME = "CamelCaravanVmMaxDowntime";
    @Metadata(label = "producer", description = "Overrides autoConverge.", javaType = "String")
    public static final String AUTO_CONVERGE = "CamelCaravanVmAutoConverge";
    @Metadata(label = "producer", description = "Overrides postCopy.", javaType = "String")
    public static final String POST_COPY = "CamelCaravanVmPostCopy";
    @Metadata(label = "producer", description = "Overrides parallelConnections.", javaType = "String")
    public static final String PARALLEL_CONNECTIONS = "CamelCaravanVmParallelConnections";
    @Metadata(label = "producer", description = "Overrides compression.", javaType = "String")
    public static final String COMPRESSION = "CamelCaravanVmCompression";
    @Metadata(label = "producer", description = "Overrides peerToPeer.", javaType = "String")
    public static final String PEER_TO_PEER = "CamelCaravanVmPeerToPeer";
    @Metadata(label = "producer", description = "Overrides tunnelled.", javaType = "String")
    public static final String TUNNELLED = "CamelCaravanVmTunnelled";
    @Metadata(label = "producer", description = "Overrides completionTimeout (e.g. 10m).", javaType = "String")
    public static final String COMPLETION_TIMEOUT = "CamelCaravanVmCompletionTimeout";
    @Metadata(label = "producer", description = "Overrides completionTimeoutPerGiB (e.g. 800s).", javaType = "String")
    public static final String COMPLETION_TIMEOUT_PER_GIB = "CamelCaravanVmCompletionTimeoutPerGiB";
    @Metadata(label = "producer", javaType = "String",
              description = "Overrides timeoutAction: abort, suspend or postcopy.")
    public static final String TIMEOUT_ACTION = "CamelCaravanVmTimeoutAction";
    @Metadata(label = "producer", description = "Overrides persistOnTarget.", javaType = "String")
    public static final String PERSIST_ON_TARGET = "CamelCaravanVmPersistOnTarget";
    @Metadata(label = "producer", description = "Overrides undefineSource.", javaType = "String")
    public static final String UNDEFINE_SOURCE = "CamelCaravanVmUndefineSource";
    @Metadata(label = "producer", description = "Overrides allowUnsafe.", javaType = "String")
    public static final String ALLOW_UNSAFE = "CamelCaravanVmAllowUnsafe";
    @Metadata(label = "producer", description = "Overrides migrateUri.", javaType = "String")
    public static final String MIGRATE_URI = "CamelCaravanVmMigrateUri";
    @Metadata(label = "producer", description = "Overrides disksUri.", javaType = "String")
    public static final String DISKS_URI = "CamelCaravanVmDisksUri";
    @Metadata(label = "producer", description = "Overrides linkBandwidth (bytes per second).", javaType = "String")
    public static final String LINK_BANDWIDTH = "CamelCaravanVmLinkBandwidth";
    @Metadata(label = "producer", description = "Overrides dirtyRateSample (e.g. 2s).", javaType = "String")
    public static final String DIRTY_RATE_SAMPLE = "CamelCaravanVmDirtyRateSample";
    @Metadata(label = "producer", description = "Overrides shutdownTimeout (e.g. 2m).", javaType = "String")
    public static final String SHUTDOWN_TIMEOUT = "CamelCaravanVmShutdownTimeout";
    @Metadata(label = "producer", description = "Overrides force.", javaType = "String")
    public static final String FORCE = "CamelCaravanVmForce";
    @Metadata(label = "producer", description = "Overrides startOnTarget.", javaType = "String")
    public static final String START_ON_TARGET = "CamelCaravanVmStartOnTarget";
    @Metadata(label = "producer", description = "Overrides startTimeout.", javaType = "String")
    public static final String START_TIMEOUT = "CamelCaravanVmStartTimeout";
    @Metadata(label = "producer", description = "Overrides deleteSourceVolumes.", javaType = "String")
    public static final String DELETE_SOURCE_VOLUMES = "CamelCaravanVmDeleteSourceVolumes";
    @Metadata(label = "producer", description = "Overrides transfers.", javaType = "String")
    public static final String TRANSFERS = "CamelCaravanVmTransfers";
    @Metadata(label = "producer", description = "Overrides disk (guest device, e.g. vda).", javaType = "String")
    public static final String DISK = "CamelCaravanVmDisk";
    @Metadata(label = "producer", description = "Overrides destinationPath.", javaType = "String")
    public static final String DESTINATION_PATH = "CamelCaravanVmDestinationPath";
    @Metadata(label = "producer", description = "Overrides destinationPool.", javaType = "String")
    public static final String DESTINATION_POOL = "CamelCaravanVmDestinationPool";
    @Metadata(label = "producer", description = "Overrides format.", javaType = "String")
    public static final String FORMAT = "CamelCaravanVmFormat";
    @Metadata(label = "producer", description = "Overrides deleteSourceImage.", javaType = "String")
    public static final String DELETE_SOURCE_IMAGE = "CamelCaravanVmDeleteSourceImage";
    // ---- output
    @Metadata(description = "The domain the operation acted on.", javaType = "String")
    public static final String NAME = "CamelCaravanVmName";
    @Metadata(description = "URI of the host the domain is on after the operation (for a move: the target).",
              javaType = "String")
    public static final String HOST = "CamelCaravanVmHost";
    @Metadata(description = "Power state of the domain (describe).", javaType = "String")
    public static final String VM_STATE = "CamelCaravanVmPowerState";
    @Metadata(description = "Number of domains listed (list).", javaType = "Integer")
    public static final String COUNT = "CamelCaravanVmCount";
    @Metadata(description = "Whether no preflight check failed (preflight).", javaType = "Boolean")
    public static final String PREFLIGHT_PASSED = "CamelCaravanVmPreflightPassed";
    @Metadata(description = "The failed checks as 'name: detail; ...', empty when none (preflight).",
              javaType = "String")
    public static final String PREFLIGHT_FAILURES = "CamelCaravanVmPreflightFailures";
    @Metadata(description = "Number of checks with status WARN (preflight).", javaType = "Integer")
    public static final String PREFLIGHT_WARNINGS = "CamelCaravanVmPreflightWarnings";
    @Metadata(description = "What moved: LIVE, COLD or STORAGE (migrations).", javaType = "String")
    public static final String MIGRATION_KIND = "CamelCaravanVmMigrationKind";
    @Metadata(description = "Time the guest was paused at switch-over in ms (live), or the outage from shutdown to"
                            + " running on the target (cold); absent when unknown.", javaType = "Long")
    public static final String DOWNTIME = "CamelCaravanVmDowntime";
    @Metadata(description = "Memory pre-copy iterations (live; 0 otherwise).", javaType = "Long")
    public static final String ITERATIONS = "CamelCaravanVmIterations";
    @Metadata(description = "Duration of the hypervisor's job in ms; absent when unknown.", javaType = "Long")
    public static final String ELAPSED = "CamelCaravanVmElapsed";
    @Metadata(description = "Wall time of the operation in ms, from the request to its return.", javaType = "Long")
    public static final String WALL = "CamelCaravanVmWall";
    @Metadata(description = "Memory bytes transferred (-1 when unknown).", javaType = "Long")
    public static final String MEMORY_BYTES = "CamelCaravanVmMemoryBytes";
    @Metadata(description = "Disk bytes transferred (-1 when unknown).", javaType = "Long")
    public static final String DISK_BYTES = "CamelCaravanVmDiskBytes";
    @Metadata(description = "Whether a running job was found and aborted (abort).", javaType = "Boolean")
    public static final String ABORTED = "CamelCaravanVmAborted";
    @Metadata(description = "Journal run of the migration (migrations, with a journal).", javaType = "String")
    public static final String RUN_ID = "CamelCaravanRunId";

    private VmConstants() {
    }

    /**
     * The input header that overrides an endpoint option: {@code maxDowntime} gives
     * {@code CamelCaravanVmMaxDowntime}.
     */
    public static String headerOf(String option) {
        return "CamelCaravanVm" + option.substring(0, 1).toUpperCase(Locale.ROOT) + option.substring(1);
    }
}
