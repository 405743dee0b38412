package dev.caravan.core.engine;

import dev.caravan.api.journal.RunInfo;
import dev.caravan.core.journal.JournalQueries;
import dev.caravan.core.journal.RunSummary;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reads a run's progress from the journal at a fixed interval and hands it to a listener. */
final class ProgressReporter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ProgressReporter.class);

    private final JournalQueries journal;
    private final RunInfo run;
    private final ProgressListener listener;
    private final Instant started = Instant.now();
    private final ScheduledExecutorService timer;
    private volatile Progress.Phase phase = Progress.Phase.PLANNING;

    ProgressReporter(JournalQueries journal, RunInfo run, ProgressListener listener, Duration interval) {
        this.journal = journal;
        this.run = run;
        this.listener = listener;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "caravan-progress");
            t.setDaemon(true);
            return t;
        });
        if (listener != ProgressListener.NONE) {
            long ms = Math.max(50, interval.toMillis());
            timer.scheduleAtFixedRate(this::report, ms, ms, TimeUnit.MILLISECONDS);
        }
    }

    void phase(Progress.Phase value) {
        this.phase = value;
    }

    private void report() {
        try {
            listener.onProgress(snapshot());
        } catch (RuntimeException e) {
            LOG.debug("progress report failed", e);
        }
    }

    Progress snapshot() {
        RunSummary s = journal.run(run.runId()).orElse(null);
        Duration elapsed = Duration.between(started, Instant.now());
        if (s == null) {
            return new Progress(run.runId(), phase, 0, 0, 0, 0, 0, elapsed);
        }
        return new Progress(run.runId(), phase, s.tasksDone() + s.tasksFailed(), s.tasksTotal(), s.bytesDone(),
                s.bytesTotal(), s.tasksFailed(), elapsed);
    }

    @Override
    public void close() {
        timer.shutdownNow();
        if (listener != ProgressListener.NONE) {
            phase = Progress.Phase.DONE;
            report();
        }
    }
}
