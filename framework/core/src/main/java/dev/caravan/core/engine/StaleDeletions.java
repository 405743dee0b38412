package dev.caravan.core.engine;

import dev.caravan.api.journal.TaskRecord;
import dev.caravan.api.journal.TaskReport;
import dev.caravan.api.journal.TaskState;
import dev.caravan.api.store.ObjectStore;
import dev.caravan.core.journal.JdbcJournal;
import dev.caravan.core.plan.PlannedTask;
import java.util.EnumSet;
import java.util.Map;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletions an interrupted process did whose records it had not written yet (the journal writes completions behind,
 * within a fraction of a second: a sync's deletions on the target, a move's {@code DELETE_SOURCE}). When the run goes
 * on, the plan made again has nothing to do about those objects (they are gone) and leaves their tasks out
 * ({@link JdbcJournal#LEFT_OUT_OF_PLAN}); each is recorded done here once its object is seen gone, so that the run's
 * report lists every object the run deleted. One whose object is there again (a new object under that key, which
 * the new plan decided about) stays skipped, and is never deleted.
 */
final class StaleDeletions {
    private static final Logger LOG = LoggerFactory.getLogger(StaleDeletions.class);
    /** The report value of a deletion found done: the object was gone when the run went on. */
    static final String FOUND_DONE = "delete.foundDone";

    private StaleDeletions() {
    }

    /** Settles the run's deletions left out of its new plan; returns how many were found done. */
    static int settle(JdbcJournal journal, String runId, ObjectStore source, ObjectStore target) {
        int done = 0;
        int back = 0;
        try (Stream<TaskRecord> skipped = journal.tasks(runId, EnumSet.of(TaskState.SKIPPED))) {
            for (TaskRecord task : (Iterable<TaskRecord>) skipped.filter(StaleDeletions::leftOut)::iterator) {
                String key = task.spec().item();
                ObjectStore store = PlannedTask.DELETE_SOURCE.equals(task.spec().action()) ? source : target;
                if (store.stat(key).isEmpty()) {
                    journal.complete(runId, task.spec().id(), new TaskReport(0, Map.of(FOUND_DONE, "true")));
                    done++;
                } else {
                    journal.skip(task.spec().id(), "not deleted: " + key + " is in " + store.uri() + " again, and"
                            + " the plan made when the run went on decided about it");
                    back++;
                }
            }
        }
        if (done + back > 0) {
            LOG.info("run {}: {} deletion(s) done before the interruption recorded now{}", runId, done,
                    back == 0 ? "" : "; " + back + " left undone, their objects being there again");
        }
        return done;
    }

    private static boolean leftOut(TaskRecord task) {
        return JdbcJournal.LEFT_OUT_OF_PLAN.equals(task.error())
                && (PlannedTask.DELETE.equals(task.spec().action())
                || PlannedTask.DELETE_SOURCE.equals(task.spec().action()));
    }
}
