package dev.caravan.connector.jdbc.dialect;

import static dev.caravan.connector.jdbc.dialect.ColumnSizes.smallintDigits;

import dev.caravan.api.record.Column;
import dev.caravan.api.record.ColumnType;
import dev.caravan.connector.jdbc.TableRef;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * MariaDB and MySQL. Identifiers in backticks; tables are created InnoDB, {@code utf8mb4} with the binary
 * collation (so keys compare like PostgreSQL's and SQLite's, case- and accent-sensitive); sessions use UTC and
 * {@code NO_AUTO_VALUE_ON_ZERO} (an explicit 0 in an auto-increment column stays 0). Readers use server-side
 * prepared statements: the text protocol rounds FLOAT values to 6 digits. MariaDB has no time-zone
 * aware timestamp: {@link ColumnType#TIMESTAMP_TZ} values are stored in {@code DATETIME(6)} converted to UTC.
 */
public final class MariaDbDialect extends Dialect {
    /** A TIME value that is a time of day (MariaDB's TIME also holds durations). */
    private static final Pattern TIME_OF_DAY = Pattern.compile("([01]\\d|2[0-3]):[0-5]\\d:[0-5]\\d(\\.\\d{1,9})?");

    private static final Pattern JSON_CHECK = Pattern.compile("json_valid\\(`((?:[^`]|``)+)`\\)",
            Pattern.CASE_INSENSITIVE);

    @Override
    public String name() {
        return "mariadb";
    }

    @Override
    public Driver driver() {
        return new org.mariadb.jdbc.Driver();
    }

    @Override
    public void configure(Properties props, boolean writing) {
        props.putIfAbsent("yearIsDateType", "false");
        props.putIfAbsent("permitMysqlScheme", "true");
        if (!writing) {
            // the text protocol prints FLOAT with 6 significant digits (279818.34 reads as 279818.0); the binary
            // protocol of server-side prepared statements returns the stored value
            props.putIfAbsent("useServerPrepStmts", "true");
        }
    }

    @Override
    public List<String> sessionSetup() {
        return List.of("SET SESSION time_zone = '+00:00'",
                "SET SESSION sql_mode = CONCAT_WS(',', NULLIF(@@SESSION.sql_mode, ''), 'NO_AUTO_VALUE_ON_ZERO')");
    }

    @Override
    public String quote(String identifier) {
        if (identifier.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("an identifier cannot contain a NUL character");
        }
        return '`' + identifier.replace("`", "``") + '`';
    }

    @Override
    public String literal(String value) {
        if (value.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("a literal cannot contain a NUL character");
        }
        return "'" + value.replace("\\", "\\\\").replace("'", "''") + "'";
    }

    @Override
    public String defaultSchema(Connection c) throws SQLException {
        return c.getCatalog();
    }

    @Override
    public boolean schemaIsCatalog() {
        return true;
    }

    @Override
    public int maxIdentifierLength() {
        return 64;
    }

    @Override
    protected boolean measuresIdentifiersInBytes() {
        return false;
    }

    @Override
    public String displayName() {
        return "MariaDB";
    }

    @Override
    public ColumnType logicalType(int jdbcType, String typeName, int size, int digits) {
        String n = typeName == null ? "" : typeName.toLowerCase(Locale.ROOT);
        if (n.startsWith("bigint") && n.contains("unsigned")) {
            return ColumnType.DECIMAL;
        }
        if (n.contains("unsigned") && (n.startsWith("int") || n.startsWith("mediumint"))) {
            return ColumnType.LONG;
        }
        if (n.startsWith("year")) {
            return ColumnType.INT;
        }
        if (n.startsWith("float")) {
            return ColumnType.FLOAT;
        }
        if (n.startsWith("double")) {
            return ColumnType.DOUBLE;
        }
        if (n.startsWith("enum") || n.startsWith("set")) {
            return ColumnType.STRING;
        }
        if (n.startsWith("bit") && size > 1) {
            return ColumnType.LONG;
        }
        return super.logicalType(jdbcType, typeName, size, digits);
    }

    /** InnoDB's limit for one index key (DYNAMIC rows), in bytes. */
    private static final int MAX_KEY_BYTES = 3072;

    @Override
    public int maxKeyBytes() {
        return MAX_KEY_BYTES;
    }

    /**
     * Shares InnoDB's 3072 bytes among the key's strings (4 bytes a character in utf8mb4) and binaries, after its
     * fixed-size columns: the columns that need least first, each what it needs up to an equal share of what is left.
     * A single text column gets VARCHAR(768) as before; BIGINT + text, VARCHAR(766).
     */
    @Override
    public Map<String, Integer> keyLengths(List<Column> key) {
        int left = MAX_KEY_BYTES;
        List<Column> variable = new ArrayList<>();
        for (Column c : key) {
            if (c.type() == ColumnType.STRING || c.type() == ColumnType.BYTES) {
                variable.add(c);
            } else {
                left -= keyBytes(c);
            }
        }
        variable.sort(java.util.Comparator.comparingLong(c -> (long) need(c) * width(c)));
        Map<String, Integer> out = new HashMap<>();
        for (int i = 0; i < variable.size(); i++) {
            Column c = variable.get(i);
            int length = Math.max(0, Math.min(need(c), left / (variable.size() - i) / width(c)));
            out.put(c.name(), length);
            left -= length * width(c);
        }
        return out;
    }

    /** Bytes per unit of a variable-length key column: a utf8mb4 character, a byte. */
    private static int width(Column c) {
        return c.type() == ColumnType.STRING ? 4 : 1;
    }

    /** The length a key column would have alone: its declared length, at most VARCHAR(768) / VARBINARY(3072). */
    private static int need(Column c) {
        int most = MAX_KEY_BYTES / width(c);
        return c.precision() > 0 && c.precision() <= most ? c.precision() : most;
    }

    /** The most bytes a fixed-size column of the mapped type takes in a key. */
    private static int keyBytes(Column c) {
        return switch (c.type()) {
            case BOOLEAN -> 1;
            case INT, FLOAT -> 4;
            case DATE -> 3;
            case TIME -> 6;
            case LONG, DOUBLE, TIMESTAMP, TIMESTAMP_TZ -> 8;
            case DECIMAL -> 32; // DECIMAL(65,30) takes 30
            case UUID -> 36 * 4;
            default -> 0;
        };
    }

    @Override
    public String targetType(Column c, String sourceDialect, boolean indexed) {
        return switch (c.type()) {
            case BOOLEAN -> "BOOLEAN";
            case INT -> c.precision() > 0 && c.precision() <= 3 && "mariadb".equals(sourceDialect)
                    && smallintDigits(c) == 5 ? "TINYINT" // TINYINT UNSIGNED (to 255) needs SMALLINT
                    : c.precision() > 0 && c.precision() <= smallintDigits(c) ? "SMALLINT" : "INT";
            case LONG -> "BIGINT";
            case DECIMAL -> c.precision() > 0 && c.precision() <= 65
                    ? "DECIMAL(" + c.precision() + "," + Math.min(c.scale(), 30) + ")" : "DECIMAL(65,30)";
            case FLOAT -> "FLOAT";
            case DOUBLE -> "DOUBLE";
            case STRING -> indexed ? "VARCHAR(" + (c.precision() > 0 && c.precision() <= 768 ? c.precision() : 768)
                    + ")" : c.precision() > 0 && c.precision() <= 1000 ? "VARCHAR(" + c.precision() + ")" : "LONGTEXT";
            case BYTES -> indexed ? "VARBINARY(" + (c.precision() > 0 && c.precision() <= MAX_KEY_BYTES ? c.precision()
                    : MAX_KEY_BYTES) + ")" : "LONGBLOB";
            case DATE -> "DATE";
            case TIME -> "TIME(6)";
            case TIMESTAMP, TIMESTAMP_TZ -> "DATETIME(6)";
            case JSON -> "JSON";
            case UUID -> "CHAR(36)";
        };
    }

    /**
     * A DECIMAL declared wider than MariaDB's and MySQL's DECIMAL (65 digits, 30 after the point: MySQL's limit, which
     * MariaDB keeps for tables both can read) would become DECIMAL(p,30) or DECIMAL(65,30), and its values be rounded
     * or refused one by one as they come: it is refused while the run is planned, naming the type to map it to.
     */
    @Override
    public String unfit(Column c, String column) {
        if (c.type() != ColumnType.DECIMAL || c.precision() <= 0 || c.precision() <= 65 && c.scale() <= 30) {
            return null;
        }
        return "column " + column + " is DECIMAL(" + c.precision() + "," + c.scale() + "), which MariaDB cannot hold:"
                + " its DECIMAL keeps at most 65 digits, 30 of them after the decimal point, so values would be rounded;"
                + " give the column a type with typeMapping (e.g. column:" + column + "=DECIMAL("
                + Math.min(c.precision(), 65) + "," + Math.min(c.scale(), 30) + "), which refuses the values with more"
                + (c.scale() > 30 ? " decimals" : " digits") + " row by row)";
    }

    /**
     * Asks the server to prepare (parse and check, not run) a CREATE TABLE with a column of this type: MariaDB checks
     * the type's name, length, precision and scale then. Nothing is written. Refused access to prepare it (a user
     * without the CREATE privilege) proves nothing: then the type counts as known and the CREATE TABLE decides.
     */
    @Override
    public boolean knowsType(Connection c, String type) {
        try (PreparedStatement set = c.prepareStatement("SET @caravan_type_probe = ?")) {
            set.setString(1, "CREATE TABLE caravan_type_probe_" + Long.toHexString(System.nanoTime()) + " (c " + type
                    + ")");
            set.execute();
            try (java.sql.Statement st = c.createStatement()) {
                st.execute("PREPARE caravan_type_probe FROM @caravan_type_probe");
                st.execute("DEALLOCATE PREPARE caravan_type_probe");
            }
            return true;
        } catch (SQLException e) {
            return ACCESS_DENIED.contains(e.getErrorCode());
        }
    }

    /** Access denied to a database, a table, a user (the error codes of MariaDB and MySQL). */
    private static final Set<Integer> ACCESS_DENIED = Set.of(1044, 1045, 1142);

    /**
     * A TIME value read as it is written: MariaDB's TIME also holds durations (-838:59:59 to 838:59:59), which the
     * driver's LocalTime wraps modulo 24 hours without a word (838:59:59 became 22:59:59, and both sides of the
     * verification read it so). A value that is no time of day is refused with what to do instead.
     */
    @Override
    public Object read(ResultSet rs, int i, ColumnType type) throws SQLException {
        if (type != ColumnType.TIME) {
            return super.read(rs, i, type);
        }
        String text = rs.getString(i);
        if (text == null) {
            return null;
        }
        if (!TIME_OF_DAY.matcher(text).matches()) {
            throw new dev.caravan.api.error.MigrationException(dev.caravan.api.error.ErrorKind.USER_DATA, "TIME value '"
                    + text + "' of column " + rs.getMetaData().getColumnLabel(i) + " is a duration, not a time of day:"
                    + " it cannot be carried as a TIME without changing it; read the column as text with a query"
                    + " (CAST(column AS CHAR)) or leave the table out");
        }
        return java.time.LocalTime.parse(text);
    }

    /**
     * MariaDB has no NaN or Infinity (a NaN went into the SQL as a column name and failed the whole table), no date
     * before the year 1 (it stored 44 BC as the zero date 0000-00-00, 1 BC as the year 0000), and rounds a
     * DECIMAL to its scale without an error: a value with more than 30 decimals or 35 integer digits, more than the
     * widest DECIMAL(65,30) holds (an unbounded numeric maps to it), would be rounded.
     */
    @Override
    public String refusal(Object value, ColumnType type) {
        String infinityOrBc = Values.datesBeyond(value, displayName());
        if (infinityOrBc != null) {
            return infinityOrBc;
        }
        if (value instanceof Double d && (d.isNaN() || d.isInfinite())) {
            return "MariaDB holds no NaN or Infinity (the value " + d + ")";
        }
        if (value instanceof Float f && (f.isNaN() || f.isInfinite())) {
            return "MariaDB holds no NaN or Infinity (the value " + f + ")";
        }
        if (type == ColumnType.DECIMAL && value instanceof java.math.BigDecimal bd) {
            java.math.BigDecimal plain = bd.stripTrailingZeros();
            if (plain.scale() > 30 || plain.precision() - plain.scale() > 35) {
                String text = plain.toPlainString();
                return "the value " + (text.length() > 80 ? text.substring(0, 80) + "..." : text) + " has more digits"
                        + " than MariaDB's widest DECIMAL(65,30) holds: it would be rounded";
            }
        }
        return null;
    }

    @Override
    public boolean refusesValues(ColumnType type) {
        return type == ColumnType.DOUBLE || type == ColumnType.FLOAT || type == ColumnType.DECIMAL
                || super.refusesValues(type);
    }

    @Override
    public void bind(PreparedStatement ps, int i, Object v, ColumnType type) throws SQLException {
        if (v instanceof OffsetDateTime t) {
            ps.setObject(i, t.withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime());
            return;
        }
        super.bind(ps, i, v, type);
    }

    @Override
    public int sqlType(ColumnType type) {
        return type == ColumnType.TIMESTAMP_TZ ? Types.TIMESTAMP : super.sqlType(type);
    }

    @Override
    public String identityClause(Column column) {
        return column.type() == ColumnType.INT || column.type() == ColumnType.LONG ? " AUTO_INCREMENT" : "";
    }

    @Override
    public List<String> restartIdentity(TableRef table, String column, long next) {
        return List.of("ALTER TABLE " + qualified(table) + " AUTO_INCREMENT = " + next);
    }

    @Override
    public List<String> extraTableClauses(List<Column> columns, List<String> keys, Set<String> identity) {
        List<String> out = new ArrayList<>();
        for (String col : identity) {
            if (keys.isEmpty() || !keys.get(0).equals(col)) {
                out.add("KEY " + quote(shorten("caravan_ai_" + col)) + " (" + quote(col) + ")");
            }
        }
        return out;
    }

    private String shorten(String name) {
        return name.length() <= 64 ? name : name.substring(0, 55) + Integer.toHexString(name.hashCode());
    }

    @Override
    public String createTableSuffix() {
        return " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin";
    }

    @Override
    public java.util.Optional<String> createSchema(String schema) {
        return java.util.Optional.of("CREATE DATABASE IF NOT EXISTS " + quote(schema)
                + " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin");
    }

    @Override
    public String dropTable(TableRef t) {
        return "DROP TABLE IF EXISTS " + qualified(t);
    }

    /** A table dropped with foreign key checks off keeps the keys that reference it; a new one must fit them. */
    @Override
    public java.util.Optional<String> dropForeignKey(TableRef table, String name) {
        return java.util.Optional.of("ALTER TABLE " + qualified(table) + " DROP FOREIGN KEY " + quote(name));
    }

    @Override
    public List<String> withoutForeignKeyChecks(List<String> statements) {
        List<String> out = new ArrayList<>();
        out.add("SET SESSION foreign_key_checks = 0");
        out.addAll(statements);
        out.add("SET SESSION foreign_key_checks = 1");
        return out;
    }

    @Override
    public String upsert(TableRef t, List<String> columns, List<String> keys) {
        StringBuilder sb = new StringBuilder(insert(t, columns)).append(" ON DUPLICATE KEY UPDATE ");
        List<String> others = columns.stream().filter(c -> !keys.contains(c)).toList();
        List<String> set = others.isEmpty() ? List.of(keys.get(0)) : others;
        for (int i = 0; i < set.size(); i++) {
            String q = quote(set.get(i));
            sb.append(i == 0 ? "" : ", ").append(q).append(" = VALUES(").append(q).append(')');
        }
        return sb.toString();
    }

    @Override
    public long estimateRows(Connection c, TableRef t) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT TABLE_ROWS FROM information_schema.TABLES"
                + " WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?")) {
            ps.setString(1, t.schema() == null ? c.getCatalog() : t.schema());
            ps.setString(2, t.name());
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next() && !rs.wasNull()) {
                    return rs.getLong(1);
                }
            }
        }
        return super.estimateRows(c, t);
    }

    @Override
    public Map<String, ColumnType> typeHints(Connection c, TableRef t) throws SQLException {
        Map<String, ColumnType> hints = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT CHECK_CLAUSE FROM information_schema.CHECK_CONSTRAINTS"
                + " WHERE CONSTRAINT_SCHEMA = ? AND TABLE_NAME = ?")) {
            ps.setString(1, t.schema() == null ? c.getCatalog() : t.schema());
            ps.setString(2, t.name());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Matcher m = JSON_CHECK.matcher(rs.getString(1).trim());
                    if (m.matches()) {
                        hints.put(m.group(1).replace("``", "`"), ColumnType.JSON);
                    }
                }
            }
        }
        return hints;
    }
}
