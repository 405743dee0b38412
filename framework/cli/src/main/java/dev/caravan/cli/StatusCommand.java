package dev.caravan.cli;

import dev.caravan.api.error.MigrationException;
import dev.caravan.api.journal.TaskRecord;
import dev.caravan.api.journal.TaskState;
import dev.caravan.camel.vm.VmJournal;
import dev.caravan.core.engine.EngineSettings;
import dev.caravan.core.engine.MigrationEngine;
import dev.caravan.core.journal.RunSummary;
import dev.caravan.runtime.ScheduleStatus;
import dev.caravan.runtime.ScheduleStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code caravan status [RUN_ID]}: recent runs from the journal with their progress, the schedules of
 * {@code caravan serve} (next fire time, last fire and its result), or one run in detail.
 */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"Shows recent runs from the journal (items, bytes, outcome), or one run in detail.",
            "When 'caravan serve' runs schedules on this journal, also every schedule with its next fire time and"
                + " the result of its last fire."})
final class StatusCommand implements Callable<Integer> {

    @ParentCommand
    CaravanCommand root;

    @Parameters(arity = "0..1", paramLabel = "RUN_ID", description = "Show this run in detail.")
    String runId;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "20",
            description = "How many recent runs to list (default: ${DEFAULT-VALUE}).")
    int limit;

    @Override
    public Integer call() {
        Console console = root.console();
        try (MigrationEngine engine = open(root.settings())) {
            if (runId != null) {
                RunSummary run = engine.journal().run(runId).orElseThrow(() -> MigrationException.notFound(
                        "no run '" + runId + "' in the journal (see 'caravan status' for run ids)"));
                details(run, run.finishedAt() == null ? engine.runningIn(run.migrationId(), run.runId()) : Optional.empty())
                        .forEach(console::print);
                vmMemory(engine, run).ifPresent(console::print);
                engine.journal().warnings(run.runId()).forEach(w -> console.print("warning    " + w));
                return Main.OK;
            }
            List<ScheduleStatus> schedules = ScheduleStore.read(engine.settings().journalUrl());
            if (!schedules.isEmpty()) {
                console.out().print(schedules(schedules, Instant.now()));
                console.out().println();
            }
            List<RunSummary> runs = engine.journal().runs(Math.max(1, limit));
            if (runs.isEmpty()) {
                console.print("no runs in the journal " + engine.settings().journalUrl());
                return Main.OK;
            }
            console.out().print(table(runs));
            console.out().flush();
            return Main.OK;
        }
    }

    /**
     * Opens the journal; an embedded journal that {@code caravan serve} holds (it opens it with AUTO_SERVER) is
     * reached through that process.
     */
    static MigrationEngine open(EngineSettings settings) {
        MigrationEngine engine = MigrationEngine.open(settings);
        try {
            return engine.awaitJournal(); // the journal opens in the background: its error comes here
        } catch (MigrationException e) {
            engine.close();
            String url = settings.journalUrl();
            if (url.startsWith("jdbc:h2:file:") && !url.toUpperCase(Locale.ROOT).contains("AUTO_SERVER")
                    && String.valueOf(e.getMessage()).contains("already in use")) {
                return MigrationEngine.open(settings.withJournalUrl(url + ";AUTO_SERVER=TRUE"));
            }
            throw e;
        }
    }

    /**
     * The schedules of the serve group: next fire, last fire and its result; under the table, why the last fire of
     * a schedule failed, and until when a schedule backs off after refused fires.
     */
    static String schedules(List<ScheduleStatus> schedules, Instant now) {
        TextTable t = new TextTable("SCHEDULE", "NEXT FIRE", "LAST FIRE", "WORKER", "RESULT", "RUN", "TRIGGER");
        List<String> notes = new ArrayList<>();
        for (ScheduleStatus s : schedules) {
            String result;
            if (s.lastFired() == null) {
                result = "never fired";
            } else if (s.lastFinished() == null) {
                result = "running";
            } else {
                result = s.lastOutcome() + ", " + Formats.count(s.lastObjects()) + " objects, "
                        + Formats.bytes(s.lastBytes());
            }
            boolean backingOff = s.backoffUntil() != null && s.backoffUntil().isAfter(now);
            // a serve that stopped cleanly said so; one that died is seen by its reports growing old
            boolean stale = s.stoppedAt() == null && s.updatedAt() != null
                    && Duration.between(s.updatedAt(), now).toMinutes() >= 2;
            String next = backingOff && (s.nextFire() == null || s.nextFire().isBefore(s.backoffUntil()))
                    ? Formats.timestamp(s.backoffUntil()) + " (backoff)" : Formats.timestamp(s.nextFire());
            t.row(s.name(), next + (s.stoppedAt() != null ? " (no worker serving it: the last serve stopped at "
                    + Formats.timestamp(s.stoppedAt()) + ")" : stale ? " (no worker seen for "
                    + Formats.duration(Duration.between(s.updatedAt(), now)) + ")" : ""),
                    Formats.timestamp(s.lastFired()), s.lastWorker() == null ? "-" : s.lastWorker(), result,
                    s.lastRunId() == null ? "-" : s.lastRunId(), s.trigger());
            if (s.lastFinished() != null && s.lastError() != null) {
                String reason = s.lastError().replaceAll("\\s*\\R\\s*", " ");
                notes.add(s.name() + ": last fire " + s.lastOutcome() + (s.lastRunId() == null ? ""
                        : " (run " + s.lastRunId() + ")") + ": " + reason + (backingOff ? " ("
                        + s.refusedInARow() + " refused in a row: fires skipped until "
                        + Formats.timestamp(s.backoffUntil()) + ", then tried again)" : ""));
            }
        }
        StringBuilder out = new StringBuilder(t.render());
        notes.forEach(n -> out.append(n).append('\n'));
        return out.toString();
    }

    /** The run list, newest first. */
    static String table(List<RunSummary> runs) {
        TextTable t = new TextTable("RUN", "STARTED", "STATE", "ITEMS", "BYTES", "FAILED", "NAME");
        for (RunSummary r : runs) {
            t.row(r.runId(), Formats.timestamp(r.startedAt()), state(r),
                    Formats.count(r.tasksDone()) + "/" + Formats.count(r.tasksTotal()),
                    Formats.bytes(r.bytesDone()) + "/" + Formats.bytes(r.bytesTotal()),
                    Formats.count(r.tasksFailed()), r.description());
        }
        return t.render();
    }

    /** One run in detail; {@code runningIn}: the process running it now, if one does. */
    static List<String> details(RunSummary r, Optional<String> runningIn) {
        Instant end = r.finishedAt() != null ? r.finishedAt() : Instant.now();
        Duration elapsed = r.startedAt() == null ? null : Duration.between(r.startedAt(), end);
        int pct = r.bytesTotal() > 0 ? Formats.percent(r.bytesDone(), r.bytesTotal())
                : Formats.percent(r.tasksDone(), r.tasksTotal());
        return List.of(
                "run        " + r.runId(),
                "migration  " + r.description() + "  (id " + r.migrationId() + ")",
                "state      " + state(r) + (r.finishedAt() == null ? runningIn.map(p -> "  (running in " + p + ")")
                        .orElse(r.migrationId().startsWith("vm-") ? "  (interrupted: running the move again takes"
                                + " this run up)" : "  (interrupted: 'caravan resume " + r.runId() + "' continues it)")
                        : ""),
                "started    " + Formats.timestamp(r.startedAt()),
                "finished   " + Formats.timestamp(r.finishedAt()) + "  (" + Formats.duration(elapsed)
                        + (r.finishedAt() == null ? " so far)" : ")"),
                "items      " + Formats.count(r.tasksDone()) + "/" + Formats.count(r.tasksTotal()) + " done, "
                        + Formats.count(r.tasksFailed()) + " failed" + (pct >= 0 ? "  (" + pct + "%)" : ""),
                "bytes      " + Formats.bytes(r.bytesDone()) + "/" + Formats.bytes(r.bytesTotal()));
    }

    /**
     * The memory line of a live VM move's run: the memory sent against the guest's, apart from the bytes line (a
     * migration sends again the pages the guest dirtied, so what it sent can exceed the memory by far).
     */
    private static Optional<String> vmMemory(MigrationEngine engine, RunSummary run) {
        if (!run.migrationId().startsWith("vm-")) {
            return Optional.empty();
        }
        try (Stream<TaskRecord> tasks = engine.journal().tasks(run.runId(), EnumSet.allOf(TaskState.class))) {
            return tasks.findFirst().flatMap(VmJournal::memory).map(StatusCommand::memoryLine);
        }
    }

    static String memoryLine(VmJournal.MemoryFigures m) {
        return "memory     " + Formats.bytes(m.sentBytes()) + " sent for " + Formats.bytes(m.totalBytes())
                + " of guest memory in " + m.passes() + (m.passes() == 1 ? " pass" : " passes")
                + (m.passes() > 1 ? " (each pass sends again what the guest changed meanwhile)" : "");
    }

    static String state(RunSummary r) {
        return r.outcome() != null ? r.outcome().name() : "UNFINISHED";
    }
}
