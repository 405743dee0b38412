package dev.caravan.core.journal;

import dev.caravan.api.journal.Checkpoint;
import dev.caravan.api.journal.RunOutcome;
import dev.caravan.api.journal.TaskId;
import dev.caravan.api.journal.TaskRecord;
import dev.caravan.api.journal.TaskReport;
import dev.caravan.api.journal.TaskSpec;
import dev.caravan.api.journal.TaskState;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/** The read side of {@link JdbcJournal}: run summaries and task streams read page by page (keyset pagination). */
final class JournalReader {
    private static final int PAGE = 500;
    private static final String RUN_SUMMARY = "SELECT r.run_id, r.migration_id, r.description, r.started_at,"
            + " r.finished_at, r.outcome,"
            + " (SELECT COUNT(*) FROM caravan_task t WHERE t.run_id = r.run_id AND t.state <> 'SKIPPED'),"
            + " (SELECT COUNT(*) FROM caravan_task t WHERE t.run_id = r.run_id AND t.state = 'DONE'),"
            + " (SELECT COUNT(*) FROM caravan_task t WHERE t.run_id = r.run_id AND t.state = 'FAILED'),"
            + " (SELECT COALESCE(SUM(t.size), 0) FROM caravan_task t WHERE t.run_id = r.run_id"
            + "   AND t.state <> 'SKIPPED' AND t.size > 0),"
            + " (SELECT COALESCE(SUM(t.bytes_done), 0) FROM caravan_task t WHERE t.run_id = r.run_id"
            + "   AND t.state <> 'SKIPPED' AND t.bytes_done > 0),"
            + " r.final_counts"
            + " FROM caravan_run r";

    private final JournalDatabase db;

    JournalReader(JournalDatabase db) {
        this.db = db;
    }

    List<RunSummary> runs(int limit) {
        return db.call(c -> {
            try (PreparedStatement ps = c.prepareStatement(RUN_SUMMARY + " ORDER BY r.started_at DESC")) {
                ps.setMaxRows(limit);
                try (ResultSet rs = ps.executeQuery()) {
                    List<RunSummary> out = new ArrayList<>();
                    while (rs.next()) {
                        out.add(summary(rs));
                    }
                    return out;
                }
            }
        });
    }

    Optional<RunSummary> run(String runId) {
        return db.call(c -> {
            try (PreparedStatement ps = c.prepareStatement(RUN_SUMMARY + " WHERE r.run_id = ?")) {
                ps.setString(1, runId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(summary(rs)) : Optional.empty();
                }
            }
        });
    }

