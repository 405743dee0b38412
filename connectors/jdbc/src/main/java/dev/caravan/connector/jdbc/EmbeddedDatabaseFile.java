package dev.caravan.connector.jdbc;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The file of an embedded database URL (H2 {@code jdbc:h2:[file:]PATH}, SQLite {@code jdbc:sqlite:PATH}), whose
 * drivers create the database when a connection opens it. A plan looks at a target without creating it: until the
 * file exists, reads go to an empty in-memory database of the same kind ({@link #standInUrl}).
 */
final class EmbeddedDatabaseFile {
    /** H2 settings that an in-memory database refuses or has no use for (INIT stays: it may set the schema). */
    private static final Set<String> FILE_SETTINGS = Set.of("AUTO_SERVER", "AUTO_SERVER_PORT", "AUTO_RECONNECT",
            "FILE_LOCK", "IFEXISTS", "ACCESS_MODE_DATA", "CIPHER", "RECOVER", "WRITE_DELAY", "MAX_COMPACT_TIME",
            "DB_CLOSE_ON_EXIT", "CACHE_SIZE", "PAGE_SIZE");

    private EmbeddedDatabaseFile() {
    }

    /** The database file {@code url} names, when it is an embedded file database; empty for any other URL. */
    static Optional<Path> of(String url) {
        String lower = url.toLowerCase(Locale.ROOT);
        if (lower.startsWith("jdbc:h2:")) {
            String rest = url.substring("jdbc:h2:".length());
            if (rest.regionMatches(true, 0, "file:", 0, 5)) {
                rest = rest.substring(5);
            } else if (rest.matches("(?i)^(mem|tcp|ssl|zip|split|nio\\w*|async|memFS|memLZF|retry):.*")) {
                return Optional.empty();
            }
            String path = rest.split(";", 2)[0];
            if (path.isEmpty()) {
                return Optional.empty();
            }
            if (path.startsWith("~")) {
                path = System.getProperty("user.home") + path.substring(1);
            }
            return Optional.of(Path.of(path + ".mv.db"));
        }
        if (lower.startsWith("jdbc:sqlite:")) {
            String path = url.substring("jdbc:sqlite:".length()).split("\\?", 2)[0];
            if (path.isEmpty() || path.equals(":memory:") || path.startsWith("file:")) {
                return Optional.empty();
            }
            return Optional.of(Path.of(path));
        }
        return Optional.empty();
    }

    /** Whether {@code url} is an embedded file database whose file does not exist yet. */
    static boolean missing(String url) {
        return of(url).map(f -> !Files.exists(f)).orElse(false);
    }

    /**
     * An empty in-memory database of the same kind as {@code url}, with the same H2 compatibility settings (MODE and
     * the like), to read a database that is not created yet as the empty one it will be.
     */
    static String standInUrl(String url) {
        if (url.toLowerCase(Locale.ROOT).startsWith("jdbc:sqlite:")) {
            return "jdbc:sqlite::memory:";
        }
        StringBuilder out = new StringBuilder("jdbc:h2:mem:");
        String[] parts = url.split("(?<!\\\\);"); // not at INIT's escaped semicolons (\;)
        for (int i = 1; i < parts.length; i++) {
            String name = parts[i].split("=", 2)[0].trim().toUpperCase(Locale.ROOT);
            if (!name.isEmpty() && !FILE_SETTINGS.contains(name)) {
                out.append(';').append(parts[i]);
            }
        }
        return out.toString();
    }
}
