package dev.caravan.core.journal;

import dev.caravan.api.journal.Checkpoint;
import dev.caravan.api.journal.Journal;
import dev.caravan.api.journal.RunInfo;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The journal in a relational database: an embedded H2 file by default, PostgreSQL when several workers share
 * it. Every method is durable on return (autocommit), so a run killed at any point resumes from here.
 */
public final class JdbcJournal implements Journal, JournalQueries {
    private static final int PLAN_BATCH = 1000;
    /** A plan of at most this many tasks, all new to the journal, is kept in memory for {@link #freshTasks}. */
    static final int FRESH_MAX = 20_000;
    private static final Checkpoint NEVER_BEGUN = new Checkpoint(Map.of("copy.bytes", "0"));
    /** Task ids per query of {@link #tasks(Collection)}. */
    static final int LOOKUP_BATCH = 500;
    static final String TASK_COLUMNS = "task_id, run_id, action, item, size, state, attempts, checkpoint, report,"
            + " error, bytes_done";

    /** A plan whose tasks were all new to the journal: its run and its tasks in the plan's order. */
    private record FreshPlan(String runId, List<TaskSpec> tasks) {
    }

    /** The last plan, when all its tasks were new and at most {@link #FRESH_MAX} (see {@link #freshTasks}). */
    private volatile FreshPlan fresh;

    private final JournalDatabase db;
    private final JournalReader reader;

    private JdbcJournal(JournalDatabase db) {
        this.db = db;
        this.reader = new JournalReader(db);
    }

    /**
     * Opens (and creates if needed) the journal at a JDBC URL. The connection is made in the background while the
     * caller goes on; the first call waits for it, and a journal that cannot be opened fails that call with
     * {@link dev.caravan.api.error.ErrorKind#USER_CONFIG}.
     */
    public static JdbcJournal open(String jdbcUrl) {
        return new JdbcJournal(new JournalDatabase(jdbcUrl));
    }

    /**
     * Waits until the journal is open, for callers that act on an opening error at once (e.g. retrying another URL);
     * throws it as {@link #open} would have.
     */
    public JdbcJournal awaitOpen() {
        db.awaitOpen();
        return this;
    }

    /** The journal's URL with any password masked. */
    public String url() {
        return db.url();
    }

    @Override
    public RunInfo startRun(String migrationId, String description) {
        return startRun(migrationId, description, null);
    }

