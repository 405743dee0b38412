package dev.caravan.api.vm;

import java.time.Duration;
import java.util.Optional;

/**
 * Settings of a live (pre-copy) migration. Immutable; start from {@link #defaults()} or {@link #builder()}.
 *
 * @param sharedDisk               true: disks stay on storage both hosts see; false: shared nothing, the disks are
 *                                 copied during the migration into volumes created on the target first
 * @param bandwidthBytesPerSec     migration speed limit, {@code 0} for none (libvirt counts in MiB/s: rounded up)
 * @param maxDowntime              longest acceptable pause at switch-over, or {@code null} for the hypervisor's default
 * @param autoConverge             throttle the guest's CPUs when memory does not converge
 * @param postCopy                 allow switching to post-copy (needed for {@link TimeoutAction#POSTCOPY})
 * @param parallelConnections      number of parallel migration streams, {@code 1} for one
 * @param compression              compress memory pages
 * @param peerToPeer               let the source daemon talk to the target daemon directly
 * @param tunnelled                send the migration data through the daemons' connection (needs peer-to-peer;
 *                                 refused with shared nothing on libvirt 9.0)
 * @param completionTimeout        take {@code timeoutAction} when the migration has not completed after this long;
 *                                 {@code null} for the default policy ({@link #completionTimeoutFor}: scaled by what
 *                                 the migration moves), {@link Duration#ZERO} for never
 * @param completionTimeoutPerGiB  the default policy's timeout per GiB moved, {@code null} for
 *                                 {@link #DEFAULT_TIMEOUT_PER_GIB}
 * @param timeoutAction            what to do at the timeout (the default {@link TimeoutAction#ABORT} also at the
 *                                 default timeout: suspend and post-copy happen only when chosen)
 * @param persistOnTarget          define the domain persistently on the target
 * @param undefineSource           remove the definition from the source afterwards
 * @param allowUnsafe              migrate a shared disk that the hypervisor cannot prove safe (e.g. a local file
 *                                 system seen by both hosts); the preflight then warns instead of failing
 * @param migrateUri               address for the memory stream, e.g. {@code tcp://10.0.0.2}, or {@code null}
 *                                 for the hypervisor's choice
 * @param disksUri                 address for the disk copy stream (shared nothing), or {@code null}
 * @param linkBandwidthBytesPerSec declared network bandwidth between the hosts, for the preflight forecast;
 *                                 {@code 0}: unknown (the forecast uses {@code bandwidthBytesPerSec} if set)
 * @param dirtyRateSample          how long the preflight samples the guest's memory dirty rate, or
 *                                 {@code null}/zero to skip sampling
 */
