package dev.caravan.connector.jdbc;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/**
 * Batched prepared INSERTs (or the dialect's upsert): PostgreSQL rewrites them into multi-row INSERTs
 * ({@code reWriteBatchedInserts}), MariaDB sends them with its bulk protocol, SQLite and H2 run them in one
 * transaction. Not thread-safe.
 */
final class InsertWriter extends BatchWriter {
    private final PreparedStatement statement;

    InsertWriter(ConnectionFactory factory, TargetTable table, RejectLog rejects, boolean upsert) {
        super(factory, table, rejects);
        String sql = upsert ? dialect.upsert(table.ref(), table.columns(), table.keys())
                : dialect.insert(table.ref(), table.columns());
        try {
            statement = connection.prepareStatement(sql);
        } catch (SQLException e) {
            close();
            throw JdbcErrors.translate(e, "preparing the insert into " + table.ref());
        }
    }

    @Override
    protected void load(List<Object[]> rows) throws SQLException {
        int n = table.types().size();
        for (Object[] row : rows) {
            for (int i = 0; i < n; i++) {
                dialect.bind(statement, i + 1, row[i], table.types().get(i));
            }
            statement.addBatch();
        }
        try {
            statement.executeBatch();
        } finally {
            statement.clearBatch();
        }
    }
}
