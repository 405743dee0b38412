package dev.caravan.application;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;

/**
 * A database of its own on the test PostgreSQL server (the server of {@code scripts/servers/postgres.sh}, or
 * {@code CARAVAN_IT_PG_URL}), created empty and dropped by the test that uses it.
 */
final class PostgresTestDatabase {
    private static final String ADMIN = System.getenv().getOrDefault("CARAVAN_IT_PG_URL",
            "jdbc:postgresql://127.0.0.1:18032/postgres?user=postgres");

    final String name;
    /** The JDBC URL of the database, credentials included. */
    final String url;

    PostgresTestDatabase(String name) {
        this.name = name;
        this.url = ADMIN.replace("/postgres?", "/" + name + "?");
    }

    /** Drops the database if it exists and creates it empty. */
    PostgresTestDatabase recreate() throws Exception {
        admin("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)", "CREATE DATABASE " + name);
        return this;
    }

    void drop() throws Exception {
        admin("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }

    private static void admin(String... statements) throws Exception {
        try (Connection c = DriverManager.getConnection(ADMIN); Statement s = c.createStatement()) {
            for (String q : statements) {
                s.execute(q);
            }
        }
    }
}
