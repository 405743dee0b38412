package dev.caravan.connector.jdbc.dialect;

import static dev.caravan.connector.jdbc.dialect.ColumnSizes.expand;
import static dev.caravan.connector.jdbc.dialect.ColumnSizes.smallintDigits;

import dev.caravan.api.record.Column;
import dev.caravan.connector.jdbc.TableRef;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/** H2 2.x, embedded (file or memory); upserts with {@code MERGE INTO ... KEY}. */
public final class H2Dialect extends Dialect {

    @Override
    public String name() {
        return "h2";
    }

    @Override
    public Driver driver() {
        return new org.h2.Driver();
    }

    /** H2's default MAX_IDENTIFIER_LENGTH, in characters. */
    @Override
    public int maxIdentifierLength() {
        return 256;
    }

    @Override
    protected boolean measuresIdentifiersInBytes() {
        return false;
    }

    @Override
    public String displayName() {
        return "H2";
    }

    @Override
    public String targetType(Column c, String sourceDialect, boolean indexed) {
        return switch (c.type()) {
            case BOOLEAN -> "BOOLEAN";
            case INT -> c.precision() > 0 && c.precision() <= smallintDigits(c) ? "SMALLINT" : "INTEGER";
            case LONG -> "BIGINT";
            case DECIMAL -> c.precision() > 0 && c.precision() <= 100_000 ? expand("NUMERIC({p},{s})", c) : "DECFLOAT";
            case FLOAT -> "REAL";
            case DOUBLE -> "DOUBLE PRECISION";
            case STRING, JSON -> c.precision() > 0 && c.precision() <= 1_000_000
                    ? expand("CHARACTER VARYING({n})", c) : "CHARACTER VARYING";
            case BYTES -> "BINARY VARYING";
            case DATE -> "DATE";
            case TIME -> "TIME(9)";
            case TIMESTAMP -> "TIMESTAMP(9)";
            case TIMESTAMP_TZ -> "TIMESTAMP(9) WITH TIME ZONE";
            case UUID -> "UUID";
        };
    }

    /** By a CAST of NULL to the type, which H2 parses as in DDL. */
    @Override
    public boolean knowsType(Connection c, String type) {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT CAST(NULL AS " + type + ")")) {
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    /**
     * The views whose definition names the table. H2 keeps no view-to-table usage, but stores each definition with
     * every table written out as {@code "SCHEMA"."NAME"}, which is looked for.
     */
    @Override
    public List<String> dependentViews(Connection c, TableRef t) throws SQLException {
        String name = (t.schema() == null ? "" : quote(t.schema()) + ".") + quote(t.name());
        List<String> out = new java.util.ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT TABLE_SCHEMA, TABLE_NAME,"
                + " VIEW_DEFINITION FROM INFORMATION_SCHEMA.VIEWS WHERE TABLE_SCHEMA <> 'INFORMATION_SCHEMA'"
                + " ORDER BY 1, 2")) {
            while (rs.next()) {
                String definition = rs.getString(3);
                if (definition != null && definition.contains(name)) {
                    out.add(rs.getString(1) + "." + rs.getString(2));
                }
            }
        }
        return out;
    }

    @Override
    public String emptyTable(TableRef t) {
        return "DELETE FROM " + qualified(t);
    }

    /**
     * Referential integrity off for each of the tables (H2 checks every row a statement deletes at once, and has no
     * deferred constraints; needs admin rights; a rollback does not turn it back on, hence
     * {@link #afterEmptyingCycle}).
     */
    @Override
    public List<String> beforeEmptyingCycle(List<TableRef> tables) {
        return tables.stream().map(t -> "ALTER TABLE " + qualified(t) + " SET REFERENTIAL_INTEGRITY FALSE").toList();
    }

    /** Referential integrity on again, without checking the rows (the tables were emptied). */
    @Override
    public List<String> afterEmptyingCycle(List<TableRef> tables) {
        return tables.stream().map(t -> "ALTER TABLE " + qualified(t) + " SET REFERENTIAL_INTEGRITY TRUE").toList();
    }

    @Override
    public boolean deferPrimaryKey() {
        return true;
    }

    @Override
    public String upsert(TableRef t, List<String> columns, List<String> keys) {
        StringBuilder sb = new StringBuilder("MERGE INTO ").append(qualified(t)).append(" (");
        for (int i = 0; i < columns.size(); i++) {
            sb.append(i == 0 ? "" : ", ").append(quote(columns.get(i)));
        }
        sb.append(") KEY (");
        for (int i = 0; i < keys.size(); i++) {
            sb.append(i == 0 ? "" : ", ").append(quote(keys.get(i)));
        }
        sb.append(") VALUES (");
        for (int i = 0; i < columns.size(); i++) {
            sb.append(i == 0 ? "?" : ", ?");
        }
        return sb.append(')').toString();
    }
}
