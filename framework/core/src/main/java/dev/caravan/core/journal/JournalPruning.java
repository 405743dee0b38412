package dev.caravan.core.journal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Retention of the journal ({@code caravan prune}): removes the task rows of finished runs beyond a retention, and
 * those runs themselves once nothing of them is left, without taking anything a later command reads.
 *
 * <p>Per migration, a run is <em>prunable</em> when it is finished, is not among the {@code keepRuns} newest finished
 * runs, is older than {@code olderThan} (when given), is not the newest complete run (its {@code next_state} starts the
 * next run: incremental windows, tables complete since a run) and is not the migration's active shared run. Of a
 * prunable run's task rows these stay:
 * <ul>
 *   <li>a done task that is the newest done task of its item (copies and replacements counted as one kind, every other
 *   action on its own) among all the migration's runs: the planner and verification read the facts a verified copy
 *   recorded there ({@link dev.caravan.core.plan.CopyFacts}) to skip a request per object, and a full table run reads
 *   the tasks of the run that completed a table to skip it;</li>
 *   <li>an unfinished task (failed, skipped, pending) with a checkpoint: the next run of the same source version goes
 *   on from it (a multipart upload's id and parts).</li>
 * </ul>
 * Everything else of a prunable run is removed (failed tasks without checkpoint, tasks set skipped, done tasks of
 * object versions copied again since), with its partition leases; the run's own row is removed once it holds no task,
 * else it stays (the anchor of the rows kept, shown by {@code caravan status} with the counts it ended with).
 *
 * <p>Each migration is pruned in one transaction that holds the migration ({@code caravan_migration_owner}) for its
 * duration: a migration another process runs is left alone, and a run starting meanwhile waits for the transaction.
 * Unfinished runs, schedules ({@code caravan_schedule*}) and holds of other processes are never touched. Thread-safe.
 */
public final class JournalPruning {
    /** Run ids per statement, well below any database's limit of bind parameters. */
    private static final int RUN_BATCH = 200;
    /** The kind of a task for "newest done task of its item": a replacement supersedes a copy and the other way. */
    private static final String KIND = "CASE WHEN action IN ('COPY', 'REPLACE') THEN 'COPY' ELSE action END";

    private final JournalDatabase db;

    JournalPruning(JournalDatabase db) {
        this.db = db;
    }

    /**
     * What to keep.
     *
     * @param keepRuns  finished runs kept whole per migration, newest first; 0 or more
     * @param olderThan only runs that finished longer ago than this are pruned; {@code null}: any age
     */
    public record Retention(int keepRuns, Duration olderThan) {
        public Retention {
            if (keepRuns < 0) {
                throw new IllegalArgumentException("keepRuns must be 0 or more: " + keepRuns);
            }
            if (olderThan != null && olderThan.isNegative()) {
                throw new IllegalArgumentException("olderThan must not be negative: " + olderThan);
            }
        }
    }

    /**
     * A run pruned (or, in a dry run, that would be).
     *
     * @param runId        the run
     * @param migrationId  its migration
     * @param startedAt    its start
     * @param tasksRemoved its task rows removed
     * @param tasksKept    its task rows kept (the newest record of their items, or resumable)
     * @param runRemoved   whether its own row is removed too (no task of it left)
     */
    public record PrunedRun(String runId, String migrationId, Instant startedAt, long tasksRemoved, long tasksKept,
            boolean runRemoved) {
    }

    /**
     * What a prune did (or would do).
     *
     * @param runs            the runs pruned, oldest first per migration
     * @param heldMigrations  migrations left alone because a process runs them now
     */
    public record Result(List<PrunedRun> runs, List<String> heldMigrations) {
        public long tasksRemoved() {
            return runs.stream().mapToLong(PrunedRun::tasksRemoved).sum();
        }

        public long tasksKept() {
            return runs.stream().mapToLong(PrunedRun::tasksKept).sum();
        }

        public long runsRemoved() {
            return runs.stream().filter(PrunedRun::runRemoved).count();
        }
    }

    /** A finished run as the retention sees it. */
    private record Finished(String runId, Instant startedAt, Instant finishedAt, boolean complete) {
    }

    /**
     * Prunes every migration's runs beyond {@code retention}; with {@code dryRun} nothing is written and the result
     * says what would be removed. {@code owner} names this process while it holds a migration.
     */
    public Result prune(Retention retention, boolean dryRun, String owner) {
        Map<String, List<Finished>> byMigration = finishedRuns();
        Set<String> active = activeRuns();
        Instant cutoff = retention.olderThan() == null ? null : Instant.now().minus(retention.olderThan());
        List<PrunedRun> pruned = new ArrayList<>();
        List<String> held = new ArrayList<>();
        for (Map.Entry<String, List<Finished>> m : byMigration.entrySet()) {
            List<Finished> runs = m.getValue(); // newest first
            String newestComplete = runs.stream().filter(Finished::complete).map(Finished::runId).findFirst()
                    .orElse(null);
            List<Finished> prunable = new ArrayList<>();
            for (int i = runs.size() - 1; i >= retention.keepRuns(); i--) {
                Finished r = runs.get(i);
                if (!r.runId().equals(newestComplete) && !active.contains(r.runId())
                        && (cutoff == null || r.finishedAt().isBefore(cutoff))) {
                    prunable.add(r);
                }
            }
            if (prunable.isEmpty()) {
                continue;
            }
            if (!dryRun) {
                new JournalReader(db).keepFinalCountsWhereMissing(prunable.stream().map(Finished::runId).toList());
            }
            List<PrunedRun> done = db.transaction(c -> pruneMigration(c, m.getKey(), prunable, dryRun, owner));
            if (done == null) {
                held.add(m.getKey());
            } else {
                pruned.addAll(done);
            }
        }
        return new Result(pruned, held);
    }

    /** The migration's prunable runs pruned on {@code c}; {@code null} when another process holds the migration. */
    private static List<PrunedRun> pruneMigration(Connection c, String migrationId, List<Finished> prunable,
            boolean dryRun, String owner) throws SQLException {
        if (MigrationOwners.takeIn(c, migrationId, owner, Duration.ofMinutes(10), o -> false).isPresent()
                || sharedRunInProgress(c, migrationId)) {
            return null;
        }
        Map<String, long[]> counts = new HashMap<>(); // run -> {rows, removable}
        for (List<Finished> batch : batches(prunable)) {
            List<String> ids = batch.stream().map(Finished::runId).toList();
            String in = JdbcJournal.placeholders(ids.size());
            countInto(counts, c, "SELECT run_id, COUNT(*) FROM caravan_task WHERE run_id IN (" + in + ")"
                    + " GROUP BY run_id", ids, 0);
            countInto(counts, c, "SELECT run_id, COUNT(*) FROM caravan_task WHERE run_id IN (" + in + ")"
                    + " AND " + UNNEEDED + " GROUP BY run_id", ids, 1);
            // the superseded ids read first, then deleted by key: H2 would evaluate a DELETE's IN (subquery) per row
            List<String> superseded = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT x.task_id, x.run_id FROM (" + SUPERSEDED + ") x"
                    + " WHERE x.rn > 1 AND x.run_id IN (" + in + ")")) {
                ps.setString(1, migrationId);
                for (int i = 0; i < ids.size(); i++) {
                    ps.setString(i + 2, ids.get(i));
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        superseded.add(rs.getString(1));
                        counts.computeIfAbsent(rs.getString(2), k -> new long[2])[1]++;
                    }
                }
            }
            if (!dryRun) {
                execute(c, "DELETE FROM caravan_task WHERE run_id IN (" + in + ") AND " + UNNEEDED, ids);
                for (int from = 0; from < superseded.size(); from += JdbcJournal.LOOKUP_BATCH) {
                    List<String> keys = superseded.subList(from, Math.min(superseded.size(),
                            from + JdbcJournal.LOOKUP_BATCH));
                    execute(c, "DELETE FROM caravan_task WHERE task_id IN (" + JdbcJournal.placeholders(keys.size())
                            + ")", keys);
                }
                execute(c, "DELETE FROM caravan_partition WHERE run_id IN (" + in + ")", ids);
                execute(c, "DELETE FROM caravan_run WHERE run_id IN (" + in + ") AND NOT EXISTS (SELECT 1 FROM"
                        + " caravan_task t WHERE t.run_id = caravan_run.run_id)", ids);
                execute(c, "DELETE FROM caravan_run_warning WHERE run_id IN (" + in + ") AND NOT EXISTS (SELECT 1"
                        + " FROM caravan_run r WHERE r.run_id = caravan_run_warning.run_id)", ids);
            }
        }
        try (PreparedStatement ps = c.prepareStatement(
                "DELETE FROM caravan_migration_owner WHERE migration_id = ? AND owner = ?")) {
            JdbcJournal.bind(ps, migrationId, owner);
            ps.executeUpdate();
        }
        List<PrunedRun> out = new ArrayList<>();
        for (Finished r : prunable) {
            long[] n = counts.getOrDefault(r.runId(), new long[2]);
            out.add(new PrunedRun(r.runId(), migrationId, r.startedAt(), n[1], n[0] - n[1], n[0] == n[1]));
        }
        return out;
    }

    /** Task rows of a prunable run that nothing reads again: unfinished and without a checkpoint to go on from. */
    private static final String UNNEEDED = "state <> 'DONE' AND checkpoint IS NULL";

    /**
     * The migration's done tasks ranked per item and kind, newest first ({@code rn} 1: the record the planner
     * reads). Binds the migration id.
     */
    private static final String SUPERSEDED = "SELECT t.task_id, t.run_id, ROW_NUMBER() OVER (PARTITION BY "
            + KIND.replace("action", "t.action") + ", t.item ORDER BY t.updated_at DESC, t.task_id DESC) AS rn"
            + " FROM caravan_task t JOIN caravan_run r ON r.run_id = t.run_id"
            + " WHERE r.migration_id = ? AND t.state = 'DONE'";

    /** Whether workers sharing an unfinished run of the migration hold a lease on its plan or a partition now. */
    private static boolean sharedRunInProgress(Connection c, String migrationId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM caravan_run r WHERE r.migration_id = ?"
                + " AND r.finished_at IS NULL AND (r.plan_lease_until > ? OR EXISTS (SELECT 1 FROM caravan_partition p"
                + " WHERE p.run_id = r.run_id AND p.lease_until > ?))")) {
            Timestamp now = Timestamp.from(Instant.now());
            JdbcJournal.bind(ps, migrationId, now, now);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static void countInto(Map<String, long[]> counts, Connection c, String sql, List<String> runIds,
            int slot) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < runIds.size(); i++) {
                ps.setString(i + 1, runIds.get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    counts.computeIfAbsent(rs.getString(1), k -> new long[2])[slot] += rs.getLong(2);
                }
            }
        }
    }

    /** Runs {@code sql} with {@code values} bound in order. */
    private static void execute(Connection c, String sql, List<String> values) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < values.size(); i++) {
                ps.setString(i + 1, values.get(i));
            }
            ps.executeUpdate();
        }
    }

    private static List<List<Finished>> batches(List<Finished> runs) {
        List<List<Finished>> out = new ArrayList<>();
        for (int from = 0; from < runs.size(); from += RUN_BATCH) {
            out.add(runs.subList(from, Math.min(runs.size(), from + RUN_BATCH)));
        }
        return out;
    }

    /** Finished runs per migration, newest first. */
    private Map<String, List<Finished>> finishedRuns() {
        return db.call(c -> {
            Map<String, List<Finished>> out = new LinkedHashMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT migration_id, run_id, started_at, finished_at,"
                    + " outcome FROM caravan_run WHERE finished_at IS NOT NULL"
                    + " ORDER BY migration_id, started_at DESC, run_id DESC");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(new Finished(rs.getString(2),
                            rs.getTimestamp(3).toInstant(), rs.getTimestamp(4).toInstant(),
                            "COMPLETE".equals(rs.getString(5))));
                }
            }
            return out;
        });
    }

    /** The runs that workers sharing a migration last joined ({@code caravan_active}). */
    private Set<String> activeRuns() {
        return db.call(c -> {
            Set<String> out = new HashSet<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT run_id FROM caravan_active");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        });
    }
}
