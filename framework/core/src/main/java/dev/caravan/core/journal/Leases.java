package dev.caravan.core.journal;

import dev.caravan.api.journal.RunInfo;
import dev.caravan.api.journal.RunOutcome;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Coordination of several workers sharing one journal database (PostgreSQL): one active run per migration, one
 * planner at a time, and task partitions claimed with expiring leases (row locks with {@code SKIP LOCKED}) that a
 * live worker renews; the partitions of a dead worker are taken over once its lease has expired. No home-made
 * cluster protocol: the database's locks do the work. Thread-safe.
 */
public final class Leases {
    /** The pseudo-partition of the deletion phase, claimable only when every transfer partition is done. */
    public static final int DELETES = 1_000_000;

    private final JournalDatabase db;

    Leases(JournalDatabase db) {
        this.db = db;
    }

    /**
     * Joins the unfinished run of a migration, or starts one; exactly one run is created when workers race. A run
     * started here is {@code worker}'s to plan for {@code ttl} ({@link #tryPlan}): a worker joining it a moment later
     * finds it at work ({@link #liveWorkers}) and waits for its plan.
     */
    public RunInfo joinRun(String migrationId, String description, String definition, String worker, Duration ttl) {
        for (int attempt = 0; ; attempt++) {
            try {
                return db.transaction(c -> {
                    String finishedRun = null;
                    try (PreparedStatement ps = c.prepareStatement("SELECT a.run_id, r.started_at, r.finished_at"
                            + " FROM caravan_active a JOIN caravan_run r ON r.run_id = a.run_id"
                            + " WHERE a.migration_id = ? FOR UPDATE")) {
                        ps.setString(1, migrationId);
                        try (ResultSet rs = ps.executeQuery()) {
                            if (rs.next()) {
                                if (rs.getTimestamp(3) == null) {
                                    return new RunInfo(rs.getString(1), migrationId, rs.getTimestamp(2).toInstant(),
                                            true, Map.of());
                                }
                                finishedRun = rs.getString(1);
                            }
                        }
                    }
                    RunInfo started = JdbcJournal.insertRun(c, migrationId, description, definition, Map.of());
                    String runId = started.runId();
                    try (PreparedStatement ps = c.prepareStatement("UPDATE caravan_run SET planner = ?,"
                            + " plan_lease_until = ? WHERE run_id = ?")) {
                        JdbcJournal.bind(ps, worker, until(ttl), runId);
                        ps.executeUpdate();
                    }
                    // only the finished run this transaction saw is replaced: a run another worker made active since
                    // (committed after the SELECT above found none) stays, the INSERT then fails on the key, and the
                    // retry joins that run (deleting by migration alone let two runs plan the same tasks)
                    // (a row whose run no longer exists is replaced too)
                    try (PreparedStatement del = c.prepareStatement("DELETE FROM caravan_active WHERE migration_id = ?"
                                    + " AND (run_id = ? OR NOT EXISTS (SELECT 1 FROM caravan_run r"
                                    + " WHERE r.run_id = caravan_active.run_id))");
                            PreparedStatement ins = c.prepareStatement(
                                    "INSERT INTO caravan_active (migration_id, run_id) VALUES (?, ?)")) {
                        del.setString(1, migrationId);
                        del.setString(2, finishedRun);
                        del.executeUpdate();
                        ins.setString(1, migrationId);
                        ins.setString(2, runId);
                        ins.executeUpdate();
                    }
                    return started;
                });
            } catch (RuntimeException e) {
                if (attempt >= 5) {
                    throw e; // another worker kept winning the race to create the run: give up loudly
                }
            }
        }
    }

