package dev.caravan.runtime;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Quartz clustered on the journal's PostgreSQL database, so that a schedule of a group of {@code caravan serve}
 * workers fires once for the whole group: the JDBC job store ({@code JobStoreTX}, PostgreSQL delegate,
 * {@code isClustered=true}) and Quartz's tables, created on first start from the DDL that ships in the Quartz jar
 * ({@code org/quartz/impl/jdbcjobstore/tables_postgres.sql}, its DROP statements left out), under an advisory lock
 * so that workers starting together create them once.
 */
final class QuartzCluster {
    static final String DDL = "org/quartz/impl/jdbcjobstore/tables_postgres.sql";
    private static final long LOCK_KEY = 0x43617261766e51L; // "CaravnQ": the advisory lock of the DDL

    private QuartzCluster() {
    }

    /** Whether a journal URL is one Quartz can cluster on. */
    static boolean supports(String jdbcUrl) {
        return jdbcUrl != null && jdbcUrl.toLowerCase(Locale.ROOT).startsWith("jdbc:postgresql:");
    }

    /** Quartz properties of a clustered scheduler named {@code caravan}; {@code instanceId} must be unique. */
    static Map<String, String> properties(String jdbcUrl, String instanceId, Duration checkin) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("org.quartz.scheduler.instanceName", "caravan");
        p.put("org.quartz.scheduler.instanceId", instanceId);
        p.put("org.quartz.scheduler.skipUpdateCheck", "true");
        p.put("org.quartz.threadPool.class", "org.quartz.simpl.SimpleThreadPool");
        p.put("org.quartz.threadPool.threadCount", "4");
        p.put("org.quartz.threadPool.makeThreadsDaemons", "true");
        p.put("org.quartz.jobStore.class", "org.quartz.impl.jdbcjobstore.JobStoreTX");
        p.put("org.quartz.jobStore.driverDelegateClass", "org.quartz.impl.jdbcjobstore.PostgreSQLDelegate");
        p.put("org.quartz.jobStore.dataSource", "caravan");
        p.put("org.quartz.jobStore.tablePrefix", "QRTZ_");
        p.put("org.quartz.jobStore.isClustered", "true");
        p.put("org.quartz.jobStore.clusterCheckinInterval", Long.toString(checkin.toMillis()));
        p.put("org.quartz.jobStore.acquireTriggersWithinLock", "true");
        p.put("org.quartz.dataSource.caravan.driver", "org.postgresql.Driver");
        p.put("org.quartz.dataSource.caravan.URL", jdbcUrl);
        p.put("org.quartz.dataSource.caravan.maxConnections", "6");
        return p;
    }

    /** Quartz properties of the in-memory scheduler of one worker (embedded journal). */
    static Map<String, String> local(String instanceId) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("org.quartz.scheduler.instanceName", "caravan");
        p.put("org.quartz.scheduler.instanceId", instanceId);
        p.put("org.quartz.scheduler.skipUpdateCheck", "true");
        p.put("org.quartz.threadPool.class", "org.quartz.simpl.SimpleThreadPool");
        p.put("org.quartz.threadPool.threadCount", "4");
        p.put("org.quartz.threadPool.makeThreadsDaemons", "true");
        p.put("org.quartz.jobStore.class", "org.quartz.simpl.RAMJobStore");
        return p;
    }

    /** Creates Quartz's tables in the database unless they exist. */
    static void ensureTables(String jdbcUrl) {
        try (Connection c = DriverManager.getConnection(jdbcUrl)) {
            c.setAutoCommit(false);
            try (Statement st = c.createStatement()) {
                st.execute("SELECT pg_advisory_xact_lock(" + LOCK_KEY + ")");
                if (!exists(c)) {
                    for (String ddl : statements(read())) {
                        st.execute(ddl);
                    }
                }
            }
            c.commit();
        } catch (SQLException e) {
            throw new MigrationException(ErrorKind.USER_CONFIG, "cannot create the Quartz tables in the journal"
                    + " database: " + e.getMessage(), e);
        }
    }

    private static boolean exists(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM information_schema.tables"
                + " WHERE table_schema = current_schema() AND table_name = 'qrtz_locks'");
                ResultSet rs = ps.executeQuery()) {
            return rs.next();
        }
    }

    private static String read() {
        try (InputStream in = QuartzCluster.class.getClassLoader().getResourceAsStream(DDL)) {
            if (in == null) {
                throw new MigrationException(ErrorKind.FATAL, DDL + " is not on the class path (quartz jar missing?)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new MigrationException(ErrorKind.FATAL, "cannot read " + DDL + ": " + e.getMessage(), e);
        }
    }

    /** The CREATE statements of the DDL script (comments, DROP and COMMIT left out). */
    static List<String> statements(String script) {
        StringBuilder sql = new StringBuilder();
        for (String line : script.split("\n")) {
            String l = line.strip();
            if (!l.startsWith("--")) {
                sql.append(l).append('\n');
            }
        }
        List<String> out = new ArrayList<>();
        for (String s : sql.toString().split(";")) {
            String t = s.strip();
            String upper = t.toUpperCase(Locale.ROOT);
            if (!t.isEmpty() && !upper.startsWith("DROP") && !upper.equals("COMMIT")) {
                out.add(t);
            }
        }
        return out;
    }
}
