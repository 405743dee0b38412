package dev.caravan.api.vm;

import java.time.Duration;

/**
 * Settings of a live (pre-copy) migration.
 *
 * @param sharedDisk          true: disks stay on shared storage; false: shared nothing, disks are copied
 * @param bandwidthBytesPerSec limit, or {@code 0} for none
 * @param maxDowntime         longest acceptable pause at switch-over, or {@code null} for the hypervisor's default
 * @param autoConverge        throttle the guest's CPUs when memory does not converge
 * @param postCopy            allow switching to post-copy when pre-copy does not converge
 * @param parallelConnections number of parallel migration streams, {@code 1} for one
 * @param compression         compress memory pages
 * @param peerToPeer          let the source daemon talk to the target directly
 * @param completionTimeout   give up or act after this long, or {@code null} for never
 * @param timeoutAction       what to do at the timeout
 * @param persistOnTarget     define the domain persistently on the target
 * @param undefineSource      remove the definition from the source afterwards
 * @param allowUnsafe         migrate even when disk caching makes it unsafe
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
        Duration completionTimeout,
        TimeoutAction timeoutAction,
        boolean persistOnTarget,
        boolean undefineSource,
        boolean allowUnsafe) {

    /** What a live migration does when its completion timeout expires. */
    public enum TimeoutAction {
        ABORT, SUSPEND, POSTCOPY
    }
}
