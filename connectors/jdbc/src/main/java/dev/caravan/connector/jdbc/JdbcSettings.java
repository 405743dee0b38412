package dev.caravan.connector.jdbc;

import dev.caravan.api.config.Config;
import dev.caravan.api.error.MigrationException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The resolved options of one source or sink. Immutable.
 *
 * @param url       full JDBC URL ({@code jdbc:...}), possibly with credentials in its query
 */
record JdbcSettings(String url, String user, String password, String schema, String table, String query,
        List<String> include, List<String> exclude, List<String> keyColumns, String targetSchema, int batchSize,
        int fetchSize, boolean createTables, Mode mode, Load load, boolean truncate, boolean keepReplaced,
        WriteMethod writeMethod, TypeRules typeRules, Renames renames, String rejectFile, long maxRejects,
        Map<String, String> driverProperties) {

    /** What the sink does with rows and existing tables. */
    enum Mode { APPEND, REPLACE, UPSERT }

    /** What a table migration does to the target: structure and rows, the structure only, or the rows only. */
    enum Load { ALL, SCHEMA, DATA }

    /** How the sink sends rows. */
    enum WriteMethod { AUTO, COPY, INSERT }

    static JdbcSettings of(String location, Config c) {
        if (location == null || location.isBlank()) {
            throw MigrationException.userConfig("the jdbc connector needs a JDBC URL after the scheme, e.g. "
                    + "jdbc:postgresql://127.0.0.1:5432/db, jdbc:mariadb://host/db, jdbc:sqlite:/data/app.db, "
                    + "jdbc:h2:/data/db");
        }
        String url = location.startsWith("jdbc:") ? location : "jdbc:" + location;
        String table = c.string(JdbcOptions.TABLE.name());
        String query = c.string(JdbcOptions.QUERY.name());
        if (table != null && query != null) {
            throw MigrationException.userConfig("options 'table' and 'query' of the jdbc connector exclude each "
                    + "other: read a table or a query");
        }
        String user = c.string(JdbcOptions.USER.name());
        String password = c.string(JdbcOptions.PASSWORD.name());
        String urlUser = urlParameter(url, "user");
        if (user != null && urlUser != null && !user.equals(urlUser)) {
            throw MigrationException.userConfig("the jdbc connector is given two users for " + mask(url) + ": '"
                    + urlUser + "' in the URL and '" + user + "' by the user option (sourceUser/targetUser in"
                    + " templates), and the driver would take the URL's; give the user in one place");
        }
        String urlPassword = urlParameter(url, "password");
        if (password != null && urlPassword != null && !password.equals(urlPassword)) {
            throw MigrationException.userConfig("the jdbc connector is given two different passwords for " + mask(url)
                    + ", one in the URL and one by the password option, and the driver would take the URL's; give"
                    + " the password in one place");
        }
        Mode mode = Mode.valueOf(c.string(JdbcOptions.MODE.name()).toUpperCase(Locale.ROOT));
        Load load = Load.valueOf(c.string(JdbcOptions.LOAD.name()).toUpperCase(Locale.ROOT));
        boolean createTables = c.bool(JdbcOptions.CREATE_TABLES.name());
        if (load == Load.DATA && mode == Mode.REPLACE) {
            throw MigrationException.userConfig("load=data loads into existing tables and mode replace would drop and"
                    + " recreate them: use mode append (with truncate=true to empty them first) or upsert");
        }
        if (load == Load.SCHEMA && !createTables) {
            throw MigrationException.userConfig("load=schema creates the target's tables and createTables=false "
                    + "forbids it: drop createTables=false, or use load=all to load existing tables");
        }
        boolean truncate = c.bool(JdbcOptions.TRUNCATE.name());
        boolean keepReplaced = c.bool(JdbcOptions.KEEP_REPLACED.name());
        if (keepReplaced && mode != Mode.REPLACE && !truncate) {
            throw MigrationException.userConfig("keepReplaced=true keeps the rows mode=replace drops or truncate=true "
                    + "empties, and this target does neither (mode " + mode.name().toLowerCase(Locale.ROOT) + ", "
                    + "truncate=false): add mode=replace or truncate=true, or drop keepReplaced");
        }
        return new JdbcSettings(url, user, password,
                c.string(JdbcOptions.SCHEMA.name()), table, query, c.list(JdbcOptions.INCLUDE.name()),
                c.list(JdbcOptions.EXCLUDE.name()), c.list(JdbcOptions.KEY_COLUMN.name()),
                c.string(JdbcOptions.TARGET_SCHEMA.name()), c.intValue(JdbcOptions.BATCH_SIZE.name(), 10_000),
                c.intValue(JdbcOptions.FETCH_SIZE.name(), 10_000), createTables, mode, load,
                truncate, keepReplaced,
                WriteMethod.valueOf(c.string(JdbcOptions.WRITE_METHOD.name()).toUpperCase(Locale.ROOT)),
                TypeRules.parse(c.string(JdbcOptions.TYPE_MAPPING.name())),
                Renames.parse(c.string(JdbcOptions.RENAME.name())), c.string(JdbcOptions.REJECT_FILE.name()),
                c.longValue(JdbcOptions.MAX_REJECTS.name(), -1),
                properties(c.string(JdbcOptions.DRIVER_PROPERTIES.name())));
    }

    /**
     * A parameter of the URL ({@code ?name=value&...}, or H2's {@code ;NAME=value}), decoded, or {@code null}: what
     * the drivers take over the connection properties.
     */
    static String urlParameter(String url, String name) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("[?&;]" + name + "=([^&;]*)",
                java.util.regex.Pattern.CASE_INSENSITIVE).matcher(url);
        if (!m.find()) {
            return null;
        }
        try {
            return java.net.URLDecoder.decode(m.group(1), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return m.group(1);
        }
    }

    private static Map<String, String> properties(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        if (text == null) {
            return out;
        }
        for (String part : text.split(";")) {
            if (part.isBlank()) {
                continue;
            }
            int eq = part.indexOf('=');
            if (eq <= 0) {
                throw MigrationException.userConfig("option 'driverProperties' of the jdbc connector: '" + part
                        + "' is not name=value");
            }
            out.put(part.substring(0, eq).trim(), part.substring(eq + 1).trim());
        }
        return out;
    }

    /** Whether the sink may create a missing table: createTables, unless it loads data only. */
    boolean createsTables() {
        return createTables && load != Load.DATA;
    }

    /** The schema the sink writes to, or {@code null} for the connection's default. */
    String writeSchema() {
        return targetSchema != null ? targetSchema : schema;
    }

    /** The URL with any password in it masked: safe for logs, task ids and reports. */
    String maskedUrl() {
        return mask(url);
    }

    static String mask(String url) {
        return dev.caravan.api.config.MaskedUris.of(url);
    }
}
