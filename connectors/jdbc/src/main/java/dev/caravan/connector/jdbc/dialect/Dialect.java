package dev.caravan.connector.jdbc.dialect;

import dev.caravan.api.record.Column;
import dev.caravan.api.record.ColumnType;
import dev.caravan.connector.jdbc.TableRef;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;

/**
 * What differs between SQL databases: identifier quoting, the mapping of native types to logical
 * {@link ColumnType}s and back, reading and binding values, identity columns, upserts, DDL details and
 * introspection extras. One stateless, thread-safe instance per database kind ({@link Dialects}).
 *
 * <p>Every identifier that reaches SQL goes through {@link #quote}; every value is bound as a parameter or
 * rendered by {@link #literal}. Nothing in a table or column name can change the statement.
 */
public abstract class Dialect {

    /** Short name used in options, type rules and checkpoints: {@code postgresql}, {@code mariadb}, ... */
    public abstract String name();

    /** The JDBC driver (instantiated directly, so class loaders that hide drivers from DriverManager work). */
    public abstract Driver driver();

    /**
     * Adds the driver properties this dialect needs for fast and exact transfers.
     *
     * @param writing true for connections that write (sinks), false for readers
     */
    public void configure(Properties props, boolean writing) {
    }

    /** Statements run on every new connection (session settings). */
    public List<String> sessionSetup() {
        return List.of();
    }

