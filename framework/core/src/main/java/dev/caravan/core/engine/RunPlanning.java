package dev.caravan.core.engine;

import dev.caravan.api.journal.RunInfo;
import dev.caravan.api.journal.TaskSpec;
import dev.caravan.api.store.ObjectStore;
import dev.caravan.core.journal.JdbcJournal;
import dev.caravan.core.plan.MigrationSpec;
import dev.caravan.core.plan.PlanSummary;
import dev.caravan.core.plan.PlannedTask;
import dev.caravan.core.plan.Planner;
import java.util.Iterator;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Plans a run into the journal ({@link MigrationEngine#planInto}) and logs what the listings left out. */
final class RunPlanning {
    private static final Logger LOG = LoggerFactory.getLogger(MigrationEngine.class);

    private RunPlanning() {
    }

    /**
     * Writes the tasks of {@code spec}'s plan into {@code run}, showing each to {@code onTask}; {@code alone}: no other
     * worker reads the plan from the journal ({@link JdbcJournal#planAlone}). Returns the plan's totals.
     */
    static PlanSummary into(JdbcJournal journal, RunInfo run, MigrationSpec spec, ObjectStore source,
            ObjectStore target, boolean alone, Consumer<TaskSpec> onTask) {
        try (Planner planner = new Planner(spec, source, target, journal)) {
            Iterator<PlannedTask> tasks = planner.tasks();
            Iterator<TaskSpec> specs = new Iterator<>() {
                @Override
                public boolean hasNext() {
                    return tasks.hasNext();
                }

                @Override
                public TaskSpec next() {
                    TaskSpec next = tasks.next().spec();
                    onTask.accept(next);
                    return next;
                }
            };
            if (alone) {
                journal.planAlone(run.runId(), specs);
            } else {
                journal.plan(run.runId(), specs);
            }
            Preflight.listingNotes(source, target).forEach(note -> LOG.warn("{}", note));
            Stream.of(source, target).flatMap(side -> Preflight.unlisted(side).stream())
                    .forEach(unread -> LOG.warn("{}", unread.detail()));
            PlanSummary summary = planner.summary();
            Preflight.listedMissing(source, summary).ifPresent(missing -> LOG.warn("{}", missing.detail()));
            return summary;
        }
    }
}
