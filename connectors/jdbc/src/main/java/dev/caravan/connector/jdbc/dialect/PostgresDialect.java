package dev.caravan.connector.jdbc.dialect;

import static dev.caravan.connector.jdbc.dialect.ColumnSizes.expand;
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
import java.util.List;
import java.util.Locale;
import java.util.Properties;

/**
 * PostgreSQL (and compatibles). Writes go through COPY where possible; batched INSERTs use
 * {@code reWriteBatchedInserts}; strings are sent untyped ({@code stringtype=unspecified}) so that json, uuid
 * and enum columns accept them.
 */
public final class PostgresDialect extends Dialect {

    @Override
    public String name() {
        return "postgresql";
    }

    @Override
    public String displayName() {
        return "PostgreSQL";
    }

    @Override
    public Driver driver() {
        return new org.postgresql.Driver();
    }

    @Override
    public void configure(Properties props, boolean writing) {
        props.putIfAbsent("reWriteBatchedInserts", "true");
        props.putIfAbsent("stringtype", "unspecified");
        props.putIfAbsent("ApplicationName", "caravan");
    }

    @Override
    public List<String> sessionSetup() {
        return List.of("SET TIME ZONE 'UTC'"); // naive timestamps mean the same in text and binary COPY
    }

    /** The driver reports the 11 bits PostgreSQL keeps of a scale: 2046 is -2 (scales run from -1000 to 1000). */
    @Override
    public int decimalScale(int digits) {
        return digits > 1000 ? digits - 2048 : digits;
    }

    @Override
    public boolean holdsAnyDecimalScale() {
        return true; // since PostgreSQL 15
    }

    @Override
    public String nativeTypeName(String typeName) {
        return switch (typeName == null ? "" : typeName) {
            case "serial" -> "int4";
            case "bigserial" -> "int8";
            case "smallserial" -> "int2";
            default -> typeName;
        };
    }

    @Override
    public ColumnType logicalType(int jdbcType, String typeName, int size, int digits) {
        String n = typeName == null ? "" : typeName.toLowerCase(Locale.ROOT);
        return switch (n) {
            case "timestamptz" -> ColumnType.TIMESTAMP_TZ;
            case "timetz", "interval", "money", "inet", "cidr", "macaddr", "xml", "tsvector" -> ColumnType.STRING;
            case "bool" -> ColumnType.BOOLEAN;
            case "int2", "int4", "serial", "smallserial" -> ColumnType.INT;
            case "int8", "bigserial", "oid" -> ColumnType.LONG;
            case "float4" -> ColumnType.FLOAT;
            case "float8" -> ColumnType.DOUBLE;
            case "bytea" -> ColumnType.BYTES;
            default -> n.startsWith("_") ? ColumnType.STRING : super.logicalType(jdbcType, typeName, size, digits);
        };
    }

    @Override
    public String targetType(Column c, String sourceDialect, boolean indexed) {
        String nt = c.nativeType() == null ? "" : c.nativeType().toLowerCase(Locale.ROOT);
        boolean samePg = "postgresql".equals(sourceDialect);
        return switch (c.type()) {
            case BOOLEAN -> "boolean";
            case INT -> c.precision() > 0 && c.precision() <= smallintDigits(c) || nt.equals("int2")
                    || nt.equals("smallint") ? "smallint" : "integer";
            case LONG -> "bigint";
            case DECIMAL -> c.precision() > 0 && c.precision() <= 1000 ? expand("numeric({p},{s})", c) : "numeric";
            case FLOAT -> "real";
            case DOUBLE -> "double precision";
            case STRING -> {
                if (samePg && (nt.equals("bpchar") || nt.equals("char")) && c.precision() > 0) {
                    yield expand("char({n})", c);
                }
                if (samePg && !nt.isEmpty() && !nt.equals("text") && !nt.equals("varchar") && !nt.startsWith("_")
                        && nt.matches("[a-z_][a-z0-9_ ]*")) {
                    yield nt; // interval, inet, money ... keep their own type between PostgreSQL databases
                }
                if (samePg && nt.matches("_[a-z][a-z0-9_]*")) {
                    yield nt.substring(1) + "[]"; // an array (_int4): int4[], its values as PostgreSQL writes them
                }
                yield c.precision() > 0 && c.precision() < 10_485_760 ? expand("varchar({n})", c) : "text";
            }
            case BYTES -> "bytea";
            case DATE -> "date";
            case TIME -> "time";
            case TIMESTAMP -> "timestamp";
            case TIMESTAMP_TZ -> "timestamptz";
            case JSON -> nt.equals("jsonb") ? "jsonb" : "json";
            case UUID -> "uuid";
        };
    }

