package dev.caravan.runtime.metrics;

import dev.caravan.core.engine.Progress;
import dev.caravan.core.engine.ProgressListener;
import dev.caravan.core.engine.RunResult;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * The metrics of one Caravan process in a Micrometer registry, scraped in Prometheus text format. Fed only from
 * what the engine already reports: every {@link RunResult} ({@link #onRun}) and the progress snapshots of running
 * migrations ({@link #progress()}); nothing is counted inside the engine. Every meter carries the tag
 * {@code worker}; per-migration meters carry {@code migration} (the migration's name). Thread-safe.
 *
 * <p>Counters: {@code caravan_objects_copied_total}, {@code caravan_bytes_copied_total},
 * {@code caravan_objects_deleted_total}, {@code caravan_errors_total} (failed tasks),
 * {@code caravan_retries_total} (tasks this run had to begin again after an interrupted attempt: a killed worker,
 * an expired lease), {@code caravan_runs_total} (tag {@code outcome}); for record migrations (tables, rows)
 * {@code caravan_rows_written_total} and {@code caravan_rows_rejected_total}; timer {@code caravan_run_duration_seconds};
 * gauges of each migration's latest run {@code caravan_run_bytes_done}, {@code caravan_run_bytes_planned},
 * {@code caravan_run_objects_done}, {@code caravan_run_objects_planned}, and {@code caravan_bandwidth_limit_bytes}.
 */
public final class CaravanMetrics {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final String worker;
    private final Function<String, String> migrationOfRun;
    private final Map<String, String> runs = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong[]> gauges = new ConcurrentHashMap<>();

    /**
     * @param worker         this process's worker name
     * @param migrationOfRun the migration name of a run id (looked up once per run for progress gauges)
     */
    public CaravanMetrics(String worker, Function<String, String> migrationOfRun) {
        this.worker = worker;
        this.migrationOfRun = migrationOfRun;
        registry.config().commonTags("worker", worker);
    }

    public String worker() {
        return worker;
    }

    /** Exposes a live value, e.g. the engine's bandwidth limit. */
    public void gauge(String name, String description, LongSupplier value) {
        Gauge.builder(name, value, v -> (double) v.getAsLong()).description(description).strongReference(true)
                .register(registry);
    }

    /**
     * A run ended (on this worker: a shared run reports this worker's share).
     *
     * @param retries tasks begun again after an interrupted attempt, or {@code 0} when unknown
     */
    public void onRun(RunResult r, long retries) {
        Tags tags = Tags.of("migration", name(r.name()));
        Counter.builder("caravan_objects_copied").description("Objects transferred").tags(tags).register(registry)
                .increment(r.copied());
        Counter.builder("caravan_bytes_copied").description("Bytes transferred").baseUnit("bytes").tags(tags)
                .register(registry).increment(r.bytesCopied());
        Counter.builder("caravan_objects_deleted").description("Objects deleted (sync, move)").tags(tags)
                .register(registry).increment(r.deleted());
        Counter.builder("caravan_errors").description("Tasks that failed").tags(tags).register(registry)
                .increment(r.failed());
        Counter.builder("caravan_retries").description("Tasks begun again after an interrupted attempt").tags(tags)
                .register(registry).increment(retries);
        String outcome = r.outcome() == null ? "unknown" : r.outcome().name().toLowerCase(Locale.ROOT);
        Counter.builder("caravan_runs").description("Runs ended, by outcome").tags(tags.and("outcome", outcome))
                .register(registry).increment();
        Timer.builder("caravan_run_duration").description("Wall time of runs").tags(tags).register(registry)
                .record(r.duration());
        runs.remove(r.runId());
    }

    /**
     * A record migration (tables into a database) ended.
     *
     * @param migration the migration's name
     * @param outcome   the run's outcome, e.g. {@code complete}
     * @param written   rows written to the target
     * @param rejected  rows the target refused (in the reject file)
     * @param duration  wall time of the run
     */
    public void onRecordRun(String migration, String outcome, long written, long rejected,
            Duration duration) {
        Tags tags = Tags.of("migration", name(migration));
        Counter.builder("caravan_rows_written").description("Rows (records) written to the target").tags(tags)
                .register(registry).increment(written);
        Counter.builder("caravan_rows_rejected").description("Rows the target refused (reject file)").tags(tags)
                .register(registry).increment(rejected);
        Counter.builder("caravan_runs").description("Runs ended, by outcome").tags(tags.and("outcome", outcome))
                .register(registry).increment();
        if (duration != null) {
            Timer.builder("caravan_run_duration").description("Wall time of runs").tags(tags).register(registry)
                    .record(duration);
        }
    }

    /** A failed exchange or a run that threw before it had a result. */
    public void onFailure(String migration) {
        Counter.builder("caravan_errors").description("Tasks that failed").tags("migration", name(migration))
                .register(registry).increment();
        Counter.builder("caravan_runs").description("Runs ended, by outcome")
                .tags("migration", name(migration), "outcome", "error").register(registry).increment();
    }

    /** The listener that keeps the gauges of running migrations. */
    public ProgressListener progress() {
        return this::onProgress;
    }

    private void onProgress(Progress p) {
        String migration = runs.computeIfAbsent(p.runId(), id -> name(migrationOfRun.apply(id)));
        AtomicLong[] values = gauges.computeIfAbsent(migration, this::register);
        values[0].set(p.bytesDone());
        values[1].set(p.bytesTotal());
        values[2].set(p.itemsDone());
        values[3].set(p.itemsTotal());
        if (p.phase() == Progress.Phase.DONE) {
            runs.remove(p.runId());
        }
    }

    /** Gauges of one migration's latest run: bytes and objects, done and planned. */
    private AtomicLong[] register(String migration) {
        AtomicLong[] v = {new AtomicLong(), new AtomicLong(), new AtomicLong(), new AtomicLong()};
        Tags tags = Tags.of("migration", migration);
        Gauge.builder("caravan_run_bytes_done", v, a -> a[0].get()).tags(tags)
                .description("Bytes done of the migration's latest run").register(registry);
        Gauge.builder("caravan_run_bytes_planned", v, a -> a[1].get()).tags(tags)
                .description("Bytes planned of the migration's latest run").register(registry);
        Gauge.builder("caravan_run_objects_done", v, a -> a[2].get()).tags(tags)
                .description("Objects done of the migration's latest run").register(registry);
        Gauge.builder("caravan_run_objects_planned", v, a -> a[3].get()).tags(tags)
                .description("Objects planned of the migration's latest run").register(registry);
        return v;
    }

    private static String name(String migration) {
        return migration == null || migration.isBlank() ? "unnamed" : migration;
    }

    /** The Prometheus text exposition of every meter. */
    public String scrape() {
        return registry.scrape();
    }

    /** The registry, for embedders that add their own meters. */
    public PrometheusMeterRegistry registry() {
        return registry;
    }
}
