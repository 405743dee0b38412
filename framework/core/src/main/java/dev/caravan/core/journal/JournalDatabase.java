package dev.caravan.core.journal;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The journal's JDBC connection: one connection used under a lock (the journal's writes are tiny and the
 * embedded H2 file is local), with the schema created on first use. H2 and PostgreSQL share the same SQL.
 *
 * <p>The connection is opened on a thread of its own, started by the constructor, so that what the caller does next
 * (loading the connectors' drivers, connecting to the source and the target) overlaps it: opening an embedded H2
 * journal in a fresh JVM takes 60-120 ms, mostly H2's own start-up. The first use waits for it; an error opening it
 * (a bad URL, a journal in use by another process) is thrown there, by every use, before anything reaches the
 * journal.
 */
final class JournalDatabase implements AutoCloseable {
    private static final String[] SCHEMA = {
        """
        CREATE TABLE IF NOT EXISTS caravan_run (
          run_id VARCHAR(64) PRIMARY KEY,
          migration_id VARCHAR(64) NOT NULL,
          description VARCHAR(4000),
          definition VARCHAR(1000000),
          started_at TIMESTAMP NOT NULL,
          finished_at TIMESTAMP,
          outcome VARCHAR(32),
          next_state VARCHAR(100000),
          generation INT NOT NULL,
          planner VARCHAR(200),
          plan_lease_until TIMESTAMP,
          planned BOOLEAN DEFAULT FALSE NOT NULL,
          final_counts VARCHAR(200))""",
        "CREATE INDEX IF NOT EXISTS caravan_run_migration ON caravan_run (migration_id, started_at)",
        // what each run warned of, noted by every worker of a shared run (RunWarnings)
        RunWarnings.TABLE_DDL,
        """
        CREATE TABLE IF NOT EXISTS caravan_task (
          task_id VARCHAR(32) PRIMARY KEY,
          run_id VARCHAR(64) NOT NULL,
          action VARCHAR(16) NOT NULL,
          item VARCHAR(8000) NOT NULL,
          size BIGINT NOT NULL,
          state VARCHAR(16) NOT NULL,
          attempts INT NOT NULL,
          generation INT NOT NULL,
          part INT DEFAULT 0 NOT NULL,
          bytes_done BIGINT NOT NULL,
          checkpoint VARCHAR(100000),
          report VARCHAR(100000),
          error VARCHAR(4000),
          error_kind VARCHAR(32),
          completed_by VARCHAR(64),
          updated_at TIMESTAMP NOT NULL)""",
        // task streams page by task id within a run (keyset pagination) and filter the state on the way: an index
        // led by the state would make every page re-sort the run's open tasks (quadratic on large runs)
        "CREATE INDEX IF NOT EXISTS caravan_task_run ON caravan_task (run_id, task_id)",
        // one secondary index only: every task query is within a run (completed_by and part are filters on it),
        // and each index costs on every planned task
        // several workers: one active run per migration, and task partitions claimed with expiring leases
        "CREATE TABLE IF NOT EXISTS caravan_active (migration_id VARCHAR(64) PRIMARY KEY, run_id VARCHAR(64) NOT NULL)",
        // the one process running a migration not shared between workers, with an expiring lease (MigrationOwners)
        """
        CREATE TABLE IF NOT EXISTS caravan_migration_owner (
          migration_id VARCHAR(64) PRIMARY KEY,
          owner VARCHAR(200) NOT NULL,
          lease_until TIMESTAMP NOT NULL)""",
        """
        CREATE TABLE IF NOT EXISTS caravan_partition (
          run_id VARCHAR(64) NOT NULL,
          part INT NOT NULL,
          owner VARCHAR(200),
          lease_until TIMESTAMP,
          done BOOLEAN NOT NULL,
          claims INT NOT NULL,
          PRIMARY KEY (run_id, part))"""
    };

    /** Deferred writes are flushed when this many are queued, and at least this often. */
    private static final int DEFER_BATCH = 512;
    static final long DEFER_MILLIS = 200;

    private final String url;
    private final JournalOpening opening;
    private final ReentrantLock lock = new ReentrantLock();
    private final java.util.concurrent.ConcurrentLinkedQueue<Deferred> deferred =
            new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final java.util.concurrent.atomic.AtomicInteger deferredCount = new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.concurrent.ConcurrentHashMap<String, Deferred> absorbable =
            new java.util.concurrent.ConcurrentHashMap<>();
    private final ScheduledExecutorService flusher;
    /** Whether other processes may host the journal: an embedded H2 file opened with {@code AUTO_SERVER=TRUE}. */
    private final boolean shared;
    /** The writes of a flush the journal's host process cut short, written first by the next flush (under the lock). */
    private List<Deferred> unflushed = List.of();
    /** The connection that replaced the first once the process hosting the journal went away (under the lock). */
    private Connection reopened;
    /** Set by {@link #close}: later work is refused, never taken for a host gone away (which would reopen it). */
    private volatile boolean closed;

    JournalDatabase(String url) {
        this.url = url;
        this.shared = url.toUpperCase(java.util.Locale.ROOT).contains("AUTO_SERVER=TRUE");
        if (shared && System.getProperty("h2.bindAddress") == null) {
            // other caravan processes (status, a second run) reach the embedded journal on loopback only
            System.setProperty("h2.bindAddress", "127.0.0.1");
        }
        this.opening = new JournalOpening(maskedUrl(url), answered -> connect(url, answered));
        this.flusher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "caravan-journal");
            t.setDaemon(true);
            return t;
        });
        flusher.scheduleWithFixedDelay(this::flushQuietly, DEFER_MILLIS, DEFER_MILLIS, TimeUnit.MILLISECONDS);
    }

    private static Connection connect(String url, Runnable answered) {
        Connection c = null;
        try {
            c = DriverManager.getConnection(durable(url));
            answered.run();
            c.setAutoCommit(true);
            createSchema(c);
            return c;
        } catch (SQLException e) {
            if (c != null) {
                try {
                    c.close();
                } catch (SQLException closing) {
                    e.addSuppressed(closing);
                }
            }
            String hint = e.getErrorCode() == 90020 || String.valueOf(e.getMessage()).contains("already in use")
                    ? " (another caravan process is using this embedded journal; wait for it, give this command"
                            + " its own --home, or share the journal by adding ;AUTO_SERVER=TRUE to its --journal URL)"
                    : "";
            throw new MigrationException(ErrorKind.USER_CONFIG,
                    "cannot open the journal at " + maskedUrl(url) + ": " + e.getMessage() + hint, e);
        }
    }

    /** Waits until the connection is open; throws the error that kept it from opening. */
    void awaitOpen() {
        connection();
    }

    /** The open connection, once the opening thread has it; its error (thrown again here, in the caller's thread). */
    private Connection connection() {
        return opening.await();
    }

    /**
     * Creates the tables unless they exist; workers starting together on one PostgreSQL take turns
     * ({@link SchemaRace}).
     */
    private static void createSchema(Connection connection) throws SQLException {
        SchemaRace.create(connection, st -> {
            for (String ddl : SCHEMA) {
                st.execute(ddl);
            }
            SchemaUpgrades.apply(connection, st);
        });
    }

    /**
     * An embedded H2 file journal writes each commit to its file at once ({@code WRITE_DELAY=0}) unless the URL says
     * otherwise: H2's default keeps commits in memory for up to half a second, and a process killed in that window
     * would lose its run and checkpoints (a killed run must resume with nothing lost). Its file is compacted by
     * {@link #close} when it is sparse, not by H2 on every close ({@code MAX_COMPACT_TIME=0}, see
     * {@link H2Compaction}). Other URLs are unchanged.
     */
    static String durable(String url) {
        String upper = url.toUpperCase(java.util.Locale.ROOT);
        if (!H2Compaction.isEmbeddedH2File(url)) {
            return url;
        }
        String out = upper.contains("WRITE_DELAY") ? url : url + ";WRITE_DELAY=0";
        // and no compaction of the file on every close: see H2Compaction
        return upper.contains("MAX_COMPACT_TIME") ? out : out + ";MAX_COMPACT_TIME=0";
    }


    /**
     * Queues a small write (a task begun or completed) to be written with others in one transaction within
     * {@value #DEFER_MILLIS} ms. Every synchronous call flushes the queue first, so order is kept; a crash loses
     * at most the last fraction of a second of such writes, which the next plan recovers from the target's
     * real state (a copied object is found in place and not copied again).
     */
    void defer(String sql, Object... args) {
        enqueue(new Deferred(sql, args, null));
    }

    /**
     * Like {@link #defer}, for a write that a later {@link #deferOrAbsorb} of the same {@code key} may take over
     * while it is still queued (a task begun and completed within one flush interval needs one UPDATE, not two).
     */
    void deferAbsorbable(String key, String sql, Object... args) {
        Deferred d = new Deferred(sql, args, key);
        absorbable.put(key, d);
        enqueue(d);
    }

    /**
     * Queues {@code sql} unless the write queued under {@code key} by {@link #deferAbsorbable} has not been taken by
     * a flush yet: then that write is dropped and {@code absorbingSql} (which must do both writes' work) is queued
     * instead. Either way the queue keeps the order of the writes.
     */
    void deferOrAbsorb(String key, String sql, Object[] args, String absorbingSql, Object[] absorbingArgs) {
        Deferred earlier = absorbable.remove(key);
        boolean absorbed = earlier != null && earlier.claim();
        enqueue(absorbed ? new Deferred(absorbingSql, absorbingArgs, null) : new Deferred(sql, args, null));
    }

    /**
     * Like {@link #defer}, keeping only the newest write of {@code key} while it waits: a write of the same key queued
     * earlier and not yet taken by a flush is dropped (this one, later in the queue, supersedes it).
     */
    void deferLatest(String key, String sql, Object... args) {
        Deferred d = new Deferred(sql, args, key);
        Deferred earlier = absorbable.put(key, d);
        if (earlier != null) {
            earlier.claim(); // a flush that took it already writes it, before this one
        }
        enqueue(d);
    }

    private void enqueue(Deferred d) {
        // no database lock here: transfers never wait for a flush in progress
        deferred.add(d);
        if (deferredCount.incrementAndGet() == DEFER_BATCH) {
            flusher.execute(this::flushQuietly);
        }
    }

    private void flushQuietly() {
        if (!opening.isDone() || opening.failed()) {
            return; // nothing can be written yet; the first synchronous call reports an opening error
        }
        try {
            call(c -> null);
        } catch (RuntimeException e) {
            // reported by the next synchronous call, which flushes again
        }
    }

    /**
     * Writes the deferred queue in one transaction; called under the lock. When the journal's host process goes away
     * meanwhile, the batch is kept for the next flush, on the new connection ({@link #call}).
     */
    private void flush(Connection c) throws SQLException {
        if (deferred.isEmpty() && unflushed.isEmpty()) {
            return;
        }
        List<Deferred> batch = new ArrayList<>(unflushed);
        unflushed = List.of();
        int polled = 0;
        for (Deferred d; (d = deferred.poll()) != null; ) {
            polled++;
            if (d.key() == null || d.claim()) { // an absorbed write is done by a later one of the batch
                batch.add(d);
                if (d.key() != null) {
                    absorbable.remove(d.key(), d);
                }
            }
        }
        deferredCount.addAndGet(-polled);
        c.setAutoCommit(false);
        try {
            PreparedStatement ps = null;
            String current = null;
            try {
                for (Deferred d : batch) {
                    if (!d.sql().equals(current)) {
                        if (ps != null) {
                            ps.executeBatch();
                            ps.close();
                        }
                        ps = c.prepareStatement(d.sql());
                        current = d.sql();
                    }
                    JdbcJournal.bind(ps, d.args());
                    ps.addBatch();
                }
                if (ps != null) {
                    ps.executeBatch();
                }
            } finally {
                if (ps != null) {
                    ps.close();
                }
            }
            c.commit();
        } catch (SQLException | RuntimeException e) {
            if (e instanceof SQLException sql && H2Handover.hostWentAway(sql)) {
                unflushed = batch;
            }
            try {
                c.rollback();
            } catch (SQLException rollback) {
                e.addSuppressed(rollback);
            }
            throw e;
        } finally {
            try {
                c.setAutoCommit(true);
            } catch (SQLException broken) {
                // the connection is gone; the caller replaces it
            }
        }
    }

    /**
     * Runs a unit of work on the connection under the lock, translating SQL errors. On a shared embedded journal, the
     * process that hosts it (the first to open it) may exit while this one works with it: H2 then answers "database
     * is already closed" or the connection breaks. The work is then done again, with the flush it follows, on a new
     * connection (which finds or becomes the new host), up to {@value H2Handover#ATTEMPTS} times.
     */
    <T> T call(SqlWork<T> work) {
        if (closed) {
            throw new MigrationException(ErrorKind.FATAL, "the journal is closed (" + maskedUrl(url) + ")");
        }
        Connection first = connection();
        lock.lock();
        try {
            for (int attempt = 1; ; attempt++) {
                if (closed) { // closed while this waited for the lock
                    throw new MigrationException(ErrorKind.FATAL, "the journal is closed (" + maskedUrl(url) + ")");
                }
                Connection c = reopened != null ? reopened : first;
                try {
                    flush(c);
                    return work.run(c);
                } catch (SQLException e) {
                    if (!shared || attempt >= H2Handover.ATTEMPTS || !H2Handover.hostWentAway(e)) {
                        throw new MigrationException(ErrorKind.FATAL, "journal error (" + maskedUrl(url) + "): "
                                + e.getMessage(), e);
                    }
                    reconnect(c, attempt);
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** Replaces the connection whose host went away, after a pause that grows with the attempts; under the lock. */
    private void reconnect(Connection broken, int attempt) {
        try {
            broken.close();
        } catch (SQLException ignored) {
            // it is broken already
        }
        try {
            Thread.sleep(100L * attempt);
            Connection c = DriverManager.getConnection(durable(url));
            c.setAutoCommit(true);
            reopened = c;
        } catch (SQLException e) {
            reopened = broken; // closed: the next attempt fails at once (90007) and comes here again
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MigrationException(ErrorKind.FATAL, "interrupted while reopening the journal at "
                    + maskedUrl(url), e);
        }
    }

    /** Runs a unit of work in one transaction. */
    <T> T transaction(SqlWork<T> work) {
        return call(c -> {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        });
    }

    String url() {
        return maskedUrl(url);
    }

    static String maskedUrl(String url) {
        return dev.caravan.api.config.MaskedUris.of(url);
    }

    @Override
    public void close() {
        closed = true;
        flusher.shutdownNow();
        Connection connection;
        try {
            connection = opening.await();
        } catch (MigrationException e) {
            return; // never opened: nothing to flush or close
        }
        lock.lock();
        try {
            Connection c = reopened != null ? reopened : connection;
            if (c != connection) {
                connection.close();
            }
            flush(c);
            H2Compaction.compactIfSparse(c);
            c.close();
        } catch (SQLException e) {
            // closing; nothing left to protect
        } finally {
            lock.unlock();
        }
    }

    /** A queued write; one with a key is written by whoever claims it first: a flush, or a write absorbing it. */
    private static final class Deferred {
        private final String sql;
        private final Object[] args;
        private final String key;
        private final java.util.concurrent.atomic.AtomicBoolean claimed = new java.util.concurrent.atomic.AtomicBoolean();

        Deferred(String sql, Object[] args, String key) {
            this.sql = sql;
            this.args = args;
            this.key = key;
        }

        String sql() {
            return sql;
        }

        Object[] args() {
            return args;
        }

        String key() {
            return key;
        }

        boolean claim() {
            return claimed.compareAndSet(false, true);
        }
    }

    /** A piece of JDBC work. */
    @FunctionalInterface
    interface SqlWork<T> {
        T run(Connection c) throws SQLException;
    }
}
