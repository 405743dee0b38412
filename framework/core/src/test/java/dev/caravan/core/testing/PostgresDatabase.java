package dev.caravan.core.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A database of its own for each test, on the PostgreSQL server of {@code scripts/servers/postgres.sh}
 * ({@code CARAVAN_IT_PG_URL}, system property or environment; default
 * {@code jdbc:postgresql://127.0.0.1:18032/postgres?user=postgres}), created before the test and dropped after it. For
 * the ITs that run a journal test on a PostgreSQL journal: {@code @RegisterExtension}, then {@link #url()}.
 */
public final class PostgresDatabase implements BeforeEachCallback, AfterEachCallback {
    private final String server;
    private final String prefix;
    private volatile String name;

    /** Databases named {@code prefix} and a random suffix. */
    public PostgresDatabase(String prefix) {
        String v = System.getProperty("CARAVAN_IT_PG_URL", System.getenv("CARAVAN_IT_PG_URL"));
        this.server = v == null || v.isBlank() ? "jdbc:postgresql://127.0.0.1:18032/postgres?user=postgres" : v;
        this.prefix = prefix;
    }

    @Override
    public void beforeEach(ExtensionContext context) throws SQLException {
        name = prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        onServer("CREATE DATABASE " + name);
    }

    @Override
    public void afterEach(ExtensionContext context) throws SQLException {
        onServer("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }

    /** The JDBC URL of the current test's database (the server's, with that database's name). */
    public String url() {
        return server.replaceFirst("(jdbc:postgresql://[^/]+/)[^?]*", "$1" + name);
    }

    private void onServer(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(server); Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }
}
