package dev.caravan.connector.libvirt;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import dev.caravan.api.vm.JobProgress;
import dev.caravan.api.vm.MigrationKind;
import dev.caravan.api.vm.MigrationResult;
import dev.caravan.api.vm.StorageMoveOptions;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;
import org.libvirt.Domain;
import org.libvirt.DomainBlockJobInfo;
import org.libvirt.LibvirtException;
import org.libvirt.StoragePool;
import org.libvirt.TypedParameter;
import org.libvirt.TypedUlongParameter;

/**
 * Storage-only migration of a running domain: {@code virDomainBlockCopy} of one disk to a new image (a path or a
 * pool of the same host), wait until the copy mirrors the disk, then pivot; the guest never stops. Abort or timeout
 * cancel the copy and the disk stays where it was.
 */
final class StorageMove {
    private final LibvirtHypervisor host;
    private final String name;
    private final StorageMoveOptions o;
    private final Consumer<JobProgress> progress;

    StorageMove(LibvirtHypervisor host, String name, StorageMoveOptions options, Consumer<JobProgress> progress) {
        this.host = host;
        this.name = name;
        this.o = options;
        this.progress = progress;
    }

    MigrationResult run() {
        long t0 = System.nanoTime();
        return host.call("moving disk " + o.disk() + " of " + name, () -> {
            Domain dom = host.domain(name);
            if (dom.isActive() == 0) {
                throw MigrationException.userConfig(name + " is not running: a storage move copies a running "
                        + "disk; move the image file of a stopped domain with a cold copy instead");
            }
            DomainXml.Disk disk = DomainXml.parse(dom.getXMLDesc(0)).disks().stream()
                    .filter(d -> o.disk().equals(d.target())).findFirst()
                    .orElseThrow(() -> MigrationException.notFound(name + " has no disk " + o.disk()));
            String from = disk.source();
            String to = destination(from);
            if (to.equals(from)) {
                throw MigrationException.userConfig("disk " + o.disk() + " of " + name + " is already at " + to);
            }
            String format = o.format() != null ? o.format() : disk.format() != null ? disk.format() : "raw";
            String xml = "<disk type='file'><source file='" + VolumeStore.xmlEscape(to) + "'/><driver type='"
                    + VolumeStore.xmlEscape(format) + "'/></disk>";
            host.takeAbortRequest(name);
            dom.blockCopy(o.disk(), xml, new TypedParameter[] {
                new TypedUlongParameter(Domain.BlockCopyParameters.BANDWIDTH, o.bandwidthBytesPerSec())},
                    Domain.BlockCopyFlags.TRANSIENT_JOB);
            long bytes = awaitReady(dom, t0);
            dom.blockJobAbort(o.disk(), Domain.BlockJobAbortFlags.PIVOT);
            refreshPools();
            if (o.deleteSource()) {
                host.connection().storageVolLookupByPath(from).delete(0);
            }
            Duration wall = Duration.ofNanos(System.nanoTime() - t0);
            return new MigrationResult(MigrationKind.STORAGE, name, host.uri(), wall, wall, null, 0, -1, bytes,
                    Map.of("disk", o.disk(), "from", from, "to", to, "format", format));
        });
    }

    private String destination(String from) {
        if (o.destinationPath() != null) {
            if (!o.destinationPath().startsWith("/")) {
                throw MigrationException.userConfig("destinationPath must be absolute: " + o.destinationPath());
            }
            return o.destinationPath();
        }
        String file = from == null ? name + "-" + o.disk() : from.substring(from.lastIndexOf('/') + 1);
        return host.volumePath(o.destinationPool(), file).orElseThrow(() -> MigrationException.notFound(
                "no storage pool '" + o.destinationPool() + "' on " + host.uri()));
    }

    /** Polls the block job until the copy mirrors the disk; returns the bytes copied. */
    private long awaitReady(Domain dom, long t0) throws LibvirtException, InterruptedException {
        long pollMs = Math.max(50, host.pollInterval().toMillis() / 2);
        Long deadline = o.timeout() == null ? null : t0 + o.timeout().toNanos();
        while (true) {
            DomainBlockJobInfo b = dom.getBlockJobInfo(o.disk(), 0);
            if (b == null || b.type == 0) {
                boolean requested = host.takeAbortRequest(name);
                throw new MigrationException(ErrorKind.FATAL, "storage move of " + name + "/" + o.disk()
                        + (requested ? " aborted on request" : " ended without reaching the mirror state")
                        + "; the disk stays where it was");
            }
            progress.accept(new JobProgress(MigrationKind.STORAGE, b.cur, Math.max(0, b.end - b.cur), b.end, 0, -1,
                    Duration.ofNanos(System.nanoTime() - t0)));
            if (b.end > 0 && b.cur == b.end && mayPivot(dom)) {
                return b.end;
            }
            if (deadline != null && System.nanoTime() > deadline) {
                dom.blockJobAbort(o.disk(), 0);
                throw new MigrationException(ErrorKind.FATAL, "storage move of " + name + "/" + o.disk()
                        + " did not finish within " + o.timeout().toMillis() + " ms and was cancelled; the disk "
                        + "stays where it was");
            }
            Thread.sleep(pollMs);
        }
    }

    /**
     * Whether libvirt lets the copy pivot: the disk's {@code <mirror>} says {@code ready='yes'}. {@code cur == end}
     * comes a moment before QEMU reports the job ready, and a pivot then fails ("block copy still active: block job
     * ... not ready for pivot yet"). A libvirt that shows no {@code <mirror>} is taken at its {@code cur == end}.
     */
    private boolean mayPivot(Domain dom) throws LibvirtException {
        String state = DomainXml.mirrorState(dom.getXMLDesc(0), o.disk());
        return state == null || "yes".equals(state);
    }

    private void refreshPools() {
        try {
            for (String p : host.connection().listStoragePools()) {
                StoragePool pool = host.connection().storagePoolLookupByName(p);
                PoolRefresh.refresh(pool);
            }
        } catch (LibvirtException ignored) {
            // a pool that cannot refresh now shows the new volume on its next refresh
        }
    }

    /** Cancels every block job of a domain; true if there was one. */
    static boolean abortBlockJobs(Domain dom) throws LibvirtException {
        boolean any = false;
        for (DomainXml.Disk d : DomainXml.parse(dom.getXMLDesc(0)).disks()) {
            if (d.target() == null || d.source() == null) {
                continue;
            }
            try {
                DomainBlockJobInfo b = dom.getBlockJobInfo(d.target(), 0);
                if (b != null && b.type != 0) {
                    dom.blockJobAbort(d.target(), 0);
                    any = true;
                }
            } catch (LibvirtException e) {
                // no block job on this disk
            }
        }
        return any;
    }
}
