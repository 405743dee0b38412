package dev.caravan.connector.jdbc;

import dev.caravan.api.config.Config;
import dev.caravan.api.record.Column;
import dev.caravan.api.record.DataRecord;
import dev.caravan.api.record.Schema;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A test database reached with plain JDBC (never through the connector under test): embedded H2 and SQLite files in
 * a temp directory, or a fresh database on the PostgreSQL / MariaDB servers started by scripts/servers/*.sh
 * (coordinates from the system properties {@code caravan.it.pgUrl} / {@code caravan.it.mariadbUrl} or the
 * environment {@code CARAVAN_IT_PG_URL} / {@code CARAVAN_IT_MARIADB_URL}).
 */
final class TestDb {
    static final String PG_ADMIN = setting("caravan.it.pgUrl", "CARAVAN_IT_PG_URL",
            "jdbc:postgresql://127.0.0.1:18032/postgres?user=postgres");
    static final String MARIADB_ADMIN = setting("caravan.it.mariadbUrl", "CARAVAN_IT_MARIADB_URL",
            "jdbc:mariadb://127.0.0.1:18033/mysql?user=root");

    final String kind;
    final String url;

    private TestDb(String kind, String url) {
        this.kind = kind;
        this.url = url;
    }

    private static String setting(String property, String env, String fallback) {
        String v = System.getProperty(property);
        if (v == null || v.isBlank()) {
            v = System.getenv(env);
        }
        return v == null || v.isBlank() ? fallback : v;
    }

    static TestDb h2(Path dir, String name) {
        return new TestDb("h2", "jdbc:h2:" + dir.resolve(name).toAbsolutePath() + ";DB_CLOSE_DELAY=0");
    }

    static TestDb sqlite(Path dir, String name) {
        return new TestDb("sqlite", "jdbc:sqlite:" + dir.resolve(name + ".db").toAbsolutePath());
    }

    /** A new, empty database on the test PostgreSQL server. */
    static TestDb postgres(String prefix) {
        String db = prefix + "_" + UUID.randomUUID().toString().substring(0, 8);
        execAt(PG_ADMIN, "CREATE DATABASE " + db);
        return new TestDb("postgresql", PG_ADMIN.replaceFirst("/[^/?]+(\\?|$)", "/" + db + "$1"));
    }

    /** A new, empty database on the test MariaDB server. */
    static TestDb mariadb(String prefix) {
        String db = prefix + "_" + UUID.randomUUID().toString().substring(0, 8);
        execAt(MARIADB_ADMIN, "CREATE DATABASE " + db + " CHARACTER SET utf8mb4");
        String url = MARIADB_ADMIN.replaceFirst("/[^/?]+(\\?|$)", "/" + db + "$1");
        // server-side prepared statements: the text protocol rounds FLOAT to 6 digits
        return new TestDb("mariadb", url + (url.contains("?") ? "&" : "?") + "useServerPrepStmts=true");
    }