public record LiveMigrationOptions(
        boolean sharedDisk,
        long bandwidthBytesPerSec,
        Duration maxDowntime,
        boolean autoConverge,
        boolean postCopy,
        int parallelConnections,
        boolean compression,
        boolean peerToPeer,
        boolean tunnelled,
        Duration completionTimeout,
        Duration completionTimeoutPerGiB,
        TimeoutAction timeoutAction,
        boolean persistOnTarget,
        boolean undefineSource,
        boolean allowUnsafe,
        String migrateUri,
        String disksUri,
        long linkBandwidthBytesPerSec,
        Duration dirtyRateSample) {

    public LiveMigrationOptions {
        if (completionTimeout != null && completionTimeout.isNegative()) {
            throw new IllegalArgumentException("completionTimeout must not be negative, got " + completionTimeout);
        }
        if (completionTimeoutPerGiB != null && (completionTimeoutPerGiB.isNegative()
                || completionTimeoutPerGiB.isZero())) {
            throw new IllegalArgumentException("completionTimeoutPerGiB must be positive, got "
                    + completionTimeoutPerGiB + " (completionTimeout=0 turns the timeout off)");
        }
        if (bandwidthBytesPerSec < 0 || linkBandwidthBytesPerSec < 0) {
            throw new IllegalArgumentException("bandwidth must not be negative");
        }
        if (parallelConnections < 1) {
            throw new IllegalArgumentException("parallelConnections must be at least 1, got " + parallelConnections);
        }
        if (timeoutAction == null) {
            timeoutAction = TimeoutAction.ABORT;
        }
        if (timeoutAction == TimeoutAction.POSTCOPY && !postCopy) {
            throw new IllegalArgumentException("timeoutAction POSTCOPY needs postCopy=true");
        }
        if (tunnelled && !peerToPeer) {
            throw new IllegalArgumentException("tunnelled migration needs peerToPeer=true");
        }
    }

    /**
     * The default completion timeout per GiB a live migration moves (memory, plus the disks it copies when shared
     * nothing): 800 s, as OpenStack Nova ({@code live_migration_completion_timeout}) and KubeVirt
     * ({@code completionTimeoutPerGiB}) default to. Generous for any migration that converges (it allows about
     * 1.3 MiB/s); it bounds one that never does (the guest dirties memory faster than the link sends it), which would
     * otherwise run for ever.
     */
    public static final Duration DEFAULT_TIMEOUT_PER_GIB = Duration.ofSeconds(800);
    /** The default completion timeout counts at least this many GiB: 2, as Nova (so at least 1600 s, 26 min 40 s). */
    public static final long DEFAULT_TIMEOUT_MIN_GIB = 2;

    /**
     * The completion timeout of a migration moving {@code memoryBytes} of memory and {@code copiedDiskBytes} of disk:
     * {@link #completionTimeout} when set, empty when it is {@link Duration#ZERO} (never), else the default policy,
     * {@link #completionTimeoutPerGiB} ({@link #DEFAULT_TIMEOUT_PER_GIB} unless set) per GiB moved (whole GiB, rounded
     * up; the disks only when shared nothing copies them), counting at least {@link #DEFAULT_TIMEOUT_MIN_GIB} GiB.
     */
    public Optional<Duration> completionTimeoutFor(long memoryBytes, long copiedDiskBytes) {
        if (completionTimeout != null) {
            return completionTimeout.isZero() ? Optional.empty() : Optional.of(completionTimeout);
        }
        long bytes = Math.max(0, memoryBytes) + (sharedDisk ? 0 : Math.max(0, copiedDiskBytes));
        long gib = Math.max(DEFAULT_TIMEOUT_MIN_GIB, (bytes + (1L << 30) - 1) >> 30);
        return Optional.of((completionTimeoutPerGiB == null ? DEFAULT_TIMEOUT_PER_GIB : completionTimeoutPerGiB)
                .multipliedBy(gib));
    }

    /** Shared nothing, no limits, one connection, persist on the target, undefine the source, safe only. */
    public static LiveMigrationOptions defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.sharedDisk = sharedDisk;
        b.bandwidth = bandwidthBytesPerSec;
        b.maxDowntime = maxDowntime;
        b.autoConverge = autoConverge;
        b.postCopy = postCopy;
        b.parallel = parallelConnections;
        b.compression = compression;
        b.peerToPeer = peerToPeer;
        b.tunnelled = tunnelled;
        b.completionTimeout = completionTimeout;
        b.completionTimeoutPerGiB = completionTimeoutPerGiB;
        b.timeoutAction = timeoutAction;
        b.persistOnTarget = persistOnTarget;
        b.undefineSource = undefineSource;
        b.allowUnsafe = allowUnsafe;
        b.migrateUri = migrateUri;
        b.disksUri = disksUri;
        b.linkBandwidth = linkBandwidthBytesPerSec;
        b.dirtyRateSample = dirtyRateSample;
        return b;
    }

    /** What a live migration does when its completion timeout expires. */
    public enum TimeoutAction {
        /** Cancel the migration; the VM keeps running on the source. */
        ABORT,
        /** Pause the guest so that the remaining memory is sent without new writes (longer downtime). */
        SUSPEND,
        /** Switch to post-copy: the guest runs on the target and fetches missing pages on demand. */
        POSTCOPY
    }

    /** Fluent builder; unset fields keep the {@link #defaults()}. */
    public static final class Builder {
        private boolean sharedDisk;
        private long bandwidth;
        private Duration maxDowntime;
        private boolean autoConverge;
        private boolean postCopy;
        private int parallel = 1;
        private boolean compression;
        private boolean peerToPeer;
        private boolean tunnelled;
        private Duration completionTimeout;
        private Duration completionTimeoutPerGiB;
        private TimeoutAction timeoutAction = TimeoutAction.ABORT;
        private boolean persistOnTarget = true;
        private boolean undefineSource = true;
        private boolean allowUnsafe;
        private String migrateUri;
        private String disksUri;
        private long linkBandwidth;
        private Duration dirtyRateSample;

        Builder() {
        }

        public Builder sharedDisk(boolean v) { sharedDisk = v; return this; }

        public Builder bandwidth(long bytesPerSec) { bandwidth = bytesPerSec; return this; }

        public Builder maxDowntime(Duration v) { maxDowntime = v; return this; }

        public Builder autoConverge(boolean v) { autoConverge = v; return this; }

        public Builder postCopy(boolean v) { postCopy = v; return this; }

        public Builder parallelConnections(int v) { parallel = v; return this; }

        public Builder compression(boolean v) { compression = v; return this; }

        public Builder peerToPeer(boolean v) { peerToPeer = v; return this; }

        public Builder tunnelled(boolean v) { tunnelled = v; return this; }

        /** The completion timeout ({@code null}: the default policy, zero: never) and what it does. */
        public Builder completionTimeout(Duration v, TimeoutAction action) {
            completionTimeout = v;
            timeoutAction = action;
            return this;
        }

        /** The default policy's timeout per GiB moved ({@code null}: {@link #DEFAULT_TIMEOUT_PER_GIB}). */
        public Builder completionTimeoutPerGiB(Duration v) { completionTimeoutPerGiB = v; return this; }

        public Builder persistOnTarget(boolean v) { persistOnTarget = v; return this; }

        public Builder undefineSource(boolean v) { undefineSource = v; return this; }

        public Builder allowUnsafe(boolean v) { allowUnsafe = v; return this; }

        public Builder migrateUri(String v) { migrateUri = v; return this; }

        public Builder disksUri(String v) { disksUri = v; return this; }

        public Builder linkBandwidth(long bytesPerSec) { linkBandwidth = bytesPerSec; return this; }

        public Builder dirtyRateSample(Duration v) { dirtyRateSample = v; return this; }

        public LiveMigrationOptions build() {
            return new LiveMigrationOptions(sharedDisk, bandwidth, maxDowntime, autoConverge, postCopy, parallel,
                    compression, peerToPeer, tunnelled, completionTimeout, completionTimeoutPerGiB, timeoutAction,
                    persistOnTarget, undefineSource, allowUnsafe, migrateUri, disksUri, linkBandwidth,
                    dirtyRateSample);
        }
    }
}
