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
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
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
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The journal in a relational database: an embedded H2 file by default, PostgreSQL when several workers share
 * it. Every method is durable on return (autocommit), so a run killed at any point resumes from here.
 */
public final class JdbcJournal implements Journal, JournalQueries {
    /** A plan of at most this many tasks, all new to the journal, is kept in memory for {@link #freshTasks}. */
    static final int FRESH_MAX = PlanWriter.FRESH_MAX;
    private static final Checkpoint NEVER_BEGUN = new Checkpoint(Map.of("copy.bytes", "0"));
    /** Task ids per query of {@link #tasks(Collection)}. */
    static final int LOOKUP_BATCH = 500;
    static final String TASK_COLUMNS = "task_id, run_id, action, item, size, state, attempts, checkpoint, report,"
            + " error, bytes_done";

    /** The last plan, when all its tasks were new and at most {@link #FRESH_MAX} (see {@link #freshTasks}). */
    private volatile PlanWriter.FreshPlan fresh;

    private final JournalDatabase db;
    private final JournalReader reader;
    private final PlanWriter planWriter;
    private final Runnable release;

    private JdbcJournal(JournalDatabase db, Runnable release) {
        this.db = db;
        this.reader = new JournalReader(db);
        this.planWriter = new PlanWriter(db);
        this.release = release;
    }

    /**
     * Opens (and creates if needed) the journal at a JDBC URL. The connection is made in the background while the
     * caller goes on; the first call waits for it, and a journal that cannot be opened fails that call with
     * {@link dev.caravan.api.error.ErrorKind#USER_CONFIG}. After {@link #keepOpen}, a shared embedded journal may be
     * one a journal of this process closed a moment ago, still open.
     */
    public static JdbcJournal open(String jdbcUrl) {
        if (JournalPool.keeps(jdbcUrl)) {
            JournalDatabase db = JournalPool.take(jdbcUrl);
            return new JdbcJournal(db, () -> JournalPool.giveBack(jdbcUrl, db));
        }
        JournalDatabase db = new JournalDatabase(jdbcUrl);
        return new JdbcJournal(db, db::close);
    }

    /**
     * For a resident process (the command line's daemon): shared embedded journals ({@code AUTO_SERVER=TRUE}, a
     * home's default) stay open for {@code idle} after {@link #close}, flushed, so the next {@link #open} of one
     * costs nothing (see {@link JournalPool}); {@link Duration#ZERO} closes them at once again.
     */
    public static void keepOpen(java.time.Duration idle) {
        JournalPool.keepOpen(idle);
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
        return db.transaction(c -> startRunIn(c, migrationId, description, definition));
    }

    /**
     * The migration taken for {@code owner} ({@link MigrationOwners#take}) and its run started or resumed as
     * {@link #startRun(String, String, String)} does, in one transaction: the run, or else the holder that keeps the
     * migration, and then nothing was written.
     */
    public OwnedStart startOwnedRun(String migrationId, String description, String definition, String owner,
            Duration ttl, Predicate<String> gone) {
        return MigrationOwners.retryingDuplicates(() -> db.transaction(c -> {
            Optional<MigrationOwners.Holder> holder = MigrationOwners.takeIn(c, migrationId, owner, ttl, gone);
            return holder.isPresent() ? new OwnedStart(null, holder.get())
                    : new OwnedStart(startRunIn(c, migrationId, description, definition), null);
        }));
    }

    /**
     * What {@link #startOwnedRun} did.
     *
     * @param run       the run started or resumed; {@code null} when refused
     * @param refusedBy the holder that keeps the migration; {@code null} when taken
     */
    public record OwnedStart(RunInfo run, MigrationOwners.Holder refusedBy) {
    }

    private static RunInfo startRunIn(Connection c, String migrationId, String description, String definition)
            throws SQLException {
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
        return insertRun(c, migrationId, description, definition, previous);
    }