    /** Through {@code to_regtype}, which parses the name as DDL does (typmods included) and creates nothing. */
    @Override
    public boolean knowsType(Connection c, String type) {
        try (PreparedStatement ps = c.prepareStatement("SELECT to_regtype(?)")) {
            ps.setString(1, type);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getString(1) != null;
            }
        } catch (SQLException e) {
            return false; // not a type name at all
        }
    }

    /** The views (plain and materialized) whose definition reads the table, through pg_depend. */
    @Override
    public List<String> dependentViews(Connection c, TableRef t) throws SQLException {
        String sql = "SELECT DISTINCT v.oid::regclass::text FROM pg_depend d JOIN pg_rewrite r ON r.oid = d.objid"
                + " JOIN pg_class v ON v.oid = r.ev_class WHERE d.refobjid = to_regclass(?) AND v.oid <> d.refobjid"
                + " AND v.relkind IN ('v', 'm') ORDER BY 1";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, qualified(t));
            try (ResultSet rs = ps.executeQuery()) {
                List<String> out = new java.util.ArrayList<>();
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
                return out;
            }
        }
    }

    /**
     * A numeric NaN, Infinity or -Infinity (valid PostgreSQL values, which a BigDecimal cannot hold and the driver
     * refused with "Bad value for type BigDecimal", failing the whole table) is read as the Double of the same name.
     */
    @Override
    public Object read(ResultSet rs, int i, ColumnType type) throws SQLException {
        if (type != ColumnType.DECIMAL) {
            return super.read(rs, i, type);
        }
        try {
            return rs.getBigDecimal(i);
        } catch (SQLException e) {
            Double special = specialNumeric(rs.getString(i));
            if (special == null) {
                throw e;
            }
            return special;
        }
    }

    private static Double specialNumeric(String text) {
        return switch (text == null ? "" : text) {
            case "NaN" -> Double.NaN;
            case "Infinity" -> Double.POSITIVE_INFINITY;
            case "-Infinity" -> Double.NEGATIVE_INFINITY;
            default -> null;
        };
    }

    /** A NaN or infinite number stays a Double for a numeric column: PostgreSQL's numeric holds it. */
    @Override
    public Object convert(Object v, ColumnType type) {
        if (type == ColumnType.DECIMAL && (v instanceof Double || v instanceof Float)) {
            double d = ((Number) v).doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                return d;
            }
        }
        return super.convert(v, type);
    }

    /** PostgreSQL holds its own infinity dates and timestamps. */
    @Override
    public boolean refusesValues(ColumnType type) {
        return false;
    }

    @Override
    public void bind(PreparedStatement ps, int i, Object v, ColumnType type) throws SQLException {
        if (type == ColumnType.DECIMAL && v instanceof Double d) {
            ps.setObject(i, d.toString(), Types.OTHER); // NaN, Infinity, -Infinity: numeric's own spelling
            return;
        }
        super.bind(ps, i, v, type);
    }

    @Override
    public int sqlType(ColumnType type) {
        return type == ColumnType.JSON || type == ColumnType.UUID ? Types.OTHER : super.sqlType(type);
    }

    @Override
    public boolean deferPrimaryKey() {
        return true;
    }

    /** One TRUNCATE of all the tables: PostgreSQL empties a referenced table only with those that reference it. */
    @Override
    public List<String> emptyTables(List<TableRef> tables) {
        return List.of("TRUNCATE TABLE " + String.join(", ", tables.stream().map(this::qualified).toList()));
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
            sb.append(i == 0 ? "" : ", ").append(q).append(" = EXCLUDED.").append(q);
        }
        return sb.toString();
    }

    @Override
    public long estimateRows(Connection c, TableRef t) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT reltuples::bigint FROM pg_class WHERE oid = "
                + "to_regclass(?)")) {
            ps.setString(1, qualified(t));
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    long n = rs.getLong(1);
                    if (n >= 0 && !rs.wasNull()) {
                        return n;
                    }
                }
            }
        }
        return super.estimateRows(c, t);
    }

    @Override
    public String digestFlavor() {
        return "postgresql-md5-sum-v1";
    }

    @Override
    public String digestSelect(List<String> quotedColumns) {
        // md5 of the row's text form; the first 64 bits summed as numeric: order-independent, exact, no overflow
        return "COUNT(*), COALESCE(SUM(('x' || SUBSTR(MD5(ROW(" + String.join(", ", quotedColumns)
                + ")::text), 1, 16))::bit(64)::bigint::numeric), 0)";
    }
}
