package dev.caravan.cli.it;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * A throwaway database on the PostgreSQL that {@code scripts/servers/postgres.sh} starts (127.0.0.1:18032), one per
 * test. The server comes from {@code CARAVAN_IT_PG_URL} (system property or environment; default
 * {@code jdbc:postgresql://127.0.0.1:18032/postgres?user=postgres}).
 */
final class PgDatabase implements AutoCloseable {
    static final String DEFAULT = "jdbc:postgresql://127.0.0.1:18032/postgres?user=postgres";

    private final String admin;
    private final String name;

    private PgDatabase(String admin, String name) {
        this.admin = admin;
        this.name = name;
    }

    static String serverUrl() {
        String v = System.getProperty("CARAVAN_IT_PG_URL", System.getenv("CARAVAN_IT_PG_URL"));
        return v == null || v.isBlank() ? DEFAULT : v;
    }

    /** Creates a new empty database named {@code prefix_<random>}. */
    static PgDatabase create(String prefix) throws SQLException {
        String admin = serverUrl();
        String name = prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        try (Connection c = DriverManager.getConnection(admin); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + name);
        }
        return new PgDatabase(admin, name);
    }

    /** The JDBC URL of this database (the server's URL with the database name replaced). */
    String url() {
        return admin.replaceFirst("(jdbc:postgresql://[^/]+/)[^?]*", "$1" + name);
    }

    Connection connect() throws SQLException {
        return DriverManager.getConnection(url());
    }

    @Override
    public void close() throws SQLException {
        try (Connection c = DriverManager.getConnection(admin); Statement st = c.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        }
    }
}
