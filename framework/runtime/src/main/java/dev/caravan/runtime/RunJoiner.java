package dev.caravan.runtime;

import dev.caravan.core.engine.MigrationEngine;
import dev.caravan.core.engine.ProgressListener;
import dev.caravan.core.engine.RunResult;
import dev.caravan.core.journal.JdbcJournal;
import dev.caravan.core.plan.MigrationSpec;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes a {@code caravan serve} worker help with the runs of its migrations that another worker started: clustered
 * Quartz fires a schedule on one worker only, and the others find the run in the journal
 * ({@code Leases.activeRuns}) and join it with {@link MigrationEngine#joinActive}, claiming task partitions like the
 * worker that started it. Never starts a run itself.
 */
final class RunJoiner implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RunJoiner.class);

    /** A migration of this worker's routes: the route that runs it and its spec. */
    record Known(String routeId, MigrationSpec spec) {
    }

    private final MigrationEngine engine;
    private final Map<String, Known> known;
    private final ServeTracker tracker;
    private final ProgressListener progress;
    private final Consumer<RunResult> results;
    private final ScheduledExecutorService poller;
    private final ExecutorService helpers;
    private final java.util.concurrent.atomic.AtomicInteger running = new java.util.concurrent.atomic.AtomicInteger();

    RunJoiner(MigrationEngine engine, Map<String, Known> known, ServeTracker tracker, ProgressListener progress,
            Consumer<RunResult> results, Duration every) {
        this.engine = engine;
        this.known = Map.copyOf(known);
        this.tracker = tracker;
        this.progress = progress;
        this.results = results;
        this.poller = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "caravan-join-poll"));
        this.helpers = Executors.newCachedThreadPool(r -> daemon(r, "caravan-join"));
        long ms = Math.max(100, every.toMillis());
        poller.scheduleWithFixedDelay(this::poll, ms, ms, TimeUnit.MILLISECONDS);
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    private void poll() {
        try {
            if (known.isEmpty()) {
                return;
            }
            if (engine.stopRequested()) {
                return;
            }
            for (String migrationId : ((JdbcJournal) engine.journal()).leases().activeRuns().keySet()) {
                Known k = known.get(migrationId);
                if (k != null && tracker.enter(k.routeId())) {
                    helpers.execute(() -> help(k));
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("could not look for shared runs to join: {}", e.getMessage());
        }
    }

    /** Whether a run of another worker is being helped with right now. */
    boolean busy() {
        return running.get() > 0;
    }

    private void help(Known k) {
        running.incrementAndGet();
        try {
            engine.joinActive(k.spec(), progress).ifPresent(r -> {
                LOG.info("worker {} helped with run {} of {}: {} objects", engine.settings().workerId(), r.runId(),
                        k.routeId(), r.copied());
                results.accept(r);
            });
        } catch (RuntimeException e) {
            LOG.warn("helping with a run of {} failed: {}", k.routeId(), e.getMessage());
        } finally {
            running.decrementAndGet();
            tracker.leave(k.routeId());
        }
    }

    @Override
    public void close() {
        poller.shutdownNow();
        helpers.shutdown();
    }
}
