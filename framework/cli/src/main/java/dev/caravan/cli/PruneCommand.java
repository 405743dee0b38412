package dev.caravan.cli;

import dev.caravan.core.journal.JdbcJournal;
import dev.caravan.core.journal.JournalPruning;
import dev.caravan.core.report.RetentionPass;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code caravan prune}: removes finished runs beyond a retention from the journal, with their report files, and
 * compacts an embedded journal's file (see {@link JournalPruning} for what is kept and why).
 */
@Command(name = "prune", mixinStandardHelpOptions = true,
        description = {"Removes finished runs beyond the retention from the journal (their task rows) and their report"
                + " files, then compacts the embedded journal's file.",
            "Kept always: unfinished runs, the newest complete run of each migration, the newest record of each"
                + " object copied (the facts that let a rerun and 'caravan verify' skip a request per object),"
                + " checkpoints to go on from, schedules and holds."})
final class PruneCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @ParentCommand
    CaravanCommand root;

    @Option(names = "--keep-runs", paramLabel = "N", defaultValue = "10",
            description = "Finished runs kept whole per migration, newest first (default: ${DEFAULT-VALUE}).")
    int keepRuns;

    @Option(names = "--older-than", paramLabel = "AGE", converter = Converters.Age.class,
            description = "Prune only runs that finished longer ago than this (e.g. 30d, 12h); default: any age.")
    Duration olderThan;

    @Option(names = "--dry-run", description = "Only show what would be removed: runs, task rows, report files, bytes.")
    boolean dryRun;

    @Override
    public Integer call() {
        if (keepRuns < 0) {
            throw new ParameterException(spec.commandLine(), "--keep-runs must be 0 or more, not " + keepRuns);
        }
        if (olderThan != null && olderThan.isNegative()) {
            throw new ParameterException(spec.commandLine(), "--older-than must not be negative");
        }
        Console console = root.console();
        var settings = root.settings();
        Path journalFile = h2File(settings.journalUrl());
        long before = size(journalFile);
        try (JdbcJournal journal = JdbcJournal.open(settings.journalUrl()).awaitOpen()) {
            RetentionPass.Outcome outcome = RetentionPass.apply(journal, settings.reportDir(),
                    new JournalPruning.Retention(keepRuns, olderThan), dryRun, RetentionPass.owner("prune"));
            JournalPruning.Result result = outcome.pruning();
            if (dryRun && !result.runs().isEmpty()) {
                console.out().print(table(result));
            }
            console.print(summary(result, outcome.reportFiles().size(), outcome.reportBytes()));
            result.heldMigrations().forEach(m -> console.warn("migration " + m + " is running in another process:"
                    + " left as it is (prune again once it has finished)"));
            if (!dryRun && !result.runs().isEmpty()) {
                long after = journal.compactNow();
                if (after >= 0) {
                    console.print("journal file " + journalFile + ": " + Formats.bytes(before) + " before, "
                            + Formats.bytes(after) + " after compaction");
                }
            } else if (before >= 0) {
                console.print("journal file " + journalFile + ": " + Formats.bytes(before));
            }
            console.out().flush();
            return Main.OK;
        }
    }

    /** What was (or would be) removed, in one line. */
    String summary(JournalPruning.Result r, int reportFiles, long reportBytes) {
        String verb = dryRun ? "would prune " : "pruned ";
        if (r.runs().isEmpty()) {
            return (dryRun ? "would prune" : "pruned") + " nothing: no finished run beyond the retention (--keep-runs "
                    + keepRuns + (olderThan == null ? "" : ", --older-than " + Formats.duration(olderThan)) + ")";
        }
        long anchors = r.runs().size() - r.runsRemoved();
        return verb + Formats.plural(r.runs().size(), "run") + ": " + Formats.count(r.runsRemoved()) + " removed"
                + (anchors == 0 ? "" : ", " + Formats.count(anchors) + " kept in the list as the record of "
                        + Formats.plural(r.tasksKept(), "item") + " (newest copies, checkpoints)")
                + "; " + Formats.plural(r.tasksRemoved(), "task row") + ", "
                + Formats.plural(reportFiles, "report file") + " (" + Formats.bytes(reportBytes) + ")";
    }

    /** The runs of a dry run, one per line. */
    static String table(JournalPruning.Result r) {
        TextTable t = new TextTable("RUN", "STARTED", "MIGRATION", "TASK ROWS REMOVED", "KEPT", "RUN ROW");
        for (JournalPruning.PrunedRun run : r.runs()) {
            t.row(run.runId(), Formats.timestamp(run.startedAt()), run.migrationId(), Formats.count(run.tasksRemoved()),
                    Formats.count(run.tasksKept()), run.runRemoved() ? "removed" : "kept");
        }
        return t.render();
    }

    /** The file of an embedded H2 journal ({@code <path>.mv.db}); {@code null} for any other journal. */
    static Path h2File(String url) {
        String lower = url.toLowerCase(Locale.ROOT);
        if (!lower.startsWith("jdbc:h2:") || lower.startsWith("jdbc:h2:mem:") || lower.startsWith("jdbc:h2:tcp:")
                || lower.startsWith("jdbc:h2:ssl:")) {
            return null;
        }
        String path = url.substring("jdbc:h2:".length());
        path = path.regionMatches(true, 0, "file:", 0, 5) ? path.substring(5) : path;
        int semicolon = path.indexOf(';');
        return Path.of((semicolon < 0 ? path : path.substring(0, semicolon)) + ".mv.db");
    }

    private static long size(Path file) {
        try {
            return file == null || !Files.exists(file) ? -1 : Files.size(file);
        } catch (IOException e) {
            return -1;
        }
    }
}
