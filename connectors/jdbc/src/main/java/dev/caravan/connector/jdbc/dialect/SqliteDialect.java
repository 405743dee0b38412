package dev.caravan.connector.jdbc.dialect;

import static dev.caravan.connector.jdbc.dialect.ColumnSizes.expand;

import dev.caravan.api.record.Column;
import dev.caravan.api.record.ColumnType;
import dev.caravan.connector.jdbc.TableRef;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * SQLite. Columns are typed by their declared type name with SQLite's affinity rules (an {@code INTEGER} column is
 * 64-bit, {@code REAL} is a double); dates and times are ISO-8601 text; booleans are 0/1. A value that does not
 * fit its declared type (SQLite allows {@code 'abc'} in an INTEGER column) is passed on as it is, so the target
 * refuses it and it lands in the reject file instead of being altered. Writers use WAL and a 60 s busy timeout.
 */
public final class SqliteDialect extends Dialect {
    private static final Pattern PARAMS = Pattern.compile("\\(\\s*(\\d+)\\s*(?:,\\s*(\\d+)\\s*)?\\)");

    @Override
    public String name() {
        return "sqlite";
    }

    @Override
    public Driver driver() {
        SqliteNativeLibrary.prepare();
        return new org.sqlite.JDBC();
    }

    /**
     * SQLite's default open flags (read-write, create) plus NOMUTEX: every connection is used by one thread at a
     * time (and the driver serializes its calls per connection itself), so SQLite's own per-connection mutex, taken
     * in every value getter, is pure cost (measured: ~5% of a SQLite -> PostgreSQL run's CPU). The driver adds
     * OPEN_URI itself; an {@code open_mode} given in the URL or the driver properties wins.
     */
    static final int OPEN_MODE = 0x02 | 0x04 | 0x8000;

    @Override
    public void configure(Properties props, boolean writing) {
        props.putIfAbsent("open_mode", Integer.toString(OPEN_MODE));
        props.putIfAbsent("busy_timeout", "60000");
        if (writing) {
            props.putIfAbsent("journal_mode", "WAL");
            props.putIfAbsent("synchronous", "NORMAL");
        }
    }

    @Override
    public String defaultSchema(Connection c) {
        return null;
    }

    @Override
    public int maxIdentifierLength() {
        return 1000;
    }

    @Override
    public String displayName() {
        return "SQLite";
    }

    /** Logical type from a declared type name, following SQLite's affinity rules. */
    public ColumnType declaredType(String declared) {
        String n = declared == null ? "" : declared.toUpperCase(Locale.ROOT).trim();
        if (n.contains("BOOL")) {
            return ColumnType.BOOLEAN;
        }
        if (n.startsWith("TIMESTAMPTZ") || n.contains("WITH TIME ZONE")) {
            return ColumnType.TIMESTAMP_TZ;
        }
        if (n.contains("DATETIME") || n.contains("TIMESTAMP")) {
            return ColumnType.TIMESTAMP;
        }
        if (n.equals("DATE")) {
            return ColumnType.DATE;
        }
        if (n.equals("TIME")) {
            return ColumnType.TIME;
        }
        if (n.contains("JSON")) {
            return ColumnType.JSON;
        }
        if (n.equals("UUID") || n.startsWith("UUID ")) {
            return ColumnType.UUID;
        }
        if (n.contains("INT")) {
            return n.startsWith("SMALLINT") || n.startsWith("TINYINT") || n.startsWith("INT2") ? ColumnType.INT
                    : ColumnType.LONG;
        }
        if (n.contains("CHAR") || n.contains("CLOB") || n.contains("TEXT") || n.isEmpty()) {
            return ColumnType.STRING;
        }
        if (n.contains("BLOB")) {
            return ColumnType.BYTES;
        }
        if (n.contains("REAL") || n.contains("FLOA") || n.contains("DOUB")) {
            return ColumnType.DOUBLE;
        }
        return ColumnType.DECIMAL;
    }

