package dev.caravan.core.engine;

import dev.caravan.api.journal.Checkpoint;
import dev.caravan.api.journal.Journal;
import dev.caravan.api.journal.RunInfo;
import dev.caravan.api.journal.RunOutcome;
import dev.caravan.api.journal.TaskId;
import dev.caravan.api.journal.TaskRecord;
import dev.caravan.api.journal.TaskReport;
import dev.caravan.api.journal.TaskSpec;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;

/** A journal that keeps nothing: single-object copies outside a run (a Camel producer step) use it. */
final class DetachedJournal implements Journal {
    static final DetachedJournal INSTANCE = new DetachedJournal();

    @Override
    public RunInfo startRun(String migrationId, String description) {
        return new RunInfo("detached", migrationId, Instant.now(), false, Map.of());
    }

    @Override
    public void plan(String runId, Iterator<TaskSpec> tasks) {
        tasks.forEachRemaining(t -> { });
    }

    @Override
    public Optional<TaskRecord> task(TaskId id) {
        return Optional.empty();
    }

    @Override
    public void begin(String runId, TaskId id) {
    }

    @Override
    public void checkpoint(TaskId id, Checkpoint checkpoint) {
    }

    @Override
    public void complete(String runId, TaskId id, TaskReport report) {
    }

    @Override
    public void fail(String runId, TaskId id, String errorKind, String message) {
    }

    @Override
    public void finishRun(String runId, RunOutcome outcome, Map<String, String> nextRunState) {
    }

    @Override
    public void close() {
    }
}
