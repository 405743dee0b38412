package dev.caravan.runtime;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import dev.caravan.api.journal.Journal;
import dev.caravan.api.journal.TaskRecord;
import dev.caravan.camel.migration.CaravanEndpoint;
import dev.caravan.camel.migration.CaravanOperation;
import dev.caravan.camel.migration.MigrationListener;
import dev.caravan.camel.records.RecordsListener;
import dev.caravan.core.engine.MigrationEngine;
import dev.caravan.core.engine.MigrationOwner;
import dev.caravan.core.engine.RunResult;
import dev.caravan.core.journal.RunSummary;
import dev.caravan.core.records.RecordMigrationResult;
import dev.caravan.core.records.TableMigrationSpec;
import dev.caravan.core.records.TableResult;
import dev.caravan.runtime.metrics.CaravanMetrics;
import dev.caravan.runtime.metrics.MetricsServer;
import dev.caravan.runtime.schedule.BandwidthScheduler;
import dev.caravan.runtime.schedule.Schedule;
import dev.caravan.runtime.schedule.ScheduleComponent;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.apache.camel.Route;
import org.apache.camel.component.quartz.QuartzEndpoint;
import org.quartz.Trigger;
import org.quartz.TriggerKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code caravan serve}: a long-lived service that loads route files (scheduled ones included) and runs them until
 * {@link #stop()}. Schedules are {@code quartz:} routes ({@link ScheduleComponent}); on a PostgreSQL journal Quartz
 * runs clustered on the same database, so each schedule fires once for the whole group of workers, and the other
 * workers join the run it started ({@link RunJoiner}). The state of every schedule goes to the journal database
 * ({@link ScheduleStore}) where {@code caravan status} reads it; metrics and health are served over HTTP
 * ({@link MetricsServer}). {@link #stop()} is Camel's graceful shutdown with {@link ServeOptions#shutdownTimeout()}.
 */
public final class CaravanServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CaravanServer.class);
    /** How long objects in flight get to finish once running migrations are asked to stop (see {@link #stop()}). */
    static final Duration TASK_BOUNDARY_GRACE = Duration.ofSeconds(10);

    private final CaravanRuntime runtime;
    private final ServeOptions options;
    private final ScheduleStore store;
    private final CaravanMetrics metrics;
    private final BandwidthScheduler bandwidth;
    private final RouteSession session;
    private final ScheduledExecutorService background;
    private final Map<String, Schedule> schedules = new LinkedHashMap<>();
    private final Map<String, TriggerKey> triggers = new HashMap<>();
    private final List<MigrationOwner> holds = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final boolean clustered;
    private volatile String down = "starting";
    private RunJoiner joiner;
    private ServeRetention retention;
    private MetricsServer http;

    private CaravanServer(CaravanRuntime runtime, List<Path> files, ServeOptions options, CamelLogging logging) {
        this.runtime = runtime;
        this.options = options;
        MigrationEngine engine = runtime.engine();
        String url = engine.settings().journalUrl();
        this.store = ScheduleStore.open(url);
        this.metrics = new CaravanMetrics(options.worker(), runId -> engine.journal().run(runId)
                .map(RunSummary::description).orElse(null));
        metrics.gauge("caravan_bandwidth_limit_bytes", "The shared bandwidth limit in bytes per second (0: none)",
                () -> engine.bandwidth().rate());
        this.bandwidth = new BandwidthScheduler(engine::bandwidth, Clock.systemDefaultZone(), Duration.ofSeconds(5));
        this.clustered = QuartzCluster.supports(url);
        ScheduleComponent quartz = new ScheduleComponent(false);
        quartz.setPrefixInstanceName(false);
        Map<String, String> props;
        if (clustered) {
            QuartzCluster.ensureTables(url);
            props = QuartzCluster.properties(url, options.worker(), options.clusterCheckin());
        } else {
            props = new HashMap<>(QuartzCluster.local(options.worker()));
            props.put("org.quartz.scheduler.instanceName", "caravan-" + options.worker());
        }
        quartz.setProperties(new HashMap<>(props));
        this.session = new RouteSession(files, runtime::engine, metrics.progress(), logging, quartz);
        ServeTracker tracker = new ServeTracker(options.worker(), store, bandwidth, metrics, this::scheduleOf);
        session.addPolicyFactory(tracker);
        session.caravan().addListener(new MigrationListener() {
            @Override
            public void onRun(RunResult result) {
                recordRun(result);
            }
        });
        session.records().addListener(new RecordsListener() {
            @Override
            public void onRun(TableMigrationSpec spec, RecordMigrationResult r) {
                metrics.onRecordRun(spec.name(), r.outcome().name().toLowerCase(Locale.ROOT),
                        r.tables().stream().mapToLong(TableResult::rows).sum(),
                        r.tables().stream().mapToLong(TableResult::rejected).sum(), r.duration());
            }
        });
        this.background = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "caravan-serve");
            t.setDaemon(true);
            return t;
        });
        try {
            session.load();
            Map<String, RunJoiner.Known> known = collect(session);
            Map<String, Instant> missed = Map.of();
            if (!clustered) {
                holdSchedules(engine);
                missed = MissedFires.find(schedules, store.list(), Instant.now());
            }
            session.startRoutes();
            fireMissed(missed);
            background.scheduleWithFixedDelay(this::publishSchedules, 0, 5, TimeUnit.SECONDS);
            if (options.retention() != null) {
                retention = ServeRetention.start(engine, options.retention(), options.retentionEvery(), metrics);
            }
            if (engine.settings().workerId() != null) {
                joiner = new RunJoiner(engine, known, tracker, metrics.progress(), this::recordRun,
                        options.joinInterval());
            }
            if (options.metricsPort() >= 0) {
                http = MetricsServer.start(options.metricsHost(), options.metricsPort(), metrics, () -> down);
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        down = null;
        LOG.info("serving {} route(s), {} schedule(s), worker {}{}", session.context().getRoutes().size(),
                schedules.size(), options.worker(), clustered ? ", Quartz clustered on the journal database" : "");
    }

    /**
     * Whether several workers can share runs and schedules on this journal: a PostgreSQL database (Quartz clusters
     * on it). An embedded H2 journal belongs to one process.
     */
    public static boolean isSharedJournal(String jdbcUrl) {
        return QuartzCluster.supports(jdbcUrl);
    }

    /** Loads the route files and starts serving them with the runtime's engine. */
    static CaravanServer start(CaravanRuntime runtime, List<Path> files, ServeOptions options, CamelLogging logging) {
        if (files == null || files.isEmpty()) {
            throw MigrationException.userConfig("no route files given");
        }
        return new CaravanServer(runtime, files, options, logging);
    }

    private Map<String, RunJoiner.Known> collect(RouteSession s) {
        Map<String, RunJoiner.Known> known = new HashMap<>();
        for (Route route : s.context().getRoutes()) {
            if (route.getEndpoint() instanceof QuartzEndpoint q) {
                s.quartz().schedule(q).ifPresent(schedule -> {
                    schedules.put(route.getRouteId(), schedule);
                    triggers.put(route.getRouteId(), q.getTriggerKey());
                });
            }
            for (CaravanEndpoint ep : CaravanRuntime.caravanEndpoints(route.navigate(),
                    Collections.newSetFromMap(new IdentityHashMap<>()))) {
                if (ep.getOperation() == CaravanOperation.MIGRATE) {
                    try {
                        var spec = ep.spec(h -> null, route.getRouteId());
                        known.put(spec.migrationId(), new RunJoiner.Known(route.getRouteId(), spec));
                    } catch (MigrationException e) {
                        LOG.debug("route {}: its migration depends on the message: not joinable", route.getRouteId());
                    }
                }
            }
        }
        return known;
    }

    /**
     * Takes every schedule for this process ({@link MigrationOwner}, renewed until {@link #close()}) on a journal that
     * only this machine's processes share: their Quartz is not clustered, so a second serve of the same schedules on
     * the same journal would fire each of them a second time (its runs then refused as "being run by another
     * process"). USER_CONFIG naming the process that serves a schedule already; the hold of a process that died is
     * taken over at once.
     */
    private void holdSchedules(MigrationEngine engine) {
        if (!(engine.journal() instanceof Journal journal)) {
            return;
        }
        for (Map.Entry<String, Schedule> e : schedules.entrySet()) {
            String id = "serve:" + e.getValue().triggerKey();
            try {
                MigrationOwner hold = MigrationOwner.takeOn(journal, id, "schedule " + e.getKey());
                if (hold != null) {
                    holds.add(hold);
                }
            } catch (MigrationException refused) {
                if (refused.kind() != ErrorKind.USER_CONFIG) {
                    throw refused;
                }
                throw MigrationException.userConfig("schedule '" + e.getKey() + "' is served by another caravan serve"
                        + " on this journal now (" + engine.runningIn(id, "-").orElse("another process") + "): stop"
                        + " that one first, or serve these routes with another --home; several serve processes share"
                        + " schedules only on a PostgreSQL journal (--journal jdbc:postgresql://...)");
            }
        }
    }

    /**
     * Fires once now every schedule that missed a fire time while no serve was up ({@link MissedFires}), through
     * its own job: the fire is tracked, held back by a blackout window or a backoff, and never overlaps, as a
     * regular one.
     */
    private void fireMissed(Map<String, Instant> missed) {
        var scheduler = session.quartz().getScheduler();
        for (Map.Entry<String, Instant> m : missed.entrySet()) {
            try {
                Trigger t = scheduler == null ? null : scheduler.getTrigger(triggers.get(m.getKey()));
                if (t != null) {
                    LOG.warn("schedule {} missed its fire time {} while no serve was up: firing once now (misfire"
                            + " fire-once-now)", m.getKey(), m.getValue());
                    scheduler.triggerJob(t.getJobKey());
                }
            } catch (org.quartz.SchedulerException e) {
                LOG.warn("schedule {}: could not fire its missed fire time {}: {}", m.getKey(), m.getValue(),
                        e.getMessage());
            }
        }
    }

    private Schedule scheduleOf(Route route) {
        return route.getEndpoint() instanceof QuartzEndpoint q ? session.quartz().schedule(q).orElse(null) : null;
    }

    private void recordRun(RunResult r) {
        long retries = 0;
        if (r.reportJson() != null) { // the worker that ended the run (or the only one) counts the re-attempts
            try (Stream<TaskRecord> done = runtime.engine().journal().completedBy(r.runId())) {
                retries = done.mapToLong(t -> Math.max(0, t.attempts() - 1)).sum();
            } catch (RuntimeException e) {
                LOG.debug("could not count the re-attempted tasks of {}", r.runId(), e);
            }
        }
        metrics.onRun(r, retries);
    }

    /** Writes every schedule's trigger and next fire time to the journal database. */
    private void publishSchedules() {
        try {
            var scheduler = session.quartz().getScheduler();
            for (Map.Entry<String, Schedule> e : schedules.entrySet()) {
                Trigger t = scheduler == null ? null : scheduler.getTrigger(triggers.get(e.getKey()));
                Instant next = t == null || t.getNextFireTime() == null ? null : t.getNextFireTime().toInstant();
                store.define(e.getKey(), e.getValue().describe(), next, options.worker());
            }
        } catch (Exception e) {
            LOG.warn("could not publish the schedules: {}", e.getMessage());
        }
    }

    /** The schedules being served, by route id. */
    public Map<String, Schedule> schedules() {
        return Collections.unmodifiableMap(schedules);
    }

    /** The state of every schedule of the group, as {@code caravan status} shows it. */
    public List<ScheduleStatus> status() {
        publishSchedules();
        return store.list();
    }

    /** The metrics of this worker. */
    public CaravanMetrics metrics() {
        return metrics;
    }

    /** The port of the metrics endpoint, or -1 when there is none. */
    public int metricsPort() {
        return http == null ? -1 : http.port();
    }

    /** Whether Quartz runs clustered on the journal database. */
    public boolean clustered() {
        return clustered;
    }

    /** {@code null} while serving, else why not (starting, stopping, stopped). */
    public String health() {
        return down;
    }

    /**
     * Stops gracefully within {@link ServeOptions#shutdownTimeout()}: no schedule fires any more, and running
     * migrations get the timeout to finish. In its last part ({@link #taskBoundaryGrace}: 10 s, at most half of it) a
     * migration still running is asked to stop at a task boundary ({@link MigrationEngine#requestStop()}: objects in
     * flight finish, no new one starts); its journal run stays unfinished and the next run resumes it. Whatever still
     * runs at the timeout is stopped when the runtime closes the engine ({@link MigrationEngine#close()}: objects in
     * flight interrupted, left to resume): an object being copied only ever exists under a temporary name, never
     * half-written in place. Idempotent; returns when stopped.
     */
    public void stop() {
        if (!stopping.compareAndSet(false, true)) {
            awaitStop();
            return;
        }
        down = "stopping";
        LOG.info("stopping (up to {} for running migrations)", options.shutdownTimeout());
        try {
            stopBackground();
            if (retention != null) {
                retention.close();
            }
            if (joiner != null) {
                joiner.close();
            }
            long deadline = System.nanoTime() + options.shutdownTimeout().toNanos();
            Duration grace = taskBoundaryGrace(options.shutdownTimeout());
            var scheduler = session.quartz().getScheduler();
            if (scheduler != null) {
                scheduler.standby(); // no new fire here; in a group, the other workers fire from now on
            }
            while (busy() && System.nanoTime() < deadline - grace.toNanos()) {
                Thread.sleep(100); // running migrations finish
            }
            if (busy()) {
                LOG.info("running migrations did not finish: stopping them at a task boundary (objects in flight get"
                        + " up to {} to finish)", grace);
                runtime.engine().requestStop(); // objects in flight finish, no new one starts
                while (busy() && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
            }
            if (busy()) {
                LOG.info("running migrations did not stop within {}: the engine interrupts them as it closes (the next"
                        + " run resumes them)", options.shutdownTimeout());
            }
            if (scheduler != null) {
                // with nothing running, wait for Quartz's own threads (a clean stop of its job store); never wait
                // for a job that is still running past the timeout
                scheduler.shutdown(!busy());
            }
            var strategy = session.context().getShutdownStrategy();
            strategy.setTimeUnit(TimeUnit.MILLISECONDS);
            strategy.setTimeout(Math.max(100, (deadline - System.nanoTime()) / 1_000_000));
            strategy.setShutdownNowOnTimeout(true);
            session.close();
        } catch (org.quartz.SchedulerException e) {
            LOG.warn("stopping the scheduler: {}", e.getMessage());
            session.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            session.close();
        } finally {
            close();
        }
    }

    /**
     * The last part of the shutdown timeout, in which running migrations stop at a task boundary: {@link
     * #TASK_BOUNDARY_GRACE}, at most half of the timeout. It is part of the timeout, not added to it: a stop never
     * takes much longer than the timeout (it took the timeout plus 10 s when an object in flight did not finish).
     */
    static Duration taskBoundaryGrace(Duration shutdownTimeout) {
        Duration half = shutdownTimeout.dividedBy(2);
        return half.compareTo(TASK_BOUNDARY_GRACE) < 0 ? half : TASK_BOUNDARY_GRACE;
    }

    /** Whether {@link #stop()} (or {@link #close()}) was called. */
    public boolean stopRequested() {
        return stopping.get();
    }

    private boolean busy() {
        return session.context().getInflightRepository().size() > 0 || joiner != null && joiner.busy();
    }

    /**
     * Stops publishing the schedule state, letting a write in progress finish: never by interrupting it, since an H2
     * write interrupted that way closes the embedded journal's file for the whole process ("The database has been
     * closed"), and the runs still finishing in a graceful stop could no longer be recorded.
     */
    private void stopBackground() {
        background.shutdown();
        try {
            if (!background.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.warn("the schedule state was still being written after 10 s; not waiting for it any longer");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Blocks until {@link #stop()} has finished. */
    public void awaitStop() {
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        down = "stopped";
        if (stopping.compareAndSet(false, true)) {
            session.close();
        }
        stopBackground();
        if (retention != null) {
            retention.close();
        }
        if (joiner != null) {
            joiner.close();
        }
        if (http != null) {
            http.close();
        }
        bandwidth.close();
        holds.forEach(MigrationOwner::close);
        holds.clear();
        try {
            store.stopped(options.worker()); // status shows at once that this worker serves nothing any more
        } catch (RuntimeException e) {
            LOG.warn("could not record the stop of worker {} in the schedule state: {}", options.worker(),
                    e.getMessage());
        }
        store.close();
        stopped.countDown();
    }
}