    /** A new run of the migration, inserted on {@code c} with a fresh id (time first, so ids sort by start). */
    static RunInfo insertRun(Connection c, String migrationId, String description, String definition,
            Map<String, String> previous) throws SQLException {
        String runId = Instant.now().toString().replaceAll("[-:]", "").substring(0, 15) + "-"
                + UUID.randomUUID().toString().substring(0, 8);
        Instant now = Instant.now();
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO caravan_run (run_id, migration_id, description,"
                + " definition, started_at, generation) VALUES (?, ?, ?, ?, ?, 0)")) {
            bind(ps, runId, migrationId, truncate(description, 4000), definition, Timestamp.from(now));
            ps.executeUpdate();
        }
        return new RunInfo(runId, migrationId, now, false, previous);
    }

    @Override
    public void plan(String runId, Iterator<TaskSpec> tasks) {
        fresh = null;
        fresh = planWriter.write(runId, tasks, false);
    }

    /**
     * {@link #plan} for a run this process executes alone: the rows of a first plan whose tasks are all new are
     * written in the background, with the deferred writes, while the transfers start ({@link PlanWriter#write}); a
     * crash before they are written loses the plan, which the next run makes again. Not for a run that other workers
     * share: they read the plan from the journal.
     */
    public void planAlone(String runId, Iterator<TaskSpec> tasks) {
        fresh = null;
        fresh = planWriter.write(runId, tasks, true);
    }

    /**
     * The open tasks of a run right after {@link #plan}, when every task that plan wrote was new to the journal (a
     * migration's first run) and there were at most {@link #FRESH_MAX}: exactly the rows it wrote (pending, never
     * begun; tasks of the run's earlier plans it did not repeat were set skipped), in the plan's order, from memory
     * instead of read back. Once per plan; empty otherwise, and the tasks are then read with
     * {@link #tasks(String, Set)}.
     */
    public Optional<Stream<TaskRecord>> freshTasks(String runId) {
        PlanWriter.FreshPlan plan = fresh;
        if (plan == null || !plan.runId().equals(runId)) {
            return Optional.empty();
        }
        fresh = null;
        return Optional.of(plan.tasks().stream().map(t -> new TaskRecord(t, runId, TaskState.PENDING, 0, NEVER_BEGUN,
                null, null)));
    }

    /** {@code ?, ?, ...}: {@code n} bind markers for an {@code IN} list. */
    static String placeholders(int n) {
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

    /** The warnings of each run, noted by every worker that took part (see {@link RunWarnings}). */
    public RunWarnings runWarnings() {
        return new RunWarnings(db);
    }

    /** Which process executes each run that is not shared between workers (see {@link MigrationOwners}). */
    public MigrationOwners migrationOwners() {
        return new MigrationOwners(db);
    }

    /** The tasks whose checkpoint records an upload on a store, and those no task continues any more. */
    public TaskUploads uploads() {
        return new TaskUploads(db);
    }

    /** Retention of finished runs ({@code caravan prune}), see {@link JournalPruning}. */
    public JournalPruning pruning() {
        return new JournalPruning(db);
    }

    /**
     * Compacts an embedded H2 journal's file now, after {@link #pruning} freed much of it; the file's size after, or
     * -1 when the journal is not an embedded H2 file this process hosts (see {@link H2Compaction#compactNow}).
     */
    public long compactNow() {
        return db.call(H2Compaction::compactNow);
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
    public void retried(TaskId id, int count) {
        if (count > 0) {
            db.defer("UPDATE caravan_task SET attempts = attempts + ? WHERE task_id = ?", count, id.value());
        }
    }

    /**
     * Stores the checkpoint at once; one that records an upload on a store ({@link TaskUploads#recordsUpload}) also
     * marks the task for {@link TaskUploads#superseded}, in the same call.
     */
    @Override
    public void checkpoint(TaskId id, Checkpoint checkpoint) {
        if (!TaskUploads.recordsUpload(checkpoint)) {
            update(CHECKPOINT, checkpointArgs(id, checkpoint));
            return;
        }
        db.call(c -> {
            TaskUploads.mark(c, id); // first: a kill between the two leaves a mark without an upload, dropped later
            try (PreparedStatement ps = c.prepareStatement(CHECKPOINT)) {
                bind(ps, checkpointArgs(id, checkpoint));
                return ps.executeUpdate();
            }
        });
    }

    /**
     * Queued with the deferred writes (written within {@value JournalDatabase#DEFER_MILLIS} ms, in order with the
     * task's begin, complete and fail, and by every synchronous call); a newer checkpoint of the task replaces one
     * still queued, so a fast task costs one UPDATE per flush, not one transaction per batch.
     */
    @Override
    public void checkpointLater(TaskId id, Checkpoint checkpoint) {
        if (TaskUploads.recordsUpload(checkpoint)) {
            checkpoint(id, checkpoint); // the task's mark with it, at once
            return;
        }
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

    /**
     * Returns once every write queued before it (deferred ones, the plan's rows among them) is in the database, where
     * the process's death cannot lose it: for a step that cannot be undone and leaves nothing to look at afterwards (a
     * move's source deletion). One transaction for whatever is queued.
     */
    public void awaitWritten() {
        db.call(c -> null); // flushes the queue first, as every synchronous call does
    }

    @Override
    public void fail(String runId, TaskId id, String errorKind, String message) {
        update("UPDATE caravan_task SET state = 'FAILED', error_kind = ?, error = ?, updated_at = ? WHERE task_id = ?",
                errorKind, truncate(message, 4000), now(), id.value());
    }

    /** Marks a task skipped (a guard refused it or it turned out unnecessary). */
    /**
     * The reason a deletion of an earlier plan of the run is skipped when the plan made again left it out: its object
     * was gone (deleted by the interrupted process, its record lost with the deferred writes) or is there again.
     */
    public static final String LEFT_OUT_OF_PLAN = "left out of the plan made again when the run went on";

    public void skip(TaskId id, String reason) {
        update("UPDATE caravan_task SET state = 'SKIPPED', error = ?, updated_at = ? WHERE task_id = ?",
                truncate(reason, 4000), now(), id.value());
    }

    @Override
    public void finishRun(String runId, RunOutcome outcome, Map<String, String> nextRunState) {
        update("UPDATE caravan_run SET finished_at = ?, outcome = ?, next_state = ? WHERE run_id = ?",
                now(), outcome.name(), JsonMaps.write(nextRunState), runId);
        reader.keepFinalCounts(runId);
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
    public List<String> warnings(String runId) {
        return runWarnings().of(runId);
    }

    /** Closes the journal; one kept open ({@link #keepOpen}) is flushed and given back instead. */
    @Override
    public void close() {
        release.run();
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
