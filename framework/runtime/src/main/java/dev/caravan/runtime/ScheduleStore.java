package dev.caravan.runtime;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import dev.caravan.core.journal.SchemaRace;
import dev.caravan.runtime.schedule.FireBackoff;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The schedule state of {@code caravan serve} in two small tables of the journal database, so that
 * {@code caravan status} (any process that reaches the journal) can show every schedule's next fire time and its
 * last fire: {@code caravan_schedule} (one row per schedule) and {@code caravan_schedule_fire} (one row per fire,
 * keyed by schedule and scheduled time, so a schedule that fired twice for one time would fail loudly; fires older
 * than 30 days are removed). Times are epoch milliseconds. Thread-safe (one connection under a lock).
 */
public final class ScheduleStore implements AutoCloseable {
    private static final String[] SCHEMA = {
        "CREATE TABLE IF NOT EXISTS caravan_schedule (name VARCHAR(200) PRIMARY KEY, trigger_desc VARCHAR(2000),"
                + " next_fire BIGINT, updated_at BIGINT NOT NULL, updated_by VARCHAR(200), stopped_at BIGINT)",
        "CREATE TABLE IF NOT EXISTS caravan_schedule_fire (name VARCHAR(200) NOT NULL, scheduled_at BIGINT NOT NULL,"
                + " fired_at BIGINT NOT NULL, worker VARCHAR(200), run_id VARCHAR(64), finished_at BIGINT,"
                + " outcome VARCHAR(32), objects BIGINT, bytes BIGINT, error VARCHAR(4000),"
                + " PRIMARY KEY (name, scheduled_at))"
    };
    /** stopped_at (when the worker that last reported the schedule stopped cleanly) for a table made before it. */
    private static final String ADD_STOPPED_AT = "ALTER TABLE caravan_schedule ADD COLUMN IF NOT EXISTS stopped_at BIGINT";
    private static final Duration KEEP = Duration.ofDays(30);

    /** A SQL NULL of a BIGINT column (PostgreSQL wants typed nulls). */
    private static final Object NULL_BIGINT = new Object();

    private final Connection connection;
    /** Whether the table has {@code stopped_at} (one a serve of an earlier version made has not, until a serve now). */
    private final boolean stoppedAt;

    private ScheduleStore(Connection connection, boolean stoppedAt) {
        this.connection = connection;
        this.stoppedAt = stoppedAt;
    }

    /** Opens the store on the journal database and creates its tables if needed. */
    public static ScheduleStore open(String jdbcUrl) {
        try {
            Connection c = DriverManager.getConnection(jdbcUrl);
            c.setAutoCommit(true);
            SchemaRace.create(c, st -> {
                for (String ddl : SCHEMA) {
                    st.execute(ddl);
                }
            });
            boolean stoppedAt = hasStoppedAt(c);
            if (!stoppedAt) {
                try {
                    SchemaRace.create(c, st -> st.execute(ADD_STOPPED_AT));
                    stoppedAt = true;
                } catch (SQLException e) { // the stop is then seen as before, by the reports growing old
                    org.slf4j.LoggerFactory.getLogger(ScheduleStore.class).warn("could not add stopped_at to the"
                            + " schedule state: {}", e.getMessage());
                }
            }
            return new ScheduleStore(c, stoppedAt);
        } catch (SQLException e) {
            throw new MigrationException(ErrorKind.USER_CONFIG, "cannot open the schedule state in the journal "
                    + Uris.masked(jdbcUrl) + ": " + e.getMessage(), e);
        }
    }

    /**
     * The schedules recorded in a journal database, for {@code caravan status}; empty when no {@code caravan serve}
     * ever ran on it. Creates nothing.
     */
    public static List<ScheduleStatus> read(java.util.function.Supplier<Connection> connection) {
        try (Connection c = connection.get();
                ResultSet rs = c.getMetaData().getTables(null, null, null, new String[] {"TABLE"})) {
            boolean found = false;
            while (rs.next()) {
                found |= rs.getString("TABLE_NAME").equalsIgnoreCase("caravan_schedule");
            }
            return found ? new ScheduleStore(c, hasStoppedAt(c)).list() : List.of();
        } catch (SQLException e) {
            throw new MigrationException(ErrorKind.TRANSIENT, "cannot read the schedules: " + e.getMessage(), e);
        }
    }

