package dev.caravan.application;

import dev.caravan.api.error.MigrationException;
import dev.caravan.api.store.KeyGlob;
import dev.caravan.application.model.Redaction;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * Plain JDBC for what the record engine does not do and a rollback needs: list the tables of a database, count
 * rows, back up a table into a copy, restore it, empty tables for a reload, drop a table. Identifiers are quoted
 * with the driver's quote.
 */
final class JdbcTables implements AutoCloseable {
    private final Connection connection;
    private final String catalog;
    private final String schema;
    private final String quote;
    private final boolean postgres;

    private JdbcTables(Connection connection, String schema) throws SQLException {
        this.connection = connection;
        // MariaDB/MySQL have no schemas (the database is the catalog): without the catalog, the metadata lists the
        // tables of every database on the server
        this.catalog = schema == null ? connection.getCatalog() : null;
        this.schema = schema;
        String q = connection.getMetaData().getIdentifierQuoteString();
        this.quote = q == null || q.isBlank() ? "\"" : q.trim();
        this.postgres = "PostgreSQL".equalsIgnoreCase(connection.getMetaData().getDatabaseProductName());
    }

    /**
     * Connects to a {@code jdbc:} URI of the jdbc connector with its {@code user}, {@code password} and
     * {@code schema} (or {@code targetSchema}) options.
     */
    static JdbcTables open(String uri, Map<String, String> options) {
        String url = uri.startsWith("jdbc:jdbc:") ? uri.substring(5) : uri;
        Properties p = new Properties();
        if (options.get("user") != null) {
            p.setProperty("user", options.get("user"));
        }
        if (options.get("password") != null) {
            p.setProperty("password", options.get("password"));
        }
        try {
            Connection c = DriverManager.getConnection(url, p);
            String schema = options.getOrDefault("targetSchema", options.get("schema"));
            return new JdbcTables(c, schema != null ? schema : c.getSchema());
        } catch (SQLException e) {
            throw MigrationException.userConfig("cannot connect to " + Redaction.text(url) + ": " + e.getMessage());
        }
    }

    /** Whether the URI names an embedded (SQLite or H2) database file that does not exist yet. */
    static boolean missingFile(String uri) {
        String url = uri.startsWith("jdbc:jdbc:") ? uri.substring(5) : uri;
        java.util.regex.Matcher m = Pattern.compile("jdbc:(sqlite|h2(?::file)?):([^;?]+).*").matcher(url);
        if (!m.matches() || m.group(2).startsWith("mem:") || m.group(2).startsWith("tcp:")) {
            return false;
        }
        String path = m.group(2);
        return m.group(1).startsWith("h2") ? !java.nio.file.Files.exists(java.nio.file.Path.of(path + ".mv.db"))
                : !java.nio.file.Files.exists(java.nio.file.Path.of(path));
    }

    /** The base tables of the schema, filtered by include/exclude globs (case-insensitive); our backups excluded. */
    List<String> tables(List<String> include, List<String> exclude) {
        List<Pattern> in = include.stream().map(g -> KeyGlob.compile(g.toLowerCase(Locale.ROOT))).toList();
        List<Pattern> out = exclude.stream().map(g -> KeyGlob.compile(g.toLowerCase(Locale.ROOT))).toList();
        List<String> names = new ArrayList<>();
        try {
            DatabaseMetaData md = connection.getMetaData();
            try (ResultSet rs = md.getTables(catalog, schema, "%", null)) {
                while (rs.next()) {
                    String type = String.valueOf(rs.getString("TABLE_TYPE")).toUpperCase(Locale.ROOT);
                    String name = rs.getString("TABLE_NAME");
                    String lower = name.toLowerCase(Locale.ROOT);
                    if (!type.contains("TABLE") || type.contains("SYSTEM") || type.contains("TEMP")
                            || lower.startsWith("caravan_bak_") || lower.startsWith("sqlite_")) {
                        continue;
                    }
                    if ((in.isEmpty() || in.stream().anyMatch(p -> p.matcher(lower).matches()))
                            && out.stream().noneMatch(p -> p.matcher(lower).matches())) {
                        names.add(name);
                    }
                }
            }
        } catch (SQLException e) {
            throw MigrationException.userConfig("cannot list the tables: " + e.getMessage());
        }
        return names;
    }

