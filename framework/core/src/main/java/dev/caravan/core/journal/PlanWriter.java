package dev.caravan.core.journal;

import dev.caravan.api.journal.TaskSpec;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Writes a run's plan into the journal ({@link JdbcJournal#plan}): a new generation of the run, its tasks in batches
 * (rows of earlier plans updated, new ones inserted), and the tasks of the run's earlier plans that this one does
 * not repeat set skipped. For a run one process executes alone, the rows of a plan whose tasks are all new are queued
 * with the journal's deferred writes instead, so the transfers start while they are written.
 */
final class PlanWriter {
    static final int PLAN_BATCH = 1000;
    /** A plan of at most this many tasks, all new to the journal, is kept in memory for the run's first pass. */
    static final int FRESH_MAX = 20_000;

    private static final String INSERT = "INSERT INTO caravan_task (task_id, run_id, action, item, size, state,"
            + " attempts, generation, bytes_done, updated_at, part) VALUES (?, ?, ?, ?, ?, 'PENDING', 0, ?, 0, ?, ?)";

    /** A plan whose tasks were all new to the journal: its run and its tasks in the plan's order. */
    record FreshPlan(String runId, List<TaskSpec> tasks) {
    }

    private final JournalDatabase db;

    PlanWriter(JournalDatabase db) {
        this.db = db;
    }

    /**
     * Writes the plan; the plan itself when all its tasks were new and at most {@link #FRESH_MAX}, else {@code null}.
     * With {@code alone} such a plan's rows are queued with the deferred writes (written within
     * {@value JournalDatabase#DEFER_MILLIS} ms and by any synchronous call, always before the writes of the tasks'
     * transfers, which are queued after them): a crash before they are written loses the plan, which the next run
     * makes again. Never {@code alone} when other processes read the plan from the journal (a shared run).
     */
    FreshPlan write(String runId, Iterator<TaskSpec> tasks, boolean alone) {
        int generation = nextGeneration(runId);
        List<TaskSpec> first = new ArrayList<>();
        while (alone && first.size() <= FRESH_MAX && tasks.hasNext()) {
            first.add(tasks.next());
        }
        if (alone && first.size() <= FRESH_MAX && generation == 1 && noneExists(first)) {
            Timestamp now = Timestamp.from(Instant.now());
            for (TaskSpec t : first) {
                db.defer(INSERT, t.id().value(), runId, t.action(), t.item(), t.size(), generation, now,
                        JdbcJournal.partitionOf(t.id()));
            }
            // a first plan of the run: no task of an earlier one to set skipped
            return new FreshPlan(runId, List.copyOf(first));
        }
        Iterator<TaskSpec> all = first.isEmpty() ? tasks : concat(first.iterator(), tasks);
        List<TaskSpec> batch = new ArrayList<>(PLAN_BATCH);
        List<TaskSpec> allNew = new ArrayList<>(); // while every task so far is new and they are few enough
        while (all.hasNext()) {
            batch.add(all.next());
            if (batch.size() == PLAN_BATCH) {
                allNew = keepIfNew(allNew, batch, writeBatch(runId, generation, batch));
                batch.clear();
            }
        }
        allNew = keepIfNew(allNew, batch, writeBatch(runId, generation, batch));
        if (generation > 1) {
            skipEarlierGenerations(runId, generation);
        }
        return allNew == null ? null : new FreshPlan(runId, List.copyOf(allNew));
    }