    /**
     * SQLite takes any name as a column type, but one it does not know gets NUMERIC affinity, which stores the text
     * {@code '007'} as the number 7: a type is known when SQLite can parse a column of it (the statement is prepared,
     * not run) and its name says what it holds: {@link #declaredType} reads it as something else than SQLite's
     * fallback (a name with INT, CHAR, TEXT, BLOB, REAL ... in it, or one this dialect writes: BOOLEAN, DATE,
     * TIMESTAMP, JSON, UUID ...), or it is NUMERIC, DECIMAL or NUMBER.
     */
    @Override
    public boolean knowsType(Connection c, String type) {
        String base = type.toUpperCase(Locale.ROOT).trim().replaceFirst("\\s*\\(.*", "");
        if (declaredType(type) == ColumnType.DECIMAL && !NUMERIC_NAMES.contains(base)) {
            return false;
        }
        try (PreparedStatement ps = c.prepareStatement("CREATE TEMP TABLE caravan_type_probe (c " + type + ")")) {
            return true; // prepared (parsed), never executed
        } catch (SQLException e) {
            return false;
        }
    }

    private static final java.util.Set<String> NUMERIC_NAMES = java.util.Set.of("NUMERIC", "DECIMAL", "NUMBER");

    /** Precision and scale written in a declared type, e.g. {@code NUMERIC(12,2)}; zeros when absent. */
    public static int[] declaredParams(String declared) {
        Matcher m = PARAMS.matcher(declared == null ? "" : declared);
        if (!m.find()) {
            return new int[] {0, 0};
        }
        return new int[] {Integer.parseInt(m.group(1)), m.group(2) == null ? 0 : Integer.parseInt(m.group(2))};
    }

    @Override
    public ColumnType logicalType(int jdbcType, String typeName, int size, int digits) {
        return declaredType(typeName);
    }

    @Override
    public String targetType(Column c, String sourceDialect, boolean indexed) {
        return switch (c.type()) {
            case BOOLEAN -> "BOOLEAN";
            case INT, LONG -> "INTEGER";
            case DECIMAL -> c.precision() > 0 ? expand("NUMERIC({p},{s})", c) : "NUMERIC";
            case FLOAT, DOUBLE -> "REAL";
            case STRING -> c.precision() > 0 ? expand("VARCHAR({n})", c) : "TEXT";
            case BYTES -> "BLOB";
            case DATE -> "DATE";
            case TIME -> "TIME";
            case TIMESTAMP -> "TIMESTAMP";
            case TIMESTAMP_TZ -> "TIMESTAMPTZ";
            case JSON -> JSON_TYPE;
            case UUID -> UUID_TYPE;
        };
    }

    /**
     * The declared types of JSON and UUID columns: a name with {@code TEXT} in it has TEXT affinity (a plain
     * {@code JSON} or {@code UUID} has NUMERIC affinity, which stores the JSON text {@code 1e3} as the number 1000.0),
     * and its first word tells {@link #declaredType} what the column holds.
     */
    static final String JSON_TYPE = "JSON TEXT";
    static final String UUID_TYPE = "UUID TEXT";

    @Override
    public Object read(ResultSet rs, int i, ColumnType type) throws SQLException {
        Object raw = rs.getObject(i);
        if (raw == null) {
            return null;
        }
        try {
            return Values.convert(raw, type);
        } catch (Values.BadValue e) {
            return raw instanceof byte[] ? raw : raw.toString(); // passed on unchanged; the target decides
        }
    }

    /** Reads rows with one driver call per value, storage classes checked in SQL ({@link SqliteRowReader}). */
    @Override
    public RowReader rowReader(Connection c, TableRef table, List<Column> columns) throws SQLException {
        return new SqliteRowReader(this, columns, table == null ? SqliteRowReader.TableFacts.NONE
                : SqliteRowReader.facts(c, table.name()), utf8(c));
    }

    /**
     * A decoder of {@code table}'s records as stored in the database file, when its rows can be read from there (see
     * {@link SqliteRecordDecoder#of}); empty otherwise, and for tables of attached databases.
     */
    public Optional<SqliteRecordDecoder> recordDecoder(Connection c, TableRef table, String keyColumn,
            List<Column> columns) throws SQLException {
        if (table.schema() != null && !table.schema().equalsIgnoreCase("main")) {
            return Optional.empty();
        }
        return SqliteRecordDecoder.of(this, c, table.name(), keyColumn, columns, utf8(c));
    }