    Optional<String> definition(String runId) {
        return db.call(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT definition FROM caravan_run WHERE run_id = ?")) {
                ps.setString(1, runId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.empty();
                }
            }
        });
    }

    Stream<TaskRecord> tasks(String runId, Set<TaskState> states) {
        String in = states.stream().map(s -> "'" + s.name() + "'").collect(Collectors.joining(", "));
        String sql = "SELECT " + JdbcJournal.TASK_COLUMNS + " FROM caravan_task WHERE run_id = ? AND task_id > ?"
                + " AND state IN (" + in + ") ORDER BY run_id, task_id"; // the index's order: no sort per page
        return paged(sql, runId);
    }

    Stream<TaskRecord> tasks(String runId, Set<TaskState> states, int partition) {
        String in = states.stream().map(s -> "'" + s.name() + "'").collect(Collectors.joining(", "));
        String sql = "SELECT " + JdbcJournal.TASK_COLUMNS + " FROM caravan_task WHERE run_id = ? AND part = "
                + partition + " AND task_id > ? AND state IN (" + in + ") ORDER BY run_id, task_id";
        return paged(sql, runId);
    }

    Stream<TaskRecord> completedBy(String runId) {
        // a task completed by a run was last planned by it, so it is among the run's tasks
        String sql = "SELECT " + JdbcJournal.TASK_COLUMNS + " FROM caravan_task WHERE run_id = ? AND task_id > ?"
                + " AND completed_by = run_id ORDER BY run_id, task_id";
        return paged(sql, runId);
    }

    private Stream<TaskRecord> paged(String sql, String runId) {
        Iterator<TaskRecord> it = new Iterator<>() {
            private final Deque<TaskRecord> page = new ArrayDeque<>();
            private String after = "";
            private boolean exhausted;

            @Override
            public boolean hasNext() {
                if (page.isEmpty() && !exhausted) {
                    fetch();
                }
                return !page.isEmpty();
            }

            @Override
            public TaskRecord next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return page.removeFirst();
            }

            private void fetch() {
                List<TaskRecord> rows = db.call(c -> {
                    try (PreparedStatement ps = c.prepareStatement(sql)) {
                        ps.setString(1, runId);
                        ps.setString(2, after);
                        ps.setMaxRows(PAGE);
                        List<TaskRecord> out = new ArrayList<>(PAGE);
                        try (ResultSet rs = ps.executeQuery()) {
                            while (rs.next()) {
                                out.add(taskRecord(rs));
                            }
                        }
                        return out;
                    }
                });
                if (rows.size() < PAGE) {
                    exhausted = true;
                }
                if (!rows.isEmpty()) {
                    after = rows.get(rows.size() - 1).spec().id().value();
                }
                page.addAll(rows);
            }
        };
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(it, Spliterator.ORDERED), false);
    }

    static TaskRecord taskRecord(ResultSet rs) throws SQLException {
        TaskSpec spec = new TaskSpec(new TaskId(rs.getString("task_id").trim()), rs.getString("action"),
                rs.getString("item"), rs.getLong("size"));
        Map<String, String> cp = new java.util.TreeMap<>(JsonMaps.read(rs.getString("checkpoint")));
        cp.put("copy.bytes", Long.toString(rs.getLong("bytes_done")));
        Map<String, String> report = JsonMaps.read(rs.getString("report"));
        TaskReport taskReport = report.isEmpty() ? null
                : new TaskReport(Long.parseLong(report.getOrDefault("bytes", "0")), report);
        return new TaskRecord(spec, rs.getString("run_id"), TaskState.valueOf(rs.getString("state")),
                rs.getInt("attempts"), new Checkpoint(cp), taskReport, rs.getString("error"));
    }

    /**
     * Keeps what the tasks of a finished run counted when it ended ({@link RunSummary}'s five numbers) in the run's
     * row: a later run that takes over one of its tasks (the same object, failed then and copied now) makes the task
     * row its own, and the earlier run would otherwise show fewer items than it had ("FAILED 0/0, 0 failed").
     */
    void keepFinalCounts(String runId) {
        RunSummary live = db.call(c -> {
            try (PreparedStatement ps = c.prepareStatement(RUN_SUMMARY + " WHERE r.run_id = ?")) {
                ps.setString(1, runId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? summary(rs, false) : null;
                }
            }
        });
        if (live != null) {
            String counts = live.tasksTotal() + "," + live.tasksDone() + "," + live.tasksFailed() + ","
                    + live.bytesTotal() + "," + live.bytesDone();
            db.call(c -> {
                try (PreparedStatement ps = c.prepareStatement(
                        "UPDATE caravan_run SET final_counts = ? WHERE run_id = ?")) {
                    JdbcJournal.bind(ps, counts, runId);
                    return ps.executeUpdate();
                }
            });
        }
    }

    /** {@link #keepFinalCounts} of those runs that have no final counts yet (runs of a journal older than them). */
    void keepFinalCountsWhereMissing(List<String> runIds) {
        for (String runId : runIds) {
            boolean missing = db.call(c -> {
                try (PreparedStatement ps = c.prepareStatement(
                        "SELECT 1 FROM caravan_run WHERE run_id = ? AND final_counts IS NULL")) {
                    ps.setString(1, runId);
                    try (ResultSet rs = ps.executeQuery()) {
                        return rs.next();
                    }
                }
            });
            if (missing) {
                keepFinalCounts(runId);
            }
        }
    }

    private static RunSummary summary(ResultSet rs) throws SQLException {
        return summary(rs, true);
    }

    /** A row of {@link #RUN_SUMMARY}; with {@code kept}, the counts kept when the run ended where there are. */
    private static RunSummary summary(ResultSet rs, boolean kept) throws SQLException {
        Timestamp finished = rs.getTimestamp(5);
        String outcome = rs.getString(6);
        long[] n = {rs.getLong(7), rs.getLong(8), rs.getLong(9), rs.getLong(10), rs.getLong(11)};
        String counts = kept && finished != null ? rs.getString(12) : null;
        if (counts != null) {
            String[] f = counts.split(",");
            for (int i = 0; i < n.length && i < f.length; i++) {
                n[i] = Long.parseLong(f[i].trim());
            }
        }
        return new RunSummary(rs.getString(1), rs.getString(2), rs.getString(3), rs.getTimestamp(4).toInstant(),
                finished == null ? null : finished.toInstant(), outcome == null ? null : RunOutcome.valueOf(outcome),
                n[0], n[1], n[2], n[3], n[4]);
    }
}