    private int nextGeneration(String runId) {
        return db.transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE caravan_run SET generation = generation + 1 WHERE run_id = ?")) {
                ps.setString(1, runId);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT generation FROM caravan_run WHERE run_id = ?")) {
                ps.setString(1, runId);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getInt(1);
                }
            }
        });
    }

    /**
     * Sets skipped the open tasks of the run's earlier plans that this one did not repeat. Deletions among them are
     * marked {@link JdbcJournal#LEFT_OUT_OF_PLAN}: most are deletions an interrupted process did without its record
     * reaching the journal (the object is gone, so the plan has nothing to do about it), which the run settles.
     */
    private void skipEarlierGenerations(String runId, int generation) {
        db.transaction(c -> {
            Timestamp now = Timestamp.from(Instant.now());
            try (PreparedStatement deletions = c.prepareStatement("UPDATE caravan_task SET state = 'SKIPPED',"
                    + " error = ?, updated_at = ? WHERE run_id = ? AND generation < ? AND state IN ('PENDING',"
                    + " 'RUNNING', 'FAILED') AND action IN ('DELETE', 'DELETE_SOURCE')");
                    PreparedStatement others = c.prepareStatement("UPDATE caravan_task SET state = 'SKIPPED',"
                    + " updated_at = ? WHERE run_id = ? AND generation < ? AND state IN ('PENDING', 'RUNNING',"
                    + " 'FAILED')")) {
                JdbcJournal.bind(deletions, JdbcJournal.LEFT_OUT_OF_PLAN, now, runId, generation);
                deletions.executeUpdate();
                JdbcJournal.bind(others, now, runId, generation);
                return others.executeUpdate();
            }
        });
    }

    private boolean noneExists(List<TaskSpec> tasks) {
        for (int from = 0; from < tasks.size(); from += PLAN_BATCH) {
            List<TaskSpec> batch = tasks.subList(from, Math.min(tasks.size(), from + PLAN_BATCH));
            if (!db.call(c -> existingTasks(c, batch)).isEmpty()) {
                return false;
            }
        }
        return true;
    }

    private static <T> Iterator<T> concat(Iterator<T> a, Iterator<T> b) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return a.hasNext() || b.hasNext();
            }

            @Override
            public T next() {
                return a.hasNext() ? a.next() : b.next();
            }
        };
    }

    private static List<TaskSpec> keepIfNew(List<TaskSpec> kept, List<TaskSpec> batch, int existing) {
        if (kept == null || existing > 0 || kept.size() + batch.size() > FRESH_MAX) {
            return null;
        }
        kept.addAll(batch);
        return kept;
    }

    /** Writes a batch of the plan; the number of its tasks the journal held already. */
    private int writeBatch(String runId, int generation, List<TaskSpec> batch) {
        if (batch.isEmpty()) {
            return 0;
        }
        return db.transaction(c -> {
            Timestamp now = Timestamp.from(Instant.now());
            // one query finds which tasks a plan of this migration already wrote (none on a first run), so only
            // those are updated: an UPDATE per task that matches nothing costs as much as the INSERT
            Set<String> existing = existingTasks(c, batch);
            // A task done by this very run stays done; a task done by an earlier run is needed again (the plan
            // found its object missing or different) and starts over. Anything unfinished becomes pending and
            // keeps its checkpoint, whichever run wrote it: the task id pins the source version, so a multipart
            // upload begun by a failed run is resumed by the next one.
            try (PreparedStatement ps = c.prepareStatement("UPDATE caravan_task SET"
                    + " state = CASE WHEN state = 'DONE' AND run_id = ? THEN 'DONE' ELSE 'PENDING' END,"
                    + " completed_by = CASE WHEN state = 'DONE' AND run_id = ? THEN completed_by ELSE NULL END,"
                    + " bytes_done = CASE WHEN state = 'DONE' AND run_id <> ? THEN 0 ELSE bytes_done END,"
                    + " checkpoint = CASE WHEN state = 'DONE' AND run_id <> ? THEN NULL ELSE checkpoint END,"
                    + " run_id = ?, generation = ?, action = ?, item = ?, size = ?, updated_at = ?"
                    + " WHERE task_id = ?")) {
                boolean any = false;
                for (TaskSpec t : batch) {
                    if (!existing.contains(t.id().value())) {
                        continue;
                    }
                    ps.setString(1, runId);
                    ps.setString(2, runId);
                    ps.setString(3, runId);
                    ps.setString(4, runId);
                    ps.setString(5, runId);
                    ps.setInt(6, generation);
                    ps.setString(7, t.action());
                    ps.setString(8, t.item());
                    ps.setLong(9, t.size());
                    ps.setTimestamp(10, now);
                    ps.setString(11, t.id().value());
                    ps.addBatch();
                    any = true;
                }
                if (any) {
                    ps.executeBatch();
                }
            }
            try (PreparedStatement ps = c.prepareStatement(INSERT)) {
                boolean any = false;
                for (TaskSpec t : batch) {
                    if (!existing.contains(t.id().value())) {
                        ps.setString(1, t.id().value());
                        ps.setString(2, runId);
                        ps.setString(3, t.action());
                        ps.setString(4, t.item());
                        ps.setLong(5, t.size());
                        ps.setInt(6, generation);
                        ps.setTimestamp(7, now);
                        ps.setInt(8, JdbcJournal.partitionOf(t.id()));
                        ps.addBatch();
                        any = true;
                    }
                }
                if (any) {
                    ps.executeBatch();
                }
            }
            return existing.size();
        });
    }

    /** The ids among {@code batch} that have a row already (a plan of an earlier run or generation wrote it). */
    private static Set<String> existingTasks(Connection c, List<TaskSpec> batch) throws SQLException {
        Set<String> found = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT task_id FROM caravan_task WHERE task_id IN ("
                + JdbcJournal.placeholders(batch.size()) + ")")) {
            for (int i = 0; i < batch.size(); i++) {
                ps.setString(i + 1, batch.get(i).id().value());
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    found.add(rs.getString(1));
                }
            }
        }
        return found;
    }
}