    /** Whether a table of exactly this name exists in the schema (our backups included). */
    boolean exists(String table) {
        try (ResultSet rs = connection.getMetaData().getTables(catalog, schema, table, null)) {
            while (rs.next()) {
                if (table.equals(rs.getString("TABLE_NAME"))) {
                    return true;
                }
            }
            return false;
        } catch (SQLException e) {
            throw MigrationException.userData("cannot look for table " + table + ": " + e.getMessage());
        }
    }

    long count(String table) {
        try (Statement s = connection.createStatement();
                ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + name(table))) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw MigrationException.userData("cannot count " + table + ": " + e.getMessage());
        }
    }

    /** Copies a table's rows into {@code backup} (created). */
    void backup(String table, String backup) {
        exec("CREATE TABLE " + name(backup) + " AS SELECT * FROM " + name(table));
    }

    /**
     * Puts the rows of each backup copy back into its table ({@code table -> copy}) in one transaction (the tables'
     * current rows are removed first, referencing tables before the tables they reference; rows go back the other way
     * round, so that foreign keys between the tables hold), then drops the copies. Columns are matched by name: the
     * table may have its columns in another order than its copy, and a positional copy would put values into the
     * wrong columns.
     */
    void restore(Map<String, String> backups) {
        List<String> order = referencingFirst(new ArrayList<>(backups.keySet()));
        List<String> statements = new ArrayList<>();
        order.forEach(t -> statements.add("DELETE FROM " + name(t)));
        List<String> referencedFirst = new ArrayList<>(order);
        java.util.Collections.reverse(referencedFirst);
        for (String t : referencedFirst) {
            String columns = String.join(", ", columns(backups.get(t)).stream().map(this::quoted).toList());
            statements.add("INSERT INTO " + name(t) + " (" + columns + ") SELECT " + columns + " FROM "
                    + name(backups.get(t)));
        }
        transaction(statements.toArray(String[]::new));
        backups.values().forEach(copy -> exec("DROP TABLE " + name(copy)));
    }

    /**
     * Removes every row of {@code tables} in one transaction and keeps the tables as they are defined (indexes,
     * defaults, constraints, grants, triggers): PostgreSQL truncates them all in one statement, the other databases
     * delete their rows, referencing tables first. Refused, with nothing removed, when a table outside
     * {@code tables} has a foreign key to one of them ({@link #keysFromOutside}).
     */
    void empty(List<String> tables) {
        List<String> outside = keysFromOutside(tables);
        if (!outside.isEmpty()) {
            throw MigrationException.userConfig("cannot empty " + tables + " to reload them: " + String.join(", ",
                    outside) + "; include the referencing table in the step, drop the foreign key, or give the "
                    + "step an incremental column");
        }
        if (tables.isEmpty()) {
            return;
        }
        if (postgres) {
            transaction("TRUNCATE TABLE " + String.join(", ", tables.stream().map(this::name).toList()));
        } else {
            transaction(referencingFirst(tables).stream().map(t -> "DELETE FROM " + name(t)).toArray(String[]::new));
        }
    }

    /**
     * The foreign keys of tables outside {@code tables} that reference one of them, as {@code the foreign key K of
     * T references U}: emptying U would fail on T's rows, or change them (ON DELETE CASCADE / SET NULL).
     */
    List<String> keysFromOutside(List<String> tables) {
        List<String> out = new ArrayList<>();
        for (String t : tables) {
            for (String[] k : keys(t, false)) {
                boolean sameSchema = k[2] == null || home() == null || k[2].equals(home());
                if (!sameSchema || !tables.contains(k[0])) {
                    out.add((k[1] == null ? "a foreign key" : "the foreign key " + k[1]) + " of "
                            + (sameSchema ? "" : k[2] + ".") + k[0] + " references " + t);
                }
            }
        }
        return out;
    }

    /** The tables among {@code tables}, other than {@code table}, that {@code table} has a foreign key to. */
    private List<String> parents(String table, List<String> tables) {
        return keys(table, true).stream().filter(k -> k[2] == null || home() == null || k[2].equals(home()))
                .map(k -> k[0]).filter(p -> !p.equals(table) && tables.contains(p)).toList();
    }

    /** {@code tables} ordered so that a table comes before every other one of them it references. */
    private List<String> referencingFirst(List<String> tables) {
        Map<String, List<String>> parents = new LinkedHashMap<>();
        for (String t : tables) {
            parents.put(t, parents(t, tables));
        }
        List<String> order = new ArrayList<>();
        List<String> left = new ArrayList<>(tables);
        while (!left.isEmpty()) {
            // a table no remaining table references; in a cycle of foreign keys, the next one (the database decides)
            String next = left.stream().filter(t -> left.stream().noneMatch(o -> parents.get(o).contains(t)))
                    .findFirst().orElse(left.get(0));
            order.add(next);
            left.remove(next);
        }
        return order;
    }

    /**
     * Foreign keys of {@code table}: with {@code imported}, those it has ({@code [referenced table, key name, its
     * schema]}); otherwise those that reference it ({@code [referencing table, key name, its schema]}); the schema is
     * the catalog on MariaDB/MySQL, where databases are catalogs; the key name is {@code null} when it has none
     * (SQLite).
     */
    private List<String[]> keys(String table, boolean imported) {
        List<String[]> out = new ArrayList<>();
        try {
            DatabaseMetaData md = connection.getMetaData();
            try (ResultSet rs = imported ? md.getImportedKeys(catalog, schema, table)
                    : md.getExportedKeys(catalog, schema, table)) {
                while (rs.next()) {
                    String side = imported ? "PK" : "FK";
                    String other = rs.getString(side + "TABLE_NAME");
                    String otherSchema = rs.getString(side + (catalog != null ? "TABLE_CAT" : "TABLE_SCHEM"));
                    String key = rs.getString("FK_NAME");
                    out.add(new String[] {other, key == null || key.isBlank() ? null : key, otherSchema});
                }
            }
        } catch (SQLException e) {
            throw MigrationException.userData("cannot read the foreign keys of " + table + ": " + e.getMessage());
        }
        return out;
    }

    private List<String> columns(String table) {
        try (Statement s = connection.createStatement();
                ResultSet rs = s.executeQuery("SELECT * FROM " + name(table) + " WHERE 1 = 0")) {
            List<String> out = new ArrayList<>();
            for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                out.add(rs.getMetaData().getColumnName(i));
            }
            return out;
        } catch (SQLException e) {
            throw MigrationException.userData("cannot read the columns of " + table + ": " + e.getMessage());
        }
    }

    private void transaction(String... statements) {
        String current = null;
        try {
            boolean auto = connection.getAutoCommit();
            connection.setAutoCommit(false);
            try (Statement s = connection.createStatement()) {
                for (String sql : statements) {
                    current = sql;
                    s.execute(sql);
                }
                connection.commit();
            } catch (SQLException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(auto);
            }
        } catch (SQLException e) {
            throw MigrationException.userData((current == null ? "" : current + ": ") + e.getMessage());
        }
    }

    void drop(String table) {
        exec("DROP TABLE " + name(table));
    }

    void exec(String sql) {
        try (Statement s = connection.createStatement()) {
            s.execute(sql);
            if (!connection.getAutoCommit()) {
                connection.commit();
            }
        } catch (SQLException e) {
            throw MigrationException.userData(sql + ": " + e.getMessage());
        }
    }

    /** The schema, or the catalog where the database has no schemas (MariaDB/MySQL). */
    private String home() {
        return catalog != null ? catalog : schema;
    }

    private String name(String table) {
        return schema == null || schema.isBlank() ? quoted(table) : quoted(schema) + "." + quoted(table);
    }

    private String quoted(String identifier) {
        return quote + identifier.replace(quote, quote + quote) + quote;
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            // nothing left to do with a connection that does not close
        }
    }
}
