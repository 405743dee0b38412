package dev.caravan.connector.libvirt;

import dev.caravan.api.vm.LiveMigrationOptions;
import dev.caravan.api.vm.LiveMigrationOptions.TimeoutAction;
import dev.caravan.api.vm.MigrationKind;
import dev.caravan.api.vm.PreflightCheck;
import dev.caravan.api.vm.PreflightCheck.Status;
import dev.caravan.api.vm.VmDescription;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.libvirt.Domain;

/**
 * The bandwidth check of the preflight: a time forecast of the move and, for live moves, whether pre-copy can
 * converge for the guest's memory dirty rate (sampled by QEMU through {@code virDomainStartDirtyRateCalc} when
 * asked). Model: each pre-copy pass sends what the previous pass left dirty; the switch-over happens when the rest
 * fits in the maximum downtime, so it converges only when the dirty rate is below the bandwidth.
 */
final class Forecast {
    /** QEMU's default downtime limit. */
    static final Duration DEFAULT_DOWNTIME = Duration.ofMillis(300);
    private static final int MAX_PASSES = 100;

    /**
     * An estimate.
     *
     * @param converges  whether pre-copy reaches the downtime limit
     * @param iterations memory passes
     * @param seconds    estimated duration (disk copy + memory passes), {@code NaN} when it does not converge
     */
    record Estimate(boolean converges, int iterations, double seconds) {
    }

    private Forecast() {
    }

    static void check(LibvirtHypervisor source, VmDescription d, MigrationKind kind, LiveMigrationOptions o,
            List<PreflightCheck> checks) {
        long bw = bandwidth(o);
        String bwText = bw == 0 ? "unknown" : mib(bw) + " MiB/s (" + (o.linkBandwidthBytesPerSec() > 0
                ? "declared link bandwidth" : "migration bandwidth limit") + ")";
        if (kind == MigrationKind.COLD) {
            long bytes = d.diskBytes();
            checks.add(bw == 0
                    ? new PreflightCheck("forecast", Status.WARN, "cold copy of " + mib(bytes) + " MiB of disks; "
                            + "bandwidth unknown: declare the link bandwidth for a time forecast")
                    : new PreflightCheck("forecast", Status.PASS, String.format(Locale.ROOT,
                            "cold copy of %d MiB at %s: about %.1f s plus shutdown and boot", mib(bytes), bwText,
                            bytes / (double) bw)));
            return;
        }
        long dirty = sampleDirtyRate(source, d.name(), o.dirtyRateSample());
        long disk = o.sharedDisk() ? 0 : d.diskBytes();
        Duration downtime = o.maxDowntime() == null ? DEFAULT_DOWNTIME : o.maxDowntime();
        String dirtyText = dirty < 0 ? "dirty rate not sampled" : "dirty rate " + mib(dirty) + " MiB/s";
        if (bw == 0) {
            checks.add(new PreflightCheck("forecast", Status.WARN, "bandwidth unknown (declare linkBandwidth or "
                    + "set a bandwidth limit): memory " + mib(d.memoryBytes()) + " MiB, disks " + mib(disk)
                    + " MiB, " + dirtyText));
            return;
        }
        Estimate e = estimate(d.memoryBytes(), disk, Math.max(0, dirty), bw, downtime);
        Optional<Duration> timeout = o.completionTimeoutFor(d.memoryBytes(), disk);
        if (e.converges()) {
            boolean late = timeout.isPresent() && e.seconds() > timeout.get().toSeconds();
            checks.add(new PreflightCheck("forecast", late ? Status.WARN : Status.PASS, String.format(Locale.ROOT,
                    "about %.1f s: %d MiB of disks then %d memory passes over %d MiB at %s, %s, downtime limit "
                            + "%d ms", e.seconds(), mib(disk), e.iterations(), mib(d.memoryBytes()), bwText,
                    dirtyText, downtime.toMillis()) + (late ? "; longer than the completion timeout of "
                            + timeout.get().toSeconds() + " s, which would " + o.timeoutAction().name()
                                    .toLowerCase(Locale.ROOT) + " it (raise completionTimeout)" : "")));
            return;
        }
        String rescue = o.autoConverge() ? "auto-converge (CPU throttling)" : o.postCopy() ? "post-copy"
                : timeout.isPresent() && o.timeoutAction() == TimeoutAction.SUSPEND
                        ? "suspending the guest at the completion timeout" : null;
        checks.add(new PreflightCheck("forecast", rescue != null ? Status.WARN : Status.FAIL,
                "pre-copy cannot converge: " + dirtyText + " against " + bwText + (rescue != null
                        ? "; relying on " + rescue
                        : "; enable autoConverge or postCopy, set a completion timeout with action suspend, "
                                + "or raise the bandwidth")));
    }

    /** The bandwidth the forecast uses: the smaller of the declared link and the limit, whichever are set. */
    static long bandwidth(LiveMigrationOptions o) {
        long link = o.linkBandwidthBytesPerSec();
        long limit = o.bandwidthBytesPerSec();
        if (link > 0 && limit > 0) {
            return Math.min(link, limit);
        }
        return Math.max(link, limit);
    }

    static Estimate estimate(long memory, long disk, long dirty, long bw, Duration downtime) {
        double ratio = (double) dirty / bw;
        if (ratio >= 1) {
            return new Estimate(false, 0, Double.NaN);
        }
        double stopBytes = bw * (downtime.toMillis() / 1000.0);
        double seconds = disk / (double) bw;
        double remaining = memory;
        int passes = 0;
        do {
            seconds += remaining / bw;
            remaining *= ratio;
            passes++;
        } while (remaining > stopBytes && passes < MAX_PASSES);
        if (remaining > stopBytes) {
            return new Estimate(false, passes, Double.NaN);
        }
        return new Estimate(true, passes, seconds + remaining / bw);
    }

    /** Samples the guest's dirty rate for {@code sample}; -1 when not asked or not supported. */
    static long sampleDirtyRate(LibvirtHypervisor source, String name, Duration sample) {
        if (sample == null || sample.isZero() || sample.isNegative()) {
            return -1;
        }
        int seconds = (int) Math.max(1, (sample.toMillis() + 999) / 1000);
        try {
            Domain dom = source.domain(name);
            if (LibvirtNative.startDirtyRateCalc(dom, seconds) < 0) {
                return -1;
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(seconds + 10L).toNanos();
            Thread.sleep(seconds * 1000L);
            while (System.nanoTime() < deadline) {
                Map<String, Object> s = LibvirtNative.domainStats(dom, LibvirtNative.STATS_DIRTYRATE);
                if (LibvirtNative.num(s, "dirtyrate.calc_status", -1) == 2) {
                    return LibvirtNative.num(s, "dirtyrate.megabytes_per_second", -1) << 20;
                }
                Thread.sleep(200);
            }
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        } catch (Exception | LinkageError e) {
            return -1;
        }
    }

    private static long mib(long bytes) {
        return bytes >> 20;
    }
}
