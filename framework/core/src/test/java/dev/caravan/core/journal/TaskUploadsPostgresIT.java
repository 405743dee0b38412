package dev.caravan.core.journal;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * {@link TaskUploadsTest} on a PostgreSQL journal ({@code --journal jdbc:postgresql:...}), so that the SQL of
 * {@code caravan_task_upload} stays portable: a new database per test on the server of
 * {@code scripts/servers/postgres.sh} ({@code CARAVAN_IT_PG_URL}, system property or environment; default
 * {@code jdbc:postgresql://127.0.0.1:18032/postgres?user=postgres}).
 */
class TaskUploadsPostgresIT extends TaskUploadsTest {
    private final String server = server();
    private final String database = "uploads_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);

    private static String server() {
        String v = System.getProperty("CARAVAN_IT_PG_URL", System.getenv("CARAVAN_IT_PG_URL"));
        return v == null || v.isBlank() ? "jdbc:postgresql://127.0.0.1:18032/postgres?user=postgres" : v;
    }

    @BeforeEach
    void createDatabase() throws SQLException {
        onServer("CREATE DATABASE " + database);
    }

    @AfterEach
    void dropDatabase() throws SQLException {
        onServer("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
    }

    private void onServer(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(server); Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    @Override
    String url() {
        return server.replaceFirst("(jdbc:postgresql://[^/]+/)[^?]*", "$1" + database);
    }
}