    private static boolean hasStoppedAt(Connection c) {
        try (Statement st = c.createStatement()) {
            st.executeQuery("SELECT stopped_at FROM caravan_schedule WHERE 1 = 0").close();
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    /** {@link #read(java.util.function.Supplier)} on a JDBC URL. */
    public static List<ScheduleStatus> read(String jdbcUrl) {
        return read(() -> {
            try {
                return DriverManager.getConnection(jdbcUrl);
            } catch (SQLException e) {
                throw new MigrationException(ErrorKind.USER_CONFIG, "cannot open the journal " + Uris.masked(jdbcUrl)
                        + ": " + e.getMessage(), e);
            }
        });
    }

    /** Records (or updates) a schedule's trigger and next fire time as seen by {@code worker}. */
    public synchronized void define(String name, String trigger, Instant nextFire, String worker) {
        Object next = nextFire == null ? NULL_BIGINT : (Object) nextFire.toEpochMilli();
        long now = System.currentTimeMillis();
        if (update("UPDATE caravan_schedule SET trigger_desc = ?, next_fire = ?, updated_at = ?, updated_by = ?,"
                + " stopped_at = NULL WHERE name = ?", trigger, next, now, worker, name) == 0) {
            try {
                update("INSERT INTO caravan_schedule (name, trigger_desc, next_fire, updated_at, updated_by)"
                        + " VALUES (?, ?, ?, ?, ?)", name, trigger, next, now, worker);
            } catch (MigrationException e) {
                update("UPDATE caravan_schedule SET trigger_desc = ?, next_fire = ?, updated_at = ?, updated_by = ?,"
                        + " stopped_at = NULL WHERE name = ?", trigger, next, now, worker, name); // inserted by another
            }
        }
    }

    /**
     * Records that {@code worker} stopped cleanly: the schedules it reported last show at once that no worker serves
     * them (until a worker reports them again, as another worker of a group does within seconds). A worker that dies
     * without this is only seen by its reports growing old.
     */
    public synchronized void stopped(String worker) {
        if (!stoppedAt) {
            return;
        }
        update("UPDATE caravan_schedule SET stopped_at = ? WHERE updated_by = ?", System.currentTimeMillis(), worker);
    }

    /**
     * Records a fire; false when this schedule already has a fire for this scheduled time (it fired twice: the
     * group's Quartz is not clustered).
     */
    public synchronized boolean fired(String name, Instant scheduled, Instant firedAt, String worker) {
        try {
            update("INSERT INTO caravan_schedule_fire (name, scheduled_at, fired_at, worker) VALUES (?, ?, ?, ?)",
                    name, scheduled.toEpochMilli(), firedAt.toEpochMilli(), worker);
            update("DELETE FROM caravan_schedule_fire WHERE name = ? AND scheduled_at < ?", name,
                    firedAt.minus(KEEP).toEpochMilli());
            return true;
        } catch (MigrationException e) {
            return false;
        }
    }

    /** Records how a fire ended. */
    public synchronized void finished(String name, Instant scheduled, String runId, String outcome, long objects,
            long bytes, String error) {
        update("UPDATE caravan_schedule_fire SET run_id = ?, finished_at = ?, outcome = ?, objects = ?, bytes = ?,"
                + " error = ? WHERE name = ? AND scheduled_at = ?", runId, System.currentTimeMillis(), outcome, objects,
                bytes, error == null || error.length() <= 4000 ? error : error.substring(0, 4000), name,
                scheduled.toEpochMilli());
    }

    /** Every schedule with its last fire, by name. */
    public synchronized List<ScheduleStatus> list() {
        List<ScheduleStatus> out = new ArrayList<>();
        String sql = "SELECT s.name, s.trigger_desc, s.next_fire, s.updated_at,"
                + " (SELECT COUNT(*) FROM caravan_schedule_fire c WHERE c.name = s.name),"
                + " f.scheduled_at, f.fired_at, f.worker, f.run_id, f.finished_at, f.outcome, f.objects, f.bytes, f.error,"
                + (stoppedAt ? " s.stopped_at" : " NULL") + " FROM caravan_schedule s LEFT JOIN caravan_schedule_fire f ON f.name = s.name AND f.scheduled_at ="
                + " (SELECT MAX(scheduled_at) FROM caravan_schedule_fire m WHERE m.name = s.name) ORDER BY s.name";
        try (PreparedStatement ps = connection.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new ScheduleStatus(rs.getString(1), rs.getString(2), instant(rs, 3), instant(rs, 4),
                        rs.getLong(5), instant(rs, 6), instant(rs, 7), rs.getString(8), rs.getString(9), instant(rs, 10),
                        rs.getString(11), rs.getLong(12), rs.getLong(13), rs.getString(14), 0, null, instant(rs, 15)));
            }
        } catch (SQLException e) {
            throw new MigrationException(ErrorKind.TRANSIENT, "cannot read the schedule state: " + e.getMessage(), e);
        }
        List<ScheduleStatus> withBackoff = new ArrayList<>(out.size());
        for (ScheduleStatus s : out) {
            List<FireBackoff.Fire> latest = latestFires(s.name());
            withBackoff.add(new ScheduleStatus(s.name(), s.trigger(), s.nextFire(), s.updatedAt(), s.fires(),
                    s.lastScheduled(), s.lastFired(), s.lastWorker(), s.lastRunId(), s.lastFinished(), s.lastOutcome(),
                    s.lastObjects(), s.lastBytes(), s.lastError(), FireBackoff.refusedInARow(latest),
                    FireBackoff.resumeAt(latest), s.stoppedAt()));
        }
        return withBackoff;
    }