    private static boolean utf8(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("PRAGMA encoding")) {
            return rs.next() && "UTF-8".equalsIgnoreCase(rs.getString(1));
        }
    }

    /**
     * Besides PostgreSQL's infinite dates, no date before the year 1: SQLite's date functions read the years 0000 to
     * 9999 of ISO text, and the text {@code -0043-03-15} (44 BC) or {@code 0000-...} (1 BC) would not mean that date
     * to them or to a reader of the file.
     */
    @Override
    public String refusal(Object value, ColumnType type) {
        return Values.datesBeyond(value, displayName());
    }

    /**
     * 15: a NUMERIC (or DECIMAL) column stores a number that is no 64-bit integer as a double, which gives back about
     * 15 significant digits.
     */
    @Override
    public int exactDecimalDigits() {
        return 15;
    }

    @Override
    public void bind(PreparedStatement ps, int i, Object v, ColumnType type) throws SQLException {
        if (v == null) {
            ps.setNull(i, sqlType(type));
        } else if (v instanceof Boolean b) {
            ps.setInt(i, b ? 1 : 0);
        } else if (v instanceof LocalDateTime t) {
            ps.setString(i, text(t));
        } else if (v instanceof OffsetDateTime t) {
            ps.setString(i, text(t.toLocalDateTime()) + t.getOffset().getId().replace("Z", "+00:00"));
        } else if (v instanceof LocalDate || v instanceof LocalTime) {
            ps.setString(i, v.toString());
        } else if (v instanceof java.math.BigDecimal d) {
            ps.setString(i, d.toPlainString());
        } else {
            super.bind(ps, i, v, type);
        }
    }

    /** {@code YYYY-MM-DD HH:MM:SS[.fraction]}: the form SQLite's date functions read. */
    static String text(LocalDateTime t) {
        StringBuilder sb = new StringBuilder(26).append(t.toLocalDate()).append(' ');
        two(sb, t.getHour()).append(':');
        two(sb, t.getMinute()).append(':');
        two(sb, t.getSecond());
        if (t.getNano() != 0) {
            String frac = Integer.toString(1_000_000_000 + t.getNano()).substring(1);
            int end = frac.length();
            while (frac.charAt(end - 1) == '0') {
                end--;
            }
            sb.append('.').append(frac, 0, end);
        }
        return sb.toString();
    }

    private static StringBuilder two(StringBuilder sb, int v) {
        return sb.append((char) ('0' + v / 10)).append((char) ('0' + v % 10));
    }

    @Override
    public String identityClause(Column column) {
        return "";
    }

    @Override
    public boolean identityIsInlinePrimaryKey() {
        return true;
    }

    @Override
    public List<String> restartIdentity(TableRef table, String column, long next) {
        return List.of(); // AUTOINCREMENT keeps sqlite_sequence at the largest inserted key by itself
    }

    @Override
    public boolean inlineForeignKeys() {
        return true;
    }

    @Override
    public Optional<String> createSchema(String schema) {
        return Optional.empty();
    }

    @Override
    public String qualified(TableRef t) {
        return quote(t.name());
    }

    @Override
    public String dropTable(TableRef t) {
        return "DROP TABLE IF EXISTS " + qualified(t);
    }

    /** Foreign keys (when the connection enforces them) checked at the commit, when every table is empty. */
    @Override
    public List<String> beforeEmptyingCycle(List<TableRef> tables) {
        return List.of("PRAGMA defer_foreign_keys = ON");
    }

    @Override
    public String emptyTable(TableRef t) {
        return "DELETE FROM " + qualified(t);
    }

    @Override
    public String upsert(TableRef t, List<String> columns, List<String> keys) {
        StringBuilder sb = new StringBuilder(insert(t, columns)).append(" ON CONFLICT (");
        for (int i = 0; i < keys.size(); i++) {
            sb.append(i == 0 ? "" : ", ").append(quote(keys.get(i)));
        }
        sb.append(')');
        List<String> others = columns.stream().filter(c -> !keys.contains(c)).toList();
        if (others.isEmpty()) {
            return sb.append(" DO NOTHING").toString();
        }
        sb.append(" DO UPDATE SET ");
        for (int i = 0; i < others.size(); i++) {
            String q = quote(others.get(i));
            sb.append(i == 0 ? "" : ", ").append(q).append(" = excluded.").append(q);
        }
        return sb.toString();
    }
}