    /** Like {@link #startRun(String, String)}, keeping the migration's definition for {@code caravan resume}. */
    public RunInfo startRun(String migrationId, String description, String definition) {
        return db.transaction(c -> {
            Map<String, String> previous = Map.of();
            try (PreparedStatement ps = c.prepareStatement("SELECT next_state FROM caravan_run WHERE migration_id = ?"
                    + " AND finished_at IS NOT NULL AND outcome = 'COMPLETE' ORDER BY finished_at DESC")) {
                ps.setString(1, migrationId);
                ps.setMaxRows(1);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        previous = JsonMaps.read(rs.getString(1));
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT run_id, started_at FROM caravan_run"
                    + " WHERE migration_id = ? AND finished_at IS NULL ORDER BY started_at DESC")) {
                ps.setString(1, migrationId);
                ps.setMaxRows(1);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        return new RunInfo(rs.getString(1), migrationId, rs.getTimestamp(2).toInstant(), true,
                                previous);
                    }
                }
            }
            String runId = Instant.now().toString().replaceAll("[-:]", "").substring(0, 15) + "-"
                    + UUID.randomUUID().toString().substring(0, 8);
            Instant now = Instant.now();
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO caravan_run (run_id, migration_id, description,"
                    + " definition, started_at, generation) VALUES (?, ?, ?, ?, ?, 0)")) {
                ps.setString(1, runId);
                ps.setString(2, migrationId);
                ps.setString(3, truncate(description, 4000));
                ps.setString(4, definition);
                ps.setTimestamp(5, Timestamp.from(now));
                ps.executeUpdate();
            }
            return new RunInfo(runId, migrationId, now, false, previous);
        });
    }

    @Override
    public void plan(String runId, Iterator<TaskSpec> tasks) {
        int generation = db.transaction(c -> {
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
        fresh = null;
        List<TaskSpec> batch = new ArrayList<>(PLAN_BATCH);
        List<TaskSpec> allNew = new ArrayList<>(); // while every task so far is new and they are few enough
        while (tasks.hasNext()) {
            batch.add(tasks.next());
            if (batch.size() == PLAN_BATCH) {
                allNew = keepIfNew(allNew, batch, writePlanBatch(runId, generation, batch));
                batch.clear();
            }
        }
        allNew = keepIfNew(allNew, batch, writePlanBatch(runId, generation, batch));
        db.call(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE caravan_task SET state = 'SKIPPED', updated_at = ?"
                    + " WHERE run_id = ? AND generation < ? AND state IN ('PENDING', 'RUNNING', 'FAILED')")) {
                ps.setTimestamp(1, Timestamp.from(Instant.now()));
                ps.setString(2, runId);
                ps.setInt(3, generation);
                return ps.executeUpdate();
            }
        });
        fresh = allNew == null ? null : new FreshPlan(runId, List.copyOf(allNew));
    }

    private static List<TaskSpec> keepIfNew(List<TaskSpec> kept, List<TaskSpec> batch, int existing) {
        if (kept == null || existing > 0 || kept.size() + batch.size() > FRESH_MAX) {
            return null;
        }
        kept.addAll(batch);
        return kept;
    }

    /**
     * The open tasks of a run right after {@link #plan}, when every task that plan wrote was new to the journal (a
     * migration's first run) and there were at most {@link #FRESH_MAX}: exactly the rows it wrote (pending, never
     * begun; tasks of the run's earlier plans it did not repeat were set skipped), in the plan's order, from memory
     * instead of read back. Once per plan; empty otherwise, and the tasks are then read with
     * {@link #tasks(String, Set)}.
     */
    public Optional<Stream<TaskRecord>> freshTasks(String runId) {
        FreshPlan plan = fresh;
        if (plan == null || !plan.runId().equals(runId)) {
            return Optional.empty();
        }
        fresh = null;
        return Optional.of(plan.tasks().stream().map(t -> new TaskRecord(t, runId, TaskState.PENDING, 0, NEVER_BEGUN,
                null, null)));
    }

    /** Writes a batch of the plan; the number of its tasks the journal held already. */
    private int writePlanBatch(String runId, int generation, List<TaskSpec> batch) {
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
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO caravan_task (task_id, run_id, action, item,"
                    + " size, state, attempts, generation, bytes_done, updated_at, part)"
                    + " VALUES (?, ?, ?, ?, ?, 'PENDING', 0, ?, 0, ?, ?)")) {
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
                        ps.setInt(8, partitionOf(t.id()));
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
    private static Set<String> existingTasks(java.sql.Connection c, List<TaskSpec> batch) throws SQLException {
        Set<String> found = new java.util.HashSet<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT task_id FROM caravan_task WHERE task_id IN ("
                + placeholders(batch.size()) + ")")) {
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

    /** {@code ?, ?, ...}: {@code n} bind markers for an {@code IN} list. */
    private static String placeholders(int n) {
        return String.join(", ", java.util.Collections.nCopies(n, "?"));
    }

    /** Number of partitions tasks are spread over, for several workers. */
    public static final int PARTITIONS = 64;

    /** The partition of a task: stable, from its id. */
    public static int partitionOf(TaskId id) {
        return Integer.parseInt(id.value().substring(0, 4), 16) % PARTITIONS;
    }

    /** Open tasks of one partition of a run, page by page. Close the stream. */
    public Stream<TaskRecord> tasks(String runId, Set<TaskState> states, int partition) {
        return reader.tasks(runId, states, partition);
    }

    /** The lease-based coordination of several workers sharing this journal. */
    public Leases leases() {
        return new Leases(db);
    }

    @Override
    public Optional<TaskRecord> task(TaskId id) {
        return db.call(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + TASK_COLUMNS + " FROM caravan_task"
                    + " WHERE task_id = ?")) {
                ps.setString(1, id.value());
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(JournalReader.taskRecord(rs)) : Optional.empty();
                }
            }
        });
    }

    /**
     * One query per {@value #LOOKUP_BATCH} distinct ids ({@code WHERE task_id IN (...)}); each query takes the journal's
     * lock on its own, so writers wait for one query at most, not for the whole lookup.
     */
    @Override
    public Map<TaskId, TaskRecord> tasks(Collection<TaskId> ids) {
        Objects.requireNonNull(ids, "ids");
        List<TaskId> distinct = new ArrayList<>(new LinkedHashSet<>(ids));
        if (distinct.contains(null)) {
            throw new NullPointerException("a task id in ids");
        }
        Map<TaskId, TaskRecord> found = new HashMap<>();
        for (int from = 0; from < distinct.size(); from += LOOKUP_BATCH) {
            List<TaskId> batch = distinct.subList(from, Math.min(distinct.size(), from + LOOKUP_BATCH));
            db.call(c -> {
                try (PreparedStatement ps = c.prepareStatement("SELECT " + TASK_COLUMNS + " FROM caravan_task"
                        + " WHERE task_id IN (" + placeholders(batch.size()) + ")")) {
                    for (int i = 0; i < batch.size(); i++) {
                        ps.setString(i + 1, batch.get(i).value());
                    }
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            TaskRecord r = JournalReader.taskRecord(rs);
                            found.put(r.spec().id(), r);
                        }
                    }
                }
                return null;
            });
        }
        return found;
    }

    @Override
    public void begin(String runId, TaskId id) {
        db.deferAbsorbable(id.value(), "UPDATE caravan_task SET state = 'RUNNING', attempts = attempts + 1, run_id = ?,"
                + " error = NULL, updated_at = ? WHERE task_id = ?", runId, now(), id.value());
    }

    @Override
    public void checkpoint(TaskId id, Checkpoint checkpoint) {
        update(CHECKPOINT, checkpointArgs(id, checkpoint));
    }

    /**
     * Queued with the deferred writes (written within {@value JournalDatabase#DEFER_MILLIS} ms, in order with the
     * task's begin, complete and fail, and by every synchronous call); a newer checkpoint of the task replaces one
     * still queued, so a fast task costs one UPDATE per flush, not one transaction per batch.
     */
    @Override
    public void checkpointLater(TaskId id, Checkpoint checkpoint) {
        db.deferLatest("checkpoint:" + id.value(), CHECKPOINT, checkpointArgs(id, checkpoint));
    }

    private static final String CHECKPOINT = "UPDATE caravan_task SET checkpoint = ?, bytes_done = ?, updated_at = ?"
            + " WHERE task_id = ?";

    private static Object[] checkpointArgs(TaskId id, Checkpoint checkpoint) {
        String b = checkpoint.get("copy.bytes");
        long bytes = b == null ? 0 : Long.parseLong(b);
        return new Object[] {JsonMaps.write(checkpoint.values()), bytes, now(), id.value()};
    }

    @Override
    public void complete(String runId, TaskId id, TaskReport report) {
        String json = JsonMaps.write(withBytes(report));
        Timestamp now = now();
        // begun and completed within one flush interval (most small objects): one UPDATE does both
        db.deferOrAbsorb(id.value(),
                "UPDATE caravan_task SET state = 'DONE', report = ?, bytes_done = size, completed_by = ?,"
                        + " checkpoint = NULL, error = NULL, error_kind = NULL, updated_at = ? WHERE task_id = ?",
                new Object[] {json, runId, now, id.value()},
                "UPDATE caravan_task SET state = 'DONE', attempts = attempts + 1, run_id = ?, report = ?,"
                        + " bytes_done = size, completed_by = ?, checkpoint = NULL, error = NULL, error_kind = NULL,"
                        + " updated_at = ? WHERE task_id = ?",
                new Object[] {runId, json, runId, now, id.value()});
    }

    @Override
    public void fail(String runId, TaskId id, String errorKind, String message) {
        update("UPDATE caravan_task SET state = 'FAILED', error_kind = ?, error = ?, updated_at = ? WHERE task_id = ?",
                errorKind, truncate(message, 4000), now(), id.value());
    }

    /** Marks a task skipped (a guard refused it or it turned out unnecessary). */
    public void skip(TaskId id, String reason) {
        update("UPDATE caravan_task SET state = 'SKIPPED', error = ?, updated_at = ? WHERE task_id = ?",
                truncate(reason, 4000), now(), id.value());
    }

    @Override
    public void finishRun(String runId, RunOutcome outcome, Map<String, String> nextRunState) {
        update("UPDATE caravan_run SET finished_at = ?, outcome = ?, next_state = ? WHERE run_id = ?",
                now(), outcome.name(), JsonMaps.write(nextRunState), runId);
    }

    @Override
    public List<RunSummary> runs(int limit) {
        return reader.runs(limit);
    }

    @Override
    public Optional<RunSummary> run(String runId) {
        return reader.run(runId);
    }

    @Override
    public Optional<String> definition(String runId) {
        return reader.definition(runId);
    }

    @Override
    public Stream<TaskRecord> tasks(String runId, Set<TaskState> states) {
        return reader.tasks(runId, states);
    }

    @Override
    public Stream<TaskRecord> completedBy(String runId) {
        return reader.completedBy(runId);
    }

    @Override
    public void close() {
        db.close();
    }

    private void update(String sql, Object... args) {
        db.call(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                bind(ps, args);
                return ps.executeUpdate();
            }
        });
    }

    static void bind(PreparedStatement ps, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            Object a = args[i];
            if (a instanceof Timestamp t) {
                ps.setTimestamp(i + 1, t);
            } else if (a instanceof Long l) {
                ps.setLong(i + 1, l);
            } else if (a instanceof Integer n) {
                ps.setInt(i + 1, n);
            } else {
                ps.setString(i + 1, (String) a);
            }
        }
    }

    private static Map<String, String> withBytes(TaskReport report) {
        Map<String, String> values = new java.util.TreeMap<>(report.values());
        values.put("bytes", Long.toString(report.bytes()));
        return values;
    }

    private static Timestamp now() {
        return Timestamp.from(Instant.now());
    }

    static String truncate(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }
}
