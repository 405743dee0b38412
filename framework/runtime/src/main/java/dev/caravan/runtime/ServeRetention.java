package dev.caravan.runtime;

import dev.caravan.core.engine.MigrationEngine;
import dev.caravan.core.journal.JdbcJournal;
import dev.caravan.core.journal.JournalPruning;
import dev.caravan.core.report.RetentionPass;
import dev.caravan.runtime.metrics.CaravanMetrics;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The retention {@code caravan serve} applies to its own journal ({@link ServeOptions#retention()}), one pass each
 * {@link ServeOptions#retentionEvery()} on the server's background thread: the same pass as {@code caravan prune}
 * ({@link RetentionPass}), so a schedule that fires every night no longer grows the journal and the report directory
 * forever. A migration running at that moment is left alone (its hold), and so are the runs that later commands
 * read ({@link JournalPruning}). The embedded journal's file is not compacted here (that would stall a migration
 * running meanwhile): H2 reuses the freed space, and compacts a sparse file when the server stops. A pass that fails
 * is logged and tried again at the next one; it never stops the server. Passes run on a thread of their own, which
 * {@link #close()} lets finish its pass (never interrupted in the middle of the journal's transaction).
 */
final class ServeRetention implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ServeRetention.class);

    private final MigrationEngine engine;
    private final JournalPruning.Retention retention;
    private final Duration every;
    private final AtomicLong runsPruned = new AtomicLong();
    private final AtomicLong lastPass = new AtomicLong();
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "caravan-retention");
        t.setDaemon(true);
        return t;
    });

    /** Starts the passes: the first one a little after the start, then one each {@code every}. */
    static ServeRetention start(MigrationEngine engine, JournalPruning.Retention retention, Duration every,
            CaravanMetrics metrics) {
        ServeRetention r = new ServeRetention(engine, retention, every, metrics);
        r.thread.scheduleWithFixedDelay(r::pass, r.firstDelay().toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
        return r;
    }

    private ServeRetention(MigrationEngine engine, JournalPruning.Retention retention, Duration every,
            CaravanMetrics metrics) {
        this.engine = engine;
        this.retention = retention;
        this.every = every;
        metrics.gauge("caravan_retention_pruned_runs", "Runs the retention pruned from the journal since the start",
                runsPruned::get);
        metrics.gauge("caravan_retention_last_pass_seconds", "When the retention last completed a pass (Unix time,"
                + " 0: not yet)", lastPass::get);
    }

    /** The delay before the first pass: a little after the start, so that it never slows the start of the routes. */
    Duration firstDelay() {
        Duration minute = Duration.ofMinutes(1);
        return every.compareTo(minute) < 0 ? every : minute;
    }

    /** One pass now. */
    void pass() {
        if (!(engine.journal() instanceof JdbcJournal journal)) {
            return;
        }
        try {
            RetentionPass.Outcome outcome = RetentionPass.apply(journal, engine.settings().reportDir(), retention,
                    false, RetentionPass.owner("serve-retention"));
            JournalPruning.Result r = outcome.pruning();
            int changed = outcome.changedRuns().size();
            if (changed > 0) {
                runsPruned.addAndGet(changed);
                LOG.info("retention (keep {} runs{}): pruned {} run(s) ({} removed, the others kept as the record of"
                        + " their newest copies), {} task rows, {} report files", retention.keepRuns(),
                        retention.olderThan() == null ? "" : ", older than " + retention.olderThan(), changed,
                        r.runsRemoved(), r.tasksRemoved(), outcome.reportFiles().size());
            }
            r.heldMigrations().forEach(m -> LOG.debug("retention: migration {} is running: left for the next pass", m));
            lastPass.set(System.currentTimeMillis() / 1000);
        } catch (RuntimeException e) {
            LOG.warn("retention: the pass failed ({}); tried again in {}", e.getMessage(), every);
        }
    }

    /** No further pass; waits up to 30 s for one in progress to end. */
    @Override
    public void close() {
        thread.shutdown();
        try {
            if (!thread.awaitTermination(30, TimeUnit.SECONDS)) {
                LOG.warn("retention: a pass still runs after 30 s; the server stops without waiting for it");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
