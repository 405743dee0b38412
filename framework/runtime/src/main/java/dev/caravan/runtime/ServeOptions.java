package dev.caravan.runtime;

import dev.caravan.core.journal.JournalPruning;
import java.time.Duration;
import java.util.Objects;

/**
 * How {@code caravan serve} runs.
 *
 * @param worker          this process's name in the group (metrics, schedule state, Quartz instance id)
 * @param metricsHost     address of the {@code /metrics} and {@code /health} endpoint
 * @param metricsPort     its port; 0 for any free port, -1 for no endpoint
 * @param shutdownTimeout how long running migrations get to finish on SIGTERM before the process stops anyway
 *                        (an unfinished run is resumed by the next one; no partial object is ever in place)
 * @param joinInterval    how often a shared worker looks for runs of its migrations started by another worker
 * @param clusterCheckin  Quartz cluster check-in interval (how fast a dead worker's fired trigger is recovered)
 * @param retention       the journal's retention, applied by the server itself every {@code retentionEvery} (as
 *                        {@code caravan prune} would); {@code null}: none, the journal keeps every run
 * @param retentionEvery  how often the retention is applied (the first pass a little after the start)
 */
public record ServeOptions(String worker, String metricsHost, int metricsPort, Duration shutdownTimeout,
        Duration joinInterval, Duration clusterCheckin, JournalPruning.Retention retention, Duration retentionEvery) {

    public ServeOptions {
        Objects.requireNonNull(worker, "worker");
        metricsHost = metricsHost == null || metricsHost.isBlank() ? "127.0.0.1" : metricsHost;
        shutdownTimeout = shutdownTimeout == null ? Duration.ofSeconds(30) : shutdownTimeout;
        joinInterval = joinInterval == null ? Duration.ofSeconds(2) : joinInterval;
        clusterCheckin = clusterCheckin == null ? Duration.ofSeconds(7) : clusterCheckin;
        retentionEvery = retentionEvery == null ? Duration.ofHours(1) : retentionEvery;
        if (retentionEvery.isNegative() || retentionEvery.isZero()) {
            throw new IllegalArgumentException("the retention's interval must be positive, not " + retentionEvery);
        }
    }

    /** Defaults: metrics on 127.0.0.1:9464, 30 s to finish on SIGTERM. */
    public static ServeOptions of(String worker) {
        return new ServeOptions(worker, "127.0.0.1", 9464, null, null, null, null, null);
    }

    public ServeOptions withMetrics(String host, int port) {
        return new ServeOptions(worker, host, port, shutdownTimeout, joinInterval, clusterCheckin,
                retention, retentionEvery);
    }

    public ServeOptions withShutdownTimeout(Duration value) {
        return new ServeOptions(worker, metricsHost, metricsPort, value, joinInterval, clusterCheckin,
                retention, retentionEvery);
    }

    public ServeOptions withJoinInterval(Duration value) {
        return new ServeOptions(worker, metricsHost, metricsPort, shutdownTimeout, value, clusterCheckin,
                retention, retentionEvery);
    }

    public ServeOptions withClusterCheckin(Duration value) {
        return new ServeOptions(worker, metricsHost, metricsPort, shutdownTimeout, joinInterval, value,
                retention, retentionEvery);
    }

    /** Applies {@code value} to the journal every {@code every} ({@code null}: the default, hourly). */
    public ServeOptions withRetention(JournalPruning.Retention value, Duration every) {
        return new ServeOptions(worker, metricsHost, metricsPort, shutdownTimeout, joinInterval, clusterCheckin,
                value, every);
    }

    /** {@code hostname-pid}, the default worker name. */
    public static String defaultWorker() {
        String host = System.getenv("HOSTNAME");
        if (host == null || host.isBlank()) {
            try {
                host = java.net.InetAddress.getLocalHost().getHostName();
            } catch (java.io.IOException e) {
                host = "worker";
            }
        }
        return host + "-" + ProcessHandle.current().pid();
    }
}
