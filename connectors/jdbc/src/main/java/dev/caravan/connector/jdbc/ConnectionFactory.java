package dev.caravan.connector.jdbc;

import dev.caravan.api.error.MigrationException;
import dev.caravan.connector.jdbc.dialect.Dialect;
import dev.caravan.connector.jdbc.dialect.Dialects;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/**
 * Opens connections to one database: the dialect's driver (used directly, not through DriverManager), the user and
 * password options, the dialect's properties and session settings. For an embedded H2 database it holds one
 * connection open until {@link #close()}, so the database is not reopened for every connection. Thread-safe; every
 * reader and writer gets its own connection.
 */
final class ConnectionFactory implements AutoCloseable {
    private final JdbcSettings settings;
    private final Dialect dialect;
    private final boolean target;
    private Connection anchor;
    /** What the warm-up's connection found: null while it runs or when it connected or was not started. */
    private final java.util.concurrent.CompletableFuture<MigrationException> warmedUp =
            new java.util.concurrent.CompletableFuture<>();
    private volatile boolean warming;

    /** Connections to the database of {@code settings}, a migration's {@code target} or its source. */
    ConnectionFactory(JdbcSettings settings, boolean target) {
        this.settings = settings;
        this.dialect = Dialects.forUrl(settings.url());
        this.target = target;
    }

    Dialect dialect() {
        return dialect;
    }

    JdbcSettings settings() {
        return settings;
    }

    String maskedUrl() {
        return settings.maskedUrl();
    }

    /**
     * Loads and initializes the driver in the background (the first connection of a JVM costs a few hundred
     * milliseconds of class loading), so that it overlaps with other start-up work. Failures are ignored here: the
     * first real {@link #open} reports them.
     */
    void warmUp() {
        warming = true;
        Thread t = new Thread(() -> {
            try (Connection c = connect(true)) {
                c.getMetaData();
                warmedUp.complete(null);
            } catch (MigrationException e) {
                warmedUp.complete(e);
            } catch (SQLException | RuntimeException e) {
                warmedUp.complete(null); // reported by the first real connection
            }
        }, "caravan-jdbc-warm-up");
        t.setDaemon(true);
        t.start();
    }

    /**
     * Fails when the warm-up's connection was refused for a reason no retry changes: credentials (USER_CONFIG) or a
     * database that does not exist (NOT_FOUND). Then the target is bad input found before anything is written, said
     * once, rather than by every table as it is prepared. Waits for the warm-up (at most the driver's connect
     * timeout); does nothing when there was none. Transient failures are left to the first real connection.
     */
    void requireAccepted() {
        if (!warming) {
            return;
        }
        MigrationException e = warmedUp.join();
        if (e != null && (e.kind() == dev.caravan.api.error.ErrorKind.USER_CONFIG
                || e.kind() == dev.caravan.api.error.ErrorKind.NOT_FOUND)) {
            throw new MigrationException(e.kind(), e.getMessage(), e.getCause());
        }
    }

    /**
     * A new connection in auto-commit mode. Reading a target that is an embedded file database not created yet opens
     * an empty in-memory one instead ({@link EmbeddedDatabaseFile}): a plan creates no database file; the first
     * write does.
     */
    Connection open(boolean writing) {
        if (target && !writing && EmbeddedDatabaseFile.missing(settings.url())) {
            return connect(EmbeddedDatabaseFile.standInUrl(settings.url()), false);
        }
        if (dialect.name().equals("h2") && !settings.url().startsWith("jdbc:h2:tcp:")) {
            synchronized (this) {
                if (anchor == null) {
                    anchor = connect(false);
                }
            }
        }
        return connect(writing);
    }

    private Connection connect(boolean writing) {
        return connect(settings.url(), writing);
    }

    private Connection connect(String url, boolean writing) {
        Properties props = new Properties();
        props.putAll(settings.driverProperties());
        if (settings.user() != null) {
            props.setProperty("user", settings.user());
        }
        if (settings.password() != null) {
            props.setProperty("password", settings.password());
        }
        dialect.configure(props, writing);
        try {
            Connection c = dialect.driver().connect(url, props);
            if (c == null) {
                throw MigrationException.userConfig("the " + dialect.name() + " driver does not accept the URL "
                        + maskedUrl());
            }
            try (Statement st = c.createStatement()) {
                for (String sql : dialect.sessionSetup()) {
                    st.execute(sql);
                }
            } catch (SQLException e) {
                c.close();
                throw e;
            }
            return c;
        } catch (SQLException e) {
            throw JdbcErrors.translate(e, "cannot connect to " + maskedUrl());
        }
    }

    @Override
    public synchronized void close() {
        if (anchor != null) {
            try {
                anchor.close();
            } catch (SQLException e) {
                // the database closes with its last connection either way
            }
            anchor = null;
        }
    }
}
