package dev.caravan.application;

import dev.caravan.api.error.MigrationException;
import dev.caravan.api.store.KeyGlob;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * Plain JDBC for what the record engine does not do and a rollback needs: list the tables of a database, count
 * rows, back up a table into a copy, restore it, drop a table. Identifiers are quoted with the driver's quote.
 */
final class JdbcTables implements AutoCloseable {
    private final Connection connection;
    private final String catalog;
    private final String schema;
    private final String quote;

    private JdbcTables(Connection connection, String schema) throws SQLException {
        this.connection = connection;
        // MariaDB/MySQL have no schemas (the database is the catalog): without the catalog, the metadata lists the
        // tables of every database on the server
        this.catalog = schema == null ? connection.getCatalog() : null;
        this.schema = schema;
        String q = connection.getMetaData().getIdentifierQuoteString();
        this.quote = q == null || q.isBlank() ? "\"" : q.trim();
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
            throw MigrationException.userConfig("cannot connect to " + masked(url) + ": " + e.getMessage());
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

    static String masked(String url) {
        return url.replaceAll("(?i)(password=)[^&;]*", "$1****").replaceAll("(//[^/:@]*:)[^/@]*@", "$1****@");
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
     * Puts the rows of {@code backup} back into {@code table} (its current rows are removed, in the same transaction)
     * and drops the copy. Columns are matched by name: the run may have recreated the table with its columns in
     * another order (mode replace), and a positional copy would put values into the wrong columns.
     */
    void restore(String table, String backup) {
        String columns = String.join(", ", columns(backup).stream().map(this::quoted).toList());
        transaction("DELETE FROM " + name(table), "INSERT INTO " + name(table) + " (" + columns + ") SELECT "
                + columns + " FROM " + name(backup));
        exec("DROP TABLE " + name(backup));
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