    /** Quotes an identifier: the standard double quotes, with a double quote inside doubled. */
    public String quote(String identifier) {
        if (identifier.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("an identifier cannot contain a NUL character");
        }
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    /** {@code "schema"."table"}, or just the quoted table when no schema is set. */
    public String qualified(TableRef t) {
        return t.schema() == null ? quote(t.name()) : quote(t.schema()) + "." + quote(t.name());
    }

    /** A string literal with the dialect's escaping. */
    public String literal(String value) {
        if (value.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("a literal cannot contain a NUL character");
        }
        return "'" + value.replace("'", "''") + "'";
    }

    /** The schema tables live in when none is configured. */
    public String defaultSchema(Connection c) throws SQLException {
        return c.getSchema();
    }

    /** Whether {@code schema} is the catalog (MariaDB databases) rather than a schema in JDBC metadata. */
    public boolean schemaIsCatalog() {
        return false;
    }

    /**
     * Longest identifier the database keeps, as {@link #identifierLength} counts: PostgreSQL keeps 63 bytes of a name
     * and cuts a longer one short without an error.
     */
    public int maxIdentifierLength() {
        return 63;
    }

    /** Whether the database measures identifiers in UTF-8 bytes (PostgreSQL, SQLite here), not in characters. */
    protected boolean measuresIdentifiersInBytes() {
        return true;
    }

    /** The length of an identifier as the database measures it ({@link #measuresIdentifiersInBytes}). */
    public final int identifierLength(String identifier) {
        return measuresIdentifiersInBytes() ? identifier.getBytes(java.nio.charset.StandardCharsets.UTF_8).length
                : identifier.codePointCount(0, identifier.length());
    }

    /** The unit of {@link #identifierLength}, for messages: {@code bytes} or {@code characters}. */
    public final String identifierUnit() {
        return measuresIdentifiersInBytes() ? "bytes" : "characters";
    }

    /** The name of the database for messages ({@code PostgreSQL}, {@code MariaDB}, ...). */
    public String displayName() {
        return name();
    }

    // ---------------------------------------------------------------- types

    /** The native type name to report for a column (e.g. PostgreSQL's {@code serial} is an {@code int4}). */
    public String nativeTypeName(String typeName) {
        return typeName;
    }

    /** The scale of a DECIMAL column from the JDBC metadata's {@code DECIMAL_DIGITS}. Default: 0 when negative. */
    public int decimalScale(int digits) {
        return Math.max(digits, 0);
    }

    /**
     * Whether a DECIMAL column may have a scale below 0 or above its precision (PostgreSQL 15's {@code numeric(3,-2)},
     * {@code numeric(3,5)}); elsewhere such a column gets a type that holds the same values ({@link
     * #withPortableScale}). Default: no.
     */
    public boolean holdsAnyDecimalScale() {
        return false;
    }

    /** The logical type of a column from its JDBC metadata. */
    public ColumnType logicalType(int jdbcType, String typeName, int size, int digits) {
        String n = typeName == null ? "" : typeName.toLowerCase(Locale.ROOT);
        if (n.contains("json")) {
            return ColumnType.JSON;
        }
        if (n.equals("uuid")) {
            return ColumnType.UUID;
        }
        return switch (jdbcType) {
            case Types.BOOLEAN -> ColumnType.BOOLEAN;
            case Types.BIT -> size > 1 ? ColumnType.STRING : ColumnType.BOOLEAN;
            case Types.TINYINT, Types.SMALLINT, Types.INTEGER -> ColumnType.INT;
            case Types.BIGINT -> ColumnType.LONG;
            case Types.NUMERIC, Types.DECIMAL -> ColumnType.DECIMAL;
            case Types.REAL -> ColumnType.FLOAT;
            case Types.FLOAT, Types.DOUBLE -> ColumnType.DOUBLE;
            case Types.BINARY, Types.VARBINARY, Types.LONGVARBINARY, Types.BLOB -> ColumnType.BYTES;
            case Types.DATE -> ColumnType.DATE;
            case Types.TIME -> ColumnType.TIME;
            case Types.TIMESTAMP -> ColumnType.TIMESTAMP;
            case Types.TIMESTAMP_WITH_TIMEZONE -> ColumnType.TIMESTAMP_TZ;
            default -> ColumnType.STRING;
        };
    }

    /**
     * The built-in target type of a column in this dialect: the declared default of the type-mapping table (see
     * docs/connectors/jdbc.md), before user rules.
     *
     * @param sourceDialect the dialect the column comes from, or {@code null} (records from files)
     * @param indexed       whether the column is part of a key or index (some databases need bounded types)
     */
    public abstract String targetType(Column column, String sourceDialect, boolean indexed);

    /**
     * For a database that limits the bytes of an index key (InnoDB: 3072), the length (characters of a string,
     * bytes of a binary) each variable-length column of one key gets so that the key fits: what the column needs (its
     * declared length, at most the dialect's longest indexed type), or an equal share of what the key's other
     * columns leave; a length below 1 means the key cannot fit. Empty for databases whose keys are not bounded.
     *
     * @param key the key's columns, in key order
     */
    public Map<String, Integer> keyLengths(List<Column> key) {
        return Map.of();
    }

    /** The most bytes an index key may hold, for messages ({@link #keyLengths}); 0 when not bounded. */
    public int maxKeyBytes() {
        return 0;
    }

    /**
     * Why this database would change {@code value} (converted for a column of {@code type}) instead of refusing it,
     * or {@code null}: the row is then rejected with the reason rather than written changed. Default: PostgreSQL's
     * {@code infinity} and {@code -infinity} dates and timestamps (read as java.time's MAX and MIN), which other
     * databases would store as the year 999999999 or refuse as a whole load.
     */
    public String refusal(Object value, ColumnType type) {
        return Values.infinity(value, displayName());
    }

    /**
     * The significant digits a DECIMAL column of this database keeps of a value that is no 64-bit integer, whatever
     * its declared precision; 0 when it keeps every declared digit. Default: 0.
     */
    public int exactDecimalDigits() {
        return 0;
    }

    /** Whether {@link #refusal} may refuse values of a column of {@code type} (writers skip the check otherwise). */
    public boolean refusesValues(ColumnType type) {
        return type == ColumnType.DATE || type == ColumnType.TIMESTAMP || type == ColumnType.TIMESTAMP_TZ;
    }

    // ---------------------------------------------------------------- values

    /** Reads column {@code i} as the Java type of {@code type} (see {@link Values}); SQL NULL is {@code null}. */
    public Object read(ResultSet rs, int i, ColumnType type) throws SQLException {
        switch (type) {
            case BOOLEAN: {
                boolean b = rs.getBoolean(i);
                return rs.wasNull() ? null : b;
            }
            case INT:
            case LONG: {
                long l = rs.getLong(i);
                return rs.wasNull() ? null : l;
            }
            case FLOAT:
            case DOUBLE: {
                double d = rs.getDouble(i);
                return rs.wasNull() ? null : d;
            }
            case DECIMAL:
                return rs.getBigDecimal(i);
            case BYTES:
                return rs.getBytes(i);
            case DATE:
                return rs.getObject(i, LocalDate.class);
            case TIME:
                return rs.getObject(i, LocalTime.class);
            case TIMESTAMP:
                return rs.getObject(i, LocalDateTime.class);
            case TIMESTAMP_TZ:
                return rs.getObject(i, OffsetDateTime.class);
            default:
                return rs.getString(i);
        }
    }

    /**
     * The reader of whole rows of {@code columns}, made once per split reader on its connection. The default reads
     * each value with {@link #read}; a dialect may read faster by knowing the columns in advance (see
     * {@link SqliteDialect}).
     *
     * @param table the table read, or {@code null} for a query (whose columns promise nothing about their values)
     */
    public RowReader rowReader(Connection c, TableRef table, List<Column> columns) throws SQLException {
        return RowReader.generic(this, columns.stream().map(col -> quote(col.name())).toList(),
                columns.stream().map(Column::type).toList());
    }

    /**
     * The value as a column of logical {@code type} of this database takes it: {@link Values#convert}, unless the
     * database holds values the Java type cannot (PostgreSQL's numeric NaN and Infinity).
     */
    public Object convert(Object v, ColumnType type) {
        return Values.convert(v, type);
    }

    /** Binds a value already converted by {@link #convert} for a column of logical {@code type}. */
    public void bind(PreparedStatement ps, int i, Object v, ColumnType type) throws SQLException {
        if (v == null) {
            ps.setNull(i, sqlType(type));
            return;
        }
        switch (type) {
            case BOOLEAN -> ps.setBoolean(i, (Boolean) v);
            case INT, LONG -> ps.setLong(i, (Long) v);
            case FLOAT, DOUBLE -> ps.setDouble(i, (Double) v);
            case DECIMAL -> ps.setBigDecimal(i, (BigDecimal) v);
            case BYTES -> ps.setBytes(i, (byte[]) v);
            case STRING, JSON, UUID -> ps.setString(i, (String) v);
            default -> ps.setObject(i, v);
        }
    }

    /** The {@link Types} constant used for NULLs of a logical type. */
    public int sqlType(ColumnType type) {
        return switch (type) {
            case BOOLEAN -> Types.BOOLEAN;
            case INT -> Types.INTEGER;
            case LONG -> Types.BIGINT;
            case DECIMAL -> Types.NUMERIC;
            case FLOAT -> Types.REAL;
            case DOUBLE -> Types.DOUBLE;
            case BYTES -> Types.VARBINARY;
            case DATE -> Types.DATE;
            case TIME -> Types.TIME;
            case TIMESTAMP -> Types.TIMESTAMP;
            case TIMESTAMP_TZ -> Types.TIMESTAMP_WITH_TIMEZONE;
            default -> Types.VARCHAR;
        };
    }

    // ---------------------------------------------------------------- DDL and DML

    /** The column clause that makes a column an identity, or empty when the type cannot be one. */
    public String identityClause(Column column) {
        return column.type() == ColumnType.INT || column.type() == ColumnType.LONG
                ? " GENERATED BY DEFAULT AS IDENTITY" : "";
    }

    /** Statements that make an identity column continue at {@code next}. */
    public List<String> restartIdentity(TableRef table, String column, long next) {
        return List.of("ALTER TABLE " + qualified(table) + " ALTER COLUMN " + quote(column) + " RESTART WITH " + next);
    }

    /** Text appended after the closing parenthesis of CREATE TABLE. */
    public String createTableSuffix() {
        return "";
    }

    /** Extra clauses inside CREATE TABLE (e.g. an index an auto-increment column needs). */
    public List<String> extraTableClauses(List<Column> columns, List<String> keys, Set<String> identity) {
        return List.of();
    }

    /** Wraps DDL that would trip over foreign keys of other tables (drop, empty) so that it does not. */
    public List<String> withoutForeignKeyChecks(List<String> statements) {
        return statements;
    }

    /**
     * Whether a table created for a load gets its primary key after the data (faster bulk loads; PostgreSQL, H2).
     * Dialects that cannot add one later (SQLite) or cluster rows by it (InnoDB) create it with the table.
     */
    public boolean deferPrimaryKey() {
        return false;
    }

    /** Whether an identity column must be declared {@code INTEGER PRIMARY KEY AUTOINCREMENT} inline (SQLite). */
    public boolean identityIsInlinePrimaryKey() {
        return false;
    }

    /** Whether foreign keys must be declared in CREATE TABLE (no ALTER TABLE ADD CONSTRAINT). */
    public boolean inlineForeignKeys() {
        return false;
    }

    /** {@code CREATE SCHEMA IF NOT EXISTS}, or empty where schemas are not created this way. */
    public Optional<String> createSchema(String schema) {
        return Optional.of("CREATE SCHEMA IF NOT EXISTS " + quote(schema));
    }

    public String dropTable(TableRef t) {
        return "DROP TABLE IF EXISTS " + qualified(t) + " CASCADE";
    }

    /**
     * The statement that drops the foreign key {@code name} of {@code table}, when {@link #dropTable} of the table it
     * references leaves it in place and the database then checks it against the new table (MariaDB); empty where the
     * drop takes it along (CASCADE) or nothing is checked (SQLite). Default: empty.
     */
    public java.util.Optional<String> dropForeignKey(TableRef table, String name) {
        return java.util.Optional.empty();
    }

    /**
     * What {@link #dropTable} would take with it that is no table of a migration (a view of the table), or an empty
     * list; a replace refuses to drop then, rather than destroy it without a word. Default: nothing is known.
     */
    public List<String> dependentViews(Connection c, TableRef t) throws SQLException {
        return List.of();
    }

    /**
     * Why no type {@link #targetType} gives {@code c} holds every value its declared type allows (a precision or scale
     * beyond the target's), as a message naming {@code column} and what to do, or {@code null}. Such a column without a
     * {@code typeMapping} rule is refused while a run is planned. Default: every type fits.
     */
    public String unfit(Column c, String column) {
        return null;
    }

    /**
     * Whether the database knows a column type given by a {@code typeMapping} rule (DDL text, already checked against
     * the rule's character set), asked while a run is planned so that a misspelt type is bad input before any table
     * is written. Default: not known beforehand ({@code true}); the CREATE TABLE finds it.
     */
    public boolean knowsType(Connection c, String type) {
        return true;
    }

    /**
     * Copies the rows of {@code from} into the new table {@code into} with its columns (names, types as the database
     * derives them) and nothing else: no key, index, default or constraint.
     */
    public String copyRows(TableRef from, TableRef into) {
        return "CREATE TABLE " + qualified(into) + " AS SELECT * FROM " + qualified(from);
    }

    public String emptyTable(TableRef t) {
        return "TRUNCATE TABLE " + qualified(t);
    }

    /**
     * The statements that empty {@code tables}, given children first (every table that references one of them by a
     * foreign key is among them or before it). Default: {@link #emptyTable} of each in that order, with foreign key
     * checks off where the database checks them for an emptied parent even when its children are empty (MariaDB's
     * TRUNCATE).
     */
    public List<String> emptyTables(List<TableRef> tables) {
        return withoutForeignKeyChecks(tables.stream().map(this::emptyTable).toList());
    }

    /**
     * Statements that let {@link #emptyTables} empty tables whose foreign keys form a cycle (no order of them is
     * children first), run in the same transaction just before. Default: none ({@code TRUNCATE a, b} on PostgreSQL
     * and MariaDB's checks off empty a cycle as they are).
     */
    public List<String> beforeEmptyingCycle(List<TableRef> tables) {
        return List.of();
    }

    /**
     * What undoes {@link #beforeEmptyingCycle} once the tables are emptied, run also when emptying failed (in its own
     * transaction). Default: none.
     */
    public List<String> afterEmptyingCycle(List<TableRef> tables) {
        return List.of();
    }

    /** INSERT that updates the row with the same key instead of failing. */
    public abstract String upsert(TableRef t, List<String> columns, List<String> keys);

    /** A plain parameterized INSERT. */
    public String insert(TableRef t, List<String> columns) {
        StringBuilder sb = new StringBuilder("INSERT INTO ").append(qualified(t)).append(" (");
        for (int i = 0; i < columns.size(); i++) {
            sb.append(i == 0 ? "" : ", ").append(quote(columns.get(i)));
        }
        sb.append(") VALUES (");
        for (int i = 0; i < columns.size(); i++) {
            sb.append(i == 0 ? "?" : ", ?");
        }
        return sb.append(')').toString();
    }

    // ---------------------------------------------------------------- introspection extras

    /** Rough row count for planning; {@code -1} when unknown. */
    public long estimateRows(Connection c, TableRef t) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + qualified(t))) {
            return rs.next() ? rs.getLong(1) : -1;
        }
    }

    /** Columns whose logical type metadata cannot tell (e.g. MariaDB JSON, an alias of LONGTEXT). */
    public Map<String, ColumnType> typeHints(Connection c, TableRef t) throws SQLException {
        return Map.of();
    }

    /**
     * Turns a default as the database reports it into a portable one (see
     * {@link dev.caravan.api.record.TableDefinition#defaults()}), or {@code null} when it is not portable.
     */
    public String portableDefault(String raw, ColumnType type) {
        return PortableDefaults.portable(raw, type);
    }

    /** Renders a portable default for a column of this dialect, or {@code null} to leave it out. */
    public String renderDefault(String portable, ColumnType type) {
        return PortableDefaults.render(portable, type, this::literal);
    }

    /**
     * SQL computing {@code count} and an order-independent digest of the rows between two key bounds, when the
     * dialect can ({@link dev.caravan.api.record.RangeDigest}); {@code null} otherwise.
     */
    public String digestFlavor() {
        return null;
    }

    /** The digest expression over the given quoted column expressions (only when {@link #digestFlavor()} is set). */
    public String digestSelect(List<String> quotedColumns) {
        throw new UnsupportedOperationException(name() + " computes no digest in SQL");
    }

    @Override
    public String toString() {
        return name();
    }
}
