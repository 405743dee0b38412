package dev.caravan.connector.libvirt;

import dev.caravan.api.vm.JobProgress;
import dev.caravan.api.vm.MigrationKind;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.libvirt.Domain;
import org.libvirt.DomainBlockJobInfo;
import org.libvirt.DomainJobInfo;
import org.libvirt.LibvirtException;

/** Reads a domain's job: progress while it runs, statistics when it completed. */
final class JobStats {

    private JobStats() {
    }

    /**
     * The running job of a domain: its migration job ({@code virDomainGetJobStats}, with iterations and dirty
     * rate; {@code virDomainGetJobInfo} when the call is missing), else a block job of one of its disks.
     */
    static Optional<JobProgress> progress(Domain dom) throws LibvirtException {
        Map<String, Object> s = safeStats(dom, 0);
        if (!s.isEmpty()) {
            if (LibvirtNative.num(s, "type", 0) == 0) {
                return blockJob(dom);
            }
            return Optional.of(fromStats(s));
        }
        DomainJobInfo info = dom.getJobInfo();
        if (info.getType() == 0) {
            return blockJob(dom);
        }
        return Optional.of(new JobProgress(MigrationKind.LIVE, info.getDataProcessed(), info.getDataRemaining(),
                info.getDataTotal(), -1, -1, Duration.ofMillis(info.getTimeElapsed()), info.getMemProcessed(),
                info.getMemTotal()));
    }

    /** Progress of a migration job from its statistics. */
    static JobProgress fromStats(Map<String, Object> s) {
        long page = LibvirtNative.num(s, "memory_page_size", 4096);
        long dirtyPages = LibvirtNative.num(s, "memory_dirty_rate", -1);
        return new JobProgress(MigrationKind.LIVE, LibvirtNative.num(s, "data_processed", -1),
                LibvirtNative.num(s, "data_remaining", -1), LibvirtNative.num(s, "data_total", -1),
                LibvirtNative.num(s, "memory_iteration", 0), dirtyPages < 0 ? -1 : dirtyPages * page,
                Duration.ofMillis(LibvirtNative.num(s, "time_elapsed", 0)),
                LibvirtNative.num(s, "memory_processed", -1), LibvirtNative.num(s, "memory_total", -1));
    }

    /** Raw statistics of the running job, or empty when the call is missing or failed. */
    static Map<String, Object> running(Domain dom) {
        return safeStats(dom, 0);
    }

    /** Statistics of the last completed job (downtime, iterations, bytes), or empty when the host has none. */
    static Map<String, Object> completed(Domain dom) {
        return safeStats(dom, LibvirtNative.JOB_STATS_COMPLETED);
    }

    /** The statistics as strings, for reports. */
    static Map<String, String> asStrings(Map<String, Object> stats) {
        Map<String, String> out = new LinkedHashMap<>();
        stats.forEach((k, v) -> out.put(k, String.valueOf(v)));
        return out;
    }

    private static Map<String, Object> safeStats(Domain dom, int flags) {
        try {
            return LibvirtNative.jobStats(dom, flags);
        } catch (LinkageError | RuntimeException e) {
            return Map.of();
        }
    }

    private static Optional<JobProgress> blockJob(Domain dom) throws LibvirtException {
        DomainXml.Parsed p = DomainXml.parse(dom.getXMLDesc(0));
        for (DomainXml.Disk d : p.disks()) {
            if (d.target() == null || d.source() == null) {
                continue;
            }
            DomainBlockJobInfo b;
            try {
                b = dom.getBlockJobInfo(d.target(), 0);
            } catch (LibvirtException e) {
                continue;
            }
            if (b != null && b.type != 0) {
                return Optional.of(new JobProgress(MigrationKind.STORAGE, b.cur, Math.max(0, b.end - b.cur), b.end, 0,
                        -1, Duration.ZERO));
            }
        }
        return Optional.empty();
    }
}
