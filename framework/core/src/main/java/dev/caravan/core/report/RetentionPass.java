package dev.caravan.core.report;

import dev.caravan.core.journal.JdbcJournal;
import dev.caravan.core.journal.JournalPruning;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One pass of a journal's retention, as {@code caravan prune} and {@code caravan serve --keep-runs} run it: prunes the
 * finished runs beyond the retention ({@link JournalPruning}: what is always kept, and why, is written there) and
 * removes the pruned runs' report files.
 */
public final class RetentionPass {
    /**
     * What a pass removed (or, dry, would remove).
     *
     * @param pruning     the runs pruned and the migrations left alone because another process holds them
     * @param reportFiles the report files of the pruned runs (removed unless dry)
     * @param reportBytes their size before
     * @param changedRuns the pruned runs this pass removed anything of (rows or reports): a run kept in the list as
     *                    the record of its newest copies is pruned again by every later pass, with nothing to remove
     */
    public record Outcome(JournalPruning.Result pruning, List<Path> reportFiles, long reportBytes,
            List<String> changedRuns) {
        public Outcome {
            reportFiles = List.copyOf(reportFiles);
            changedRuns = List.copyOf(changedRuns);
        }
    }

    private RetentionPass() {
    }

    /**
     * Prunes {@code journal} to {@code retention} and removes the pruned runs' report files from {@code reportDir};
     * with {@code dryRun} nothing is written or removed. {@code owner} names this process while it holds a migration
     * ({@link #owner}).
     *
     * @throws UncheckedIOException when a report file cannot be removed (the journal's rows are gone by then: a
     *                              second pass does not find that run again, so its files stay; the message names them)
     */
    public static Outcome apply(JdbcJournal journal, Path reportDir, JournalPruning.Retention retention,
            boolean dryRun, String owner) {
        JournalPruning.Result result = journal.pruning().prune(retention, dryRun, owner);
        List<Path> reports = new ArrayList<>();
        List<String> changed = new ArrayList<>();
        for (JournalPruning.PrunedRun r : result.runs()) {
            List<Path> files = RunReportFiles.of(reportDir, r.runId());
            reports.addAll(files);
            if (r.runRemoved() || r.tasksRemoved() > 0 || !files.isEmpty()) {
                changed.add(r.runId());
            }
        }
        long bytes = RunReportFiles.bytes(reports);
        if (!dryRun) {
            for (Path f : reports) {
                try {
                    Files.deleteIfExists(f);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot remove the report " + f + ": " + e.getMessage(), e);
                }
            }
        }
        return new Outcome(result, reports, bytes, changed);
    }

    /** This process while it holds a migration, named as runs name theirs ("HOST pid N #what"). */
    public static String owner(String what) {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = "localhost";
        }
        return host + " pid " + ProcessHandle.current().pid() + " #" + what;
    }
}