    /** The latest finished fires of a schedule, latest first ({@link FireBackoff#HISTORY} of them at most). */
    public synchronized List<FireBackoff.Fire> latestFires(String name) {
        List<FireBackoff.Fire> out = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement("SELECT outcome, finished_at FROM"
                + " caravan_schedule_fire WHERE name = ? AND finished_at IS NOT NULL ORDER BY scheduled_at DESC"
                + " LIMIT " + FireBackoff.HISTORY)) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new FireBackoff.Fire(rs.getString(1), instant(rs, 2)));
                }
            }
        } catch (SQLException e) {
            throw new MigrationException(ErrorKind.TRANSIENT, "cannot read the schedule fires: " + e.getMessage(), e);
        }
        return out;
    }

    /** Fires of one schedule, oldest first: scheduled time, worker, outcome (for tests and diagnostics). */
    public synchronized List<String[]> fires(String name) {
        List<String[]> out = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement("SELECT scheduled_at, fired_at, worker, run_id,"
                + " finished_at, outcome, objects FROM caravan_schedule_fire WHERE name = ? ORDER BY scheduled_at")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new String[] {rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getString(6), rs.getString(7)});
                }
            }
        } catch (SQLException e) {
            throw new MigrationException(ErrorKind.TRANSIENT, "cannot read the schedule fires: " + e.getMessage(), e);
        }
        return out;
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(v);
    }

    private int update(String sql, Object... args) {
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                Object a = args[i];
                if (a == NULL_BIGINT) {
                    ps.setNull(i + 1, java.sql.Types.BIGINT);
                } else if (a == null) {
                    ps.setNull(i + 1, java.sql.Types.VARCHAR);
                } else if (a instanceof Long l) {
                    ps.setLong(i + 1, l);
                } else {
                    ps.setString(i + 1, a.toString());
                }
            }
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new MigrationException(ErrorKind.TRANSIENT, "schedule state: " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            // closing anyway
        }
    }
}
