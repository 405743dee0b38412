package dev.caravan.connector.jdbc.dialect;

import dev.caravan.api.record.ColumnType;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/**
 * Reads whole rows of one select list, each value as the Java type of its column's logical type (see
 * {@link Values}; SQL NULL is {@code null}). Made once per reader by {@link Dialect#rowReader}, so a dialect can
 * choose how to read each column once instead of per value, and may add columns of its own after the selected ones
 * (they are never part of a row). Not thread-safe.
 */
public interface RowReader {

    /** The select list to put after {@code SELECT}: the quoted columns, in order, and any extra the reader needs. */
    String selectList();

    /** The values of the current row of {@code rs}, one per selected column. */
    Object[] read(ResultSet rs) throws SQLException;

    /** The plain reader: the columns as they are, each value read by {@link Dialect#read}. */
    static RowReader generic(Dialect dialect, List<String> quotedColumns, List<ColumnType> types) {
        ColumnType[] t = types.toArray(ColumnType[]::new);
        String list = String.join(", ", quotedColumns);
        return new RowReader() {
            @Override
            public String selectList() {
                return list;
            }

            @Override
            public Object[] read(ResultSet rs) throws SQLException {
                Object[] values = new Object[t.length];
                for (int i = 0; i < t.length; i++) {
                    values[i] = dialect.read(rs, i + 1, t[i]);
                }
                return values;
            }
        };
    }
}
