package dev.caravan.cli;

import dev.caravan.api.error.MigrationException;
import dev.caravan.core.engine.MigrationEngine;
import dev.caravan.core.journal.RunSummary;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code caravan status [RUN_ID]}: recent runs from the journal with their progress, or one run in detail. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Shows recent runs from the journal (items, bytes, outcome), or one run in detail.")
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
        try (MigrationEngine engine = MigrationEngine.open(root.settings())) {
            if (runId != null) {
                RunSummary run = engine.journal().run(runId).orElseThrow(() -> MigrationException.notFound(
                        "no run '" + runId + "' in the journal (see 'caravan status' for run ids)"));
                details(run).forEach(console::print);
                return Main.OK;
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

    /** One run in detail. */
    static List<String> details(RunSummary r) {
        Instant end = r.finishedAt() != null ? r.finishedAt() : Instant.now();
        Duration elapsed = r.startedAt() == null ? null : Duration.between(r.startedAt(), end);
        int pct = r.bytesTotal() > 0 ? Formats.percent(r.bytesDone(), r.bytesTotal())
                : Formats.percent(r.tasksDone(), r.tasksTotal());
        return List.of(
                "run        " + r.runId(),
                "migration  " + r.description() + "  (id " + r.migrationId() + ")",
                "state      " + state(r) + (r.finishedAt() == null
                        ? "  (running, or interrupted: 'caravan resume " + r.runId() + "' continues it)" : ""),
                "started    " + Formats.timestamp(r.startedAt()),
                "finished   " + Formats.timestamp(r.finishedAt()) + "  (" + Formats.duration(elapsed)
                        + (r.finishedAt() == null ? " so far)" : ")"),
                "items      " + Formats.count(r.tasksDone()) + "/" + Formats.count(r.tasksTotal()) + " done, "
                        + Formats.count(r.tasksFailed()) + " failed" + (pct >= 0 ? "  (" + pct + "%)" : ""),
                "bytes      " + Formats.bytes(r.bytesDone()) + "/" + Formats.bytes(r.bytesTotal()));
    }

    static String state(RunSummary r) {
        return r.outcome() != null ? r.outcome().name() : "UNFINISHED";
    }
}
