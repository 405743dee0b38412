package dev.caravan.camel.objects;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import dev.caravan.api.journal.RunInfo;
import dev.caravan.api.journal.RunOutcome;
import dev.caravan.api.journal.TaskRecord;
import dev.caravan.api.journal.TaskReport;
import dev.caravan.api.journal.TaskSpec;
import dev.caravan.api.journal.TaskState;
import dev.caravan.core.journal.JdbcJournal;
import dev.caravan.core.plan.CopyFacts;
import dev.caravan.core.plan.PlannedTask;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.apache.camel.Exchange;
import org.apache.camel.spi.Synchronization;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One consumer pass kept in the journal, the way camel-file's process strategy keeps a file: the pass is a run,
 * each object a task that is begun when its exchange is emitted and committed (DONE) or failed when the exchange
 * completes or fails. The run is finished once the pass has emitted everything and the last exchange is done; a
 * pass cut short (the route stopped) leaves it unfinished, and the next pass takes it up, skipping the tasks it
 * already did. Thread-safe: exchanges may complete on other threads.
 */
final class JournalPass {
    private static final Logger LOG = LoggerFactory.getLogger(JournalPass.class);
    private static final Set<TaskState> OPEN = EnumSet.of(TaskState.PENDING, TaskState.RUNNING);

    private final JdbcJournal journal;
    private final RunInfo run;
    private final AtomicInteger inflight = new AtomicInteger();
    private final AtomicLong done = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong verificationFailed = new AtomicLong();
    private final AtomicBoolean listed = new AtomicBoolean();
    private final AtomicBoolean finished = new AtomicBoolean();

    private JournalPass(JdbcJournal journal, RunInfo run) {
        this.journal = journal;
        this.run = run;
    }

    /**
     * Starts (or takes up the unfinished) run of a migration and plans the tasks into it; tasks the run already
     * did stay done.
     */
    static JournalPass start(JdbcJournal journal, String migrationId, String description,
            Iterator<PlannedTask> tasks) {
        RunInfo run = journal.startRun(migrationId, description, null);
        journal.plan(run.runId(), new Iterator<TaskSpec>() {
            @Override
            public boolean hasNext() {
                return tasks.hasNext();
            }

            @Override
            public TaskSpec next() {
                return tasks.next().spec();
            }
        });
        LOG.debug("{} run {} of {}", run.resumed() ? "resuming" : "starting", run.runId(), description);
        return new JournalPass(journal, run);
    }

    String runId() {
        return run.runId();
    }

    /** The tasks still to do (pending, or running when a pass was cut short), in task-id order. Close it. */
    Stream<TaskRecord> openTasks() {
        return journal.tasks(run.runId(), OPEN);
    }

    /** Begins a task whose exchange is about to be emitted; the returned hook settles it. */
    Synchronization begin(TaskSpec task) {
        journal.begin(run.runId(), task.id());
        inflight.incrementAndGet();
        return new TaskCompletion(task);
    }

    /** Completes a task the consumer did itself (removing a temporary leftover). */
    void complete(TaskSpec task, Map<String, String> report) {
        journal.begin(run.runId(), task.id());
        journal.complete(run.runId(), task.id(), new TaskReport(0, report));
        done.incrementAndGet();
    }

    /** Marks a task that turned out unnecessary (its object is gone since planning). */
    void skip(TaskSpec task, String reason) {
        journal.skip(task.id(), reason);
    }

    /** Every open task was emitted: the run finishes when the last exchange is done. */
    void listed() {
        listed.set(true);
        finishIfDone();
    }

    private void finishIfDone() {
        if (listed.get() && inflight.get() == 0 && finished.compareAndSet(false, true)) {
            long f = failed.get();
            RunOutcome outcome = f == 0 ? RunOutcome.COMPLETE
                    : f == verificationFailed.get() ? RunOutcome.VERIFICATION_FAILED : RunOutcome.FAILED;
            journal.finishRun(run.runId(), outcome, Map.of());
            LOG.info("run {}: {} ({} done, {} failed)", run.runId(), outcome, done.get(), f);
        }
    }

    /** Commits or fails one task with its exchange; settles once whatever calls it. */
    private final class TaskCompletion implements Synchronization {
        private final TaskSpec task;
        private final AtomicBoolean settled = new AtomicBoolean();

        TaskCompletion(TaskSpec task) {
            this.task = task;
        }

        @Override
        public void onComplete(Exchange exchange) {
            if (!settled.compareAndSet(false, true)) {
                return;
            }
            try {
                journal.complete(run.runId(), task.id(), report(exchange));
                done.incrementAndGet();
            } finally {
                inflight.decrementAndGet();
                finishIfDone();
            }
        }

        @Override
        public void onFailure(Exchange exchange) {
            if (!settled.compareAndSet(false, true)) {
                return;
            }
            try {
                Exception e = exchange.getException();
                MigrationException m = find(e);
                ErrorKind kind = m != null ? m.kind() : ErrorKind.FATAL;
                String message = m != null ? m.getMessage()
                        : e == null ? "the exchange was rolled back" : String.valueOf(e);
                journal.fail(run.runId(), task.id(), kind.name(), message);
                failed.incrementAndGet();
                if (kind == ErrorKind.VERIFICATION_FAILED) {
                    verificationFailed.incrementAndGet();
                }
            } finally {
                inflight.decrementAndGet();
                finishIfDone();
            }
        }

        private TaskReport report(Exchange exchange) {
            Map<String, String> values = new LinkedHashMap<>();
            if (exchange.getFromRouteId() != null) {
                values.put("camel.route", exchange.getFromRouteId());
            }
            String sha = exchange.getMessage().getHeader(ObjectsConstants.SHA256, String.class);
            if (sha != null) {
                values.put(CopyFacts.SHA256, sha);
            }
            String method = exchange.getMessage().getHeader(ObjectsConstants.COPY_METHOD, String.class);
            if (method != null) {
                values.put("copy.method", method);
            }
            boolean transfer = PlannedTask.COPY.equals(task.action()) || PlannedTask.REPLACE.equals(task.action());
            return new TaskReport(transfer ? Math.max(0, task.size()) : 0, values);
        }
    }

    private static MigrationException find(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof MigrationException m) {
                return m;
            }
        }
        return null;
    }
}