    static void execAt(String url, String... sql) {
        try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
            for (String s : sql) {
                st.execute(s);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage() + " running " + String.join("; ", sql), e);
        }
    }

    /** The URI of this database for the jdbc connector. */
    String uri() {
        return url;
    }

    /** The location part for the provider (the URI after "jdbc:"). */
    String location() {
        return url.substring("jdbc:".length());
    }

    Connection connect() throws SQLException {
        return DriverManager.getConnection(url);
    }

    void exec(String... sql) {
        execAt(url, sql);
    }

    String q(String id) {
        return kind.equals("mariadb") ? "`" + id.replace("`", "``") + "`" : "\"" + id.replace("\"", "\"\"") + "\"";
    }

    /** Native type of a fixture column in this database. */
    String type(Column c) {
        return switch (c.type()) {
            case LONG -> kind.equals("sqlite") ? "INTEGER" : "BIGINT";
            case STRING -> kind.equals("sqlite") ? "TEXT" : "VARCHAR(" + c.precision() + ")";
            case DECIMAL -> (kind.equals("mariadb") ? "DECIMAL(" : "NUMERIC(") + c.precision() + "," + c.scale() + ")";
            case DOUBLE -> switch (kind) {
                case "sqlite" -> "REAL";
                case "mariadb" -> "DOUBLE";
                default -> "DOUBLE PRECISION";
            };
            case BOOLEAN -> "BOOLEAN";
            case TIMESTAMP -> switch (kind) {
                case "mariadb" -> "DATETIME(6)";
                case "h2" -> "TIMESTAMP(6)";
                default -> "TIMESTAMP";
            };
            case DATE -> "DATE";
            case BYTES -> switch (kind) {
                case "postgresql" -> "BYTEA";
                case "mariadb" -> "LONGBLOB";
                case "h2" -> "VARBINARY";
                default -> "BLOB";
            };
            default -> throw new IllegalArgumentException(c.toString());
        };
    }

    /** Creates a table of the schema (primary key = its key) and inserts the rows, by plain JDBC. */
    void create(String table, Schema schema, List<DataRecord> rows) {
        StringBuilder ddl = new StringBuilder("CREATE TABLE " + q(table) + " (");
        for (Column c : schema.columns()) {
            ddl.append(q(c.name())).append(' ').append(type(c)).append(c.nullable() ? "" : " NOT NULL").append(", ");
        }
        ddl.append("PRIMARY KEY (").append(q(schema.keyColumns().get(0))).append("))");
        if (kind.equals("mariadb")) {
            ddl.append(" ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin");
        }
        exec(ddl.toString());
        insert(table, schema, rows);
    }

    void insert(String table, Schema schema, List<DataRecord> rows) {
        StringBuilder sql = new StringBuilder("INSERT INTO " + q(table) + " VALUES (");
        for (int i = 0; i < schema.columns().size(); i++) {
            sql.append(i == 0 ? "?" : ", ?");
        }
        sql.append(')');
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(sql.toString())) {
            c.setAutoCommit(false);
            for (DataRecord r : rows) {
                for (int i = 0; i < r.values().length; i++) {
                    set(ps, i + 1, r.values()[i]);
                }
                ps.addBatch();
            }
            ps.executeBatch();
            c.commit();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private void set(PreparedStatement ps, int i, Object v) throws SQLException {
        boolean sqlite = kind.equals("sqlite");
        if (v == null) {
            ps.setNull(i, Types.NULL);
        } else if (v instanceof LocalDateTime t) {
            if (sqlite) {
                ps.setString(i, t.toString().replace('T', ' '));
            } else {
                ps.setObject(i, t);
            }
        } else if (v instanceof LocalDate d && sqlite) {
            ps.setString(i, d.toString());
        } else if (v instanceof BigDecimal d && sqlite) {
            ps.setString(i, d.toPlainString());
        } else if (v instanceof Boolean b && sqlite) {
            ps.setInt(i, b ? 1 : 0);
        } else {
            ps.setObject(i, v);
        }
    }

    /** Every row of a table in the order of the first column, values read by the schema's column types. */
    List<DataRecord> read(String table, Schema schema) {
        StringBuilder cols = new StringBuilder();
        for (Column c : schema.columns()) {
            cols.append(cols.length() == 0 ? "" : ", ").append(q(c.name()));
        }
        List<DataRecord> out = new ArrayList<>();
        try (Connection c = connect(); PreparedStatement st = c.prepareStatement("SELECT " + cols + " FROM " + q(table)
                + " ORDER BY " + q(schema.columns().get(0).name())); ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                Object[] v = new Object[schema.columns().size()];
                for (int i = 0; i < v.length; i++) {
                    v[i] = get(rs, i + 1, schema.columns().get(i));
                }
                out.add(new DataRecord(v));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    private Object get(ResultSet rs, int i, Column c) throws SQLException {
        Object raw = rs.getObject(i);
        if (raw == null) {
            return null;
        }
        boolean sqlite = kind.equals("sqlite");
        return switch (c.type()) {
            case LONG, INT -> rs.getLong(i);
            case DECIMAL -> sqlite ? new BigDecimal(rs.getString(i)) : rs.getBigDecimal(i);
            case DOUBLE -> rs.getDouble(i);
            case FLOAT -> (float) rs.getDouble(i);
            case BOOLEAN -> rs.getBoolean(i);
            case TIMESTAMP -> sqlite ? LocalDateTime.parse(rs.getString(i).replace(' ', 'T'))
                    : rs.getObject(i, LocalDateTime.class);
            case TIMESTAMP_TZ -> sqlite ? OffsetDateTime.parse(rs.getString(i).replace(' ', 'T'))
                    : rs.getObject(i, OffsetDateTime.class);
            case DATE -> sqlite ? LocalDate.parse(rs.getString(i)) : rs.getObject(i, LocalDate.class);
            case TIME -> sqlite ? LocalTime.parse(rs.getString(i)) : rs.getObject(i, LocalTime.class);
            case BYTES -> rs.getBytes(i);
            default -> rs.getString(i);
        };
    }

    /** The first column of what {@code sql} selects, as text, row by row. */
    List<String> column(String sql) {
        try (Connection c = connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            List<String> out = new ArrayList<>();
            while (rs.next()) {
                out.add(rs.getString(1));
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The structure of the tables, sorted, one line each: primary key columns, index columns (primary key and unique
     * constraints included), foreign key columns and identity (auto-increment) columns, with their names (those H2
     * generates without their counter).
     */
    List<String> structure(String... tables) {
        List<String> out = new ArrayList<>();
        try (Connection c = connect()) {
            java.sql.DatabaseMetaData md = c.getMetaData();
            boolean catalogs = kind.equals("mariadb");
            String catalog = catalogs ? c.getCatalog() : null;
            String schema = catalogs || kind.equals("sqlite") ? null : c.getSchema();
            for (String table : tables) {
                try (ResultSet rs = md.getPrimaryKeys(catalog, schema, table)) {
                    while (rs.next()) {
                        out.add("pk " + table + " " + rs.getString("COLUMN_NAME"));
                    }
                }
                try (ResultSet rs = md.getIndexInfo(catalog, schema, table, false, false)) {
                    while (rs.next()) {
                        if (rs.getString("COLUMN_NAME") != null) {
                            // H2 names the indexes it makes with a counter: PRIMARY_KEY_C3, orders_fk0_INDEX_C
                            String name = rs.getString("INDEX_NAME").replaceAll("^(PRIMARY_KEY|.*_INDEX)_[0-9A-F]+$",
                                    "$1");
                            out.add("index " + table + " " + name + " "
                                    + rs.getString("COLUMN_NAME") + (rs.getBoolean("NON_UNIQUE") ? "" : " unique"));
                        }
                    }
                }
                try (ResultSet rs = md.getImportedKeys(catalog, schema, table)) {
                    while (rs.next()) {
                        out.add("fk " + table + " " + rs.getString("FK_NAME") + " " + rs.getString("FKCOLUMN_NAME")
                                + " -> " + rs.getString("PKTABLE_NAME") + "." + rs.getString("PKCOLUMN_NAME"));
                    }
                }
                try (ResultSet rs = md.getColumns(catalog, schema, table, "%")) {
                    while (rs.next()) {
                        if ("YES".equalsIgnoreCase(rs.getString("IS_AUTOINCREMENT"))) {
                            out.add("identity " + table + " " + rs.getString("COLUMN_NAME"));
                        }
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        out.sort(null);
        return out;
    }

    long count(String table) {
        try (Connection c = connect(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + q(table))) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Options for the connector: the given ones plus a small batch size. */
    static Config config(Map<String, String> options) {
        Map<String, String> all = new HashMap<>(options);
        return JdbcOptions.OPTIONS.resolve(all);
    }
}