    /**
     * The migration's unfinished shared run, if there is one; never starts a run (for a worker that only helps
     * with runs others started, e.g. a {@code caravan serve} whose schedule fired on another worker).
     */
    public java.util.Optional<RunInfo> activeRun(String migrationId) {
        return db.call(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT a.run_id, r.started_at"
                    + " FROM caravan_active a JOIN caravan_run r ON r.run_id = a.run_id"
                    + " WHERE a.migration_id = ? AND r.finished_at IS NULL")) {
                ps.setString(1, migrationId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? java.util.Optional.of(new RunInfo(rs.getString(1), migrationId,
                            rs.getTimestamp(2).toInstant(), true, Map.of())) : java.util.Optional.<RunInfo>empty();
                }
            }
        });
    }

    /** Migration id to run id of every unfinished shared run. */
    public Map<String, String> activeRuns() {
        return db.call(c -> {
            Map<String, String> out = new LinkedHashMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT a.migration_id, a.run_id FROM caravan_active a"
                    + " JOIN caravan_run r ON r.run_id = a.run_id WHERE r.finished_at IS NULL ORDER BY a.migration_id");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getString(2));
                }
            }
            return out;
        });
    }

    /**
     * Becomes the run's planner unless it is planned, has ended ({@link #outcome}: its planner refused it), or another
     * live worker plans it.
     */
    public boolean tryPlan(String runId, String worker, Duration ttl) {
        Timestamp now = Timestamp.from(Instant.now());
        return update("UPDATE caravan_run SET planner = ?, plan_lease_until = ? WHERE run_id = ? AND planned = FALSE"
                + " AND finished_at IS NULL AND (planner IS NULL OR planner = ? OR plan_lease_until < ?)", worker,
                until(ttl), runId, worker, now) == 1;
    }

    /** Whether the run's plan is complete. */
    public boolean isPlanned(String runId) {
        return db.call(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT planned FROM caravan_run WHERE run_id = ?")) {
                ps.setString(1, runId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() && rs.getBoolean(1);
                }
            }
        });
    }

    /** How the run ended, or empty while it goes on (or when there is no such run). */
    public java.util.Optional<RunOutcome> outcome(String runId) {
        return db.call(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT outcome FROM caravan_run WHERE run_id = ?"
                    + " AND finished_at IS NOT NULL")) {
                ps.setString(1, runId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? java.util.Optional.of(RunOutcome.valueOf(rs.getString(1)))
                            : java.util.Optional.<RunOutcome>empty();
                }
            }
        });
    }

    /** Marks the plan complete and creates a partition row for every partition with open tasks. */
    public void planned(String runId) {
        db.transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO caravan_partition (run_id, part, done, claims)"
                    + " SELECT DISTINCT run_id, part, FALSE, 0 FROM caravan_task WHERE run_id = ?"
                    + " AND state IN ('PENDING', 'RUNNING') AND action NOT IN ('DELETE', 'CLEANUP')"
                    + " AND NOT EXISTS (SELECT 1 FROM caravan_partition p WHERE p.run_id = caravan_task.run_id"
                    + " AND p.part = caravan_task.part)")) {
                ps.setString(1, runId);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO caravan_partition (run_id, part, done, claims)"
                    + " SELECT ?, ?, FALSE, 0 FROM caravan_run WHERE run_id = ? AND NOT EXISTS (SELECT 1 FROM"
                    + " caravan_partition WHERE run_id = ? AND part = ?)")) {
                ps.setString(1, runId);
                ps.setInt(2, DELETES);
                ps.setString(3, runId);
                ps.setString(4, runId);
                ps.setInt(5, DELETES);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE caravan_run SET planned = TRUE WHERE run_id = ?")) {
                ps.setString(1, runId);
                ps.executeUpdate();
            }
            return null;
        });
    }

    /**
     * Claims one free transfer partition (never claimed, or whose owner's lease expired), or the deletion phase once
     * every transfer partition is done; empty when there is nothing to claim right now.
     */
    public OptionalInt claim(String runId, String worker, Duration ttl) {
        return db.transaction(c -> {
            Timestamp now = Timestamp.from(Instant.now());
            Integer part = null;
            try (PreparedStatement ps = c.prepareStatement("SELECT part FROM caravan_partition WHERE run_id = ?"
                    + " AND done = FALSE AND part < ? AND (owner IS NULL OR lease_until < ?) ORDER BY part"
                    + " LIMIT 1 FOR UPDATE SKIP LOCKED")) {
                ps.setString(1, runId);
                ps.setInt(2, DELETES);
                ps.setTimestamp(3, now);
                ps.setMaxRows(1);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        part = rs.getInt(1);
                    }
                }
            }
            if (part == null && transfersDone(c, runId)) {
                try (PreparedStatement ps = c.prepareStatement("SELECT part FROM caravan_partition WHERE run_id = ?"
                        + " AND part = ? AND done = FALSE AND (owner IS NULL OR lease_until < ?) FOR UPDATE SKIP LOCKED")) {
                    ps.setString(1, runId);
                    ps.setInt(2, DELETES);
                    ps.setTimestamp(3, now);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (rs.next()) {
                            part = rs.getInt(1);
                        }
                    }
                }
            }
            if (part == null) {
                return OptionalInt.empty();
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE caravan_partition SET owner = ?, lease_until = ?,"
                    + " claims = claims + 1 WHERE run_id = ? AND part = ?")) {
                ps.setString(1, worker);
                ps.setTimestamp(2, until(ttl));
                ps.setString(3, runId);
                ps.setInt(4, part);
                ps.executeUpdate();
            }
            return OptionalInt.of(part);
        });
    }

    /**
     * Extends this worker's lease on partition {@code part} (the one it works on; none when negative) and its plan
     * lease; call well within the lease time. Only that partition: a partition this worker claimed earlier and no
     * longer works on (given up, or held by an earlier process under the same worker name that died) must expire
     * for someone to claim it. Returns whether {@code part} was still this worker's and unfinished: false while it
     * works on it means another worker took it over.
     */
    public boolean renew(String runId, String worker, int part, Duration ttl) {
        boolean held = part >= 0 && update("UPDATE caravan_partition SET lease_until = ? WHERE run_id = ? AND part = ?"
                + " AND owner = ? AND done = FALSE", until(ttl), runId, part, worker) == 1;
        update("UPDATE caravan_run SET plan_lease_until = ? WHERE run_id = ? AND planner = ? AND planned = FALSE",
                until(ttl), runId, worker);
        return held;
    }

    /** Gives up this worker's unfinished partitions and plan lease at once (a worker that stops gracefully). */
    public void release(String runId, String worker) {
        Timestamp past = Timestamp.from(Instant.now().minusSeconds(1));
        update("UPDATE caravan_partition SET lease_until = ? WHERE run_id = ? AND owner = ? AND done = FALSE", past,
                runId, worker);
        update("UPDATE caravan_run SET plan_lease_until = ? WHERE run_id = ? AND planner = ? AND planned = FALSE",
                past, runId, worker);
    }

    /**
     * Marks a partition {@code worker} claimed finished; false, changing nothing, when another worker has taken it
     * over since (that one finds its tasks done and marks it).
     */
    public boolean done(String runId, int part, String worker) {
        return update("UPDATE caravan_partition SET done = TRUE, lease_until = NULL WHERE run_id = ? AND part = ?"
                + " AND owner = ?", runId, part, worker) == 1;
    }

    /** Whether every partition, the deletion phase included, is done. */
    public boolean allDone(String runId) {
        return db.call(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT COUNT(*) FROM caravan_partition WHERE run_id = ? AND done = FALSE")) {
                ps.setString(1, runId);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1) == 0;
                }
            }
        });
    }

    /** Ends the run once, whichever worker gets here first; true for that worker. */
    public boolean finish(String runId, String migrationId, RunOutcome outcome) {
        boolean first = update("UPDATE caravan_run SET finished_at = ?, outcome = ? WHERE run_id = ?"
                + " AND finished_at IS NULL", Timestamp.from(Instant.now()), outcome.name(), runId) == 1;
        if (first) {
            update("DELETE FROM caravan_active WHERE migration_id = ? AND run_id = ?", migrationId, runId);
            new JournalReader(db).keepFinalCounts(runId);
        }
        return first;
    }

    /**
     * The workers taking part in the run now (a shared run in progress), by name: those holding a lease on one of its
     * partitions, and the one planning it.
     */
    public java.util.List<String> liveWorkers(String runId) {
        return db.call(c -> {
            java.util.List<String> out = new java.util.ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT owner FROM caravan_partition"
                    + " WHERE run_id = ? AND owner IS NOT NULL AND lease_until > ?"
                    + " UNION SELECT planner FROM caravan_run WHERE run_id = ? AND planner IS NOT NULL"
                    + " AND planned = FALSE AND plan_lease_until > ? ORDER BY 1")) {
                Timestamp now = Timestamp.from(Instant.now());
                JdbcJournal.bind(ps, runId, now, runId, now);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(rs.getString(1));
                    }
                }
            }
            return out;
        });
    }

    /** Partitions claimed per worker (how the work was shared), for reports and the benchmark. */
    public Map<String, Integer> claimsByWorker(String runId) {
        return db.call(c -> {
            Map<String, Integer> out = new LinkedHashMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT owner, COUNT(*) FROM caravan_partition"
                    + " WHERE run_id = ? AND owner IS NOT NULL GROUP BY owner ORDER BY owner")) {
                ps.setString(1, runId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.put(rs.getString(1), rs.getInt(2));
                    }
                }
            }
            return out;
        });
    }

    private static boolean transfersDone(java.sql.Connection c, String runId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM caravan_partition WHERE run_id = ?"
                + " AND part < ? AND done = FALSE")) {
            ps.setString(1, runId);
            ps.setInt(2, DELETES);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1) == 0;
            }
        }
    }

    private int update(String sql, Object... args) {
        return db.call(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                JdbcJournal.bind(ps, args);
                return ps.executeUpdate();
            }
        });
    }

    private static Timestamp until(Duration ttl) {
        return Timestamp.from(Instant.now().plus(ttl));
    }
}
