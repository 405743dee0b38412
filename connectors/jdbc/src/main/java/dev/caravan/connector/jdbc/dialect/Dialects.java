package dev.caravan.connector.jdbc.dialect;

import dev.caravan.api.error.MigrationException;
import java.util.Locale;

/** Picks the {@link Dialect} of a JDBC URL. */
public final class Dialects {
    private static final Dialect POSTGRES = new PostgresDialect();
    private static final Dialect MARIADB = new MariaDbDialect();
    private static final Dialect H2 = new H2Dialect();
    private static final Dialect SQLITE = new SqliteDialect();

    private Dialects() {
    }

    /** The dialect of {@code jdbc:<sub-protocol>:...}; USER_CONFIG for databases Caravan does not know. */
    public static Dialect forUrl(String jdbcUrl) {
        String u = jdbcUrl.toLowerCase(Locale.ROOT);
        if (u.startsWith("jdbc:postgresql:")) {
            return POSTGRES;
        }
        if (u.startsWith("jdbc:mariadb:") || u.startsWith("jdbc:mysql:")) {
            return MARIADB;
        }
        if (u.startsWith("jdbc:h2:")) {
            return H2;
        }
        if (u.startsWith("jdbc:sqlite:")) {
            return SQLITE;
        }
        throw MigrationException.userConfig("unsupported database URL '" + jdbcUrl.replaceAll("\\?.*", "")
                + "': the jdbc connector knows postgresql, mariadb, mysql, h2 and sqlite URLs, e.g. "
                + "jdbc:postgresql://host:5432/db");
    }

    /** The dialect by its {@link Dialect#name()}, or {@code null}. */
    public static Dialect byName(String name) {
        return switch (name == null ? "" : name) {
            case "postgresql" -> POSTGRES;
            case "mariadb" -> MARIADB;
            case "h2" -> H2;
            case "sqlite" -> SQLITE;
            default -> null;
        };
    }
}
