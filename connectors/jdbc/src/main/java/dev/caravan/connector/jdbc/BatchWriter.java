package dev.caravan.connector.jdbc;

import dev.caravan.api.error.MigrationException;
import dev.caravan.api.record.ColumnType;
import dev.caravan.api.record.DataRecord;
import dev.caravan.api.record.RecordBatch;
import dev.caravan.api.record.RecordLocations;
import dev.caravan.api.record.RecordWriter;
import dev.caravan.api.record.WriteReport;
import dev.caravan.connector.jdbc.dialect.Dialect;
import dev.caravan.connector.jdbc.dialect.Values;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.List;

/**
 * The common part of the jdbc writers: one connection with one transaction per commit; each {@link #write} loads
 * its batch inside a savepoint, or, when it is the transaction's first (the engine commits every batch), inside the
 * transaction alone, saving the SAVEPOINT round trip. When the database refuses the batch because of a row (a data or
 * constraint error), the savepoint (or the transaction) is rolled back and the batch is bisected, each half in its own savepoint, until every refused row
 * is isolated and sent to the {@link RejectLog} with its reason; the other rows load. Any other failure is
 * translated by {@link JdbcErrors} and the transaction stays uncommitted. Not thread-safe.
 *
 * <p>{@link #commit()} returns the counts since the previous commit.
 */
abstract class BatchWriter implements RecordWriter {
    protected final Connection connection;
    protected final Dialect dialect;
    protected final TargetTable table;
    private final RejectLog rejects;
    private final ColumnType[] types;
    /** Per column, the class whose values need no conversion ({@link Values#passThrough}), or null. */
    private final Class<?>[] ready;
    /**
     * Per column, whether its converted values may be refused: by the dialect ({@link Dialect#refusal}) or by the
     * column's declared DECIMAL precision and scale ({@link DecimalBounds}); null if no column's may.
     */
    private final boolean[] checked;
    private long written;
    private long rejected;
    private String lastKey;
    /** Whether the current transaction holds loaded rows (then a batch needs a savepoint of its own). */
    private boolean uncommitted;
    /** The batch being written: where its records come from, and the record of each loaded row (by index). */
    private RecordLocations locations = RecordLocations.NONE;
    private int[] origin;

    BatchWriter(ConnectionFactory factory, TargetTable table, RejectLog rejects) {
        this.dialect = factory.dialect();
        this.table = table;
        this.rejects = rejects;
        this.types = table.types().toArray(ColumnType[]::new);
        this.ready = new Class<?>[types.length];
        boolean[] check = new boolean[types.length];
        boolean any = false;
        for (int i = 0; i < types.length; i++) {
            ready[i] = Values.passThrough(types[i]);
            check[i] = dialect.refusesValues(types[i]) || table.decimals().bounded(i);
            any |= check[i];
        }
        this.checked = any ? check : null;
        this.connection = factory.open(true);
        try {
            connection.setAutoCommit(false);
        } catch (SQLException e) {
            close();
            throw JdbcErrors.translate(e, "opening a transaction on " + table.ref());
        }
    }

    /** Loads rows (already converted to the column types) in the current transaction. */
    protected abstract void load(List<Object[]> rows) throws SQLException;

    @Override
    public void write(RecordBatch batch) {
        List<Object[]> rows = new ArrayList<>(batch.records().size());
        locations = batch.locations();
        origin = new int[batch.records().size()];
        for (int i = 0; i < batch.records().size(); i++) {
            Object[] converted = convert(batch.records().get(i), i);
            if (converted != null) {
                origin[rows.size()] = i;
                rows.add(converted);
            }
        }
        if (!rows.isEmpty()) {
            try {
                Savepoint sp = uncommitted ? connection.setSavepoint() : null;
                try {
                    load(rows);
                    written += rows.size();
                } catch (SQLException e) {
                    if (!JdbcErrors.isRowProblem(e)) {
                        throw e;
                    }
                    if (sp != null) {
                        connection.rollback(sp);
                    } else {
                        connection.rollback(); // the transaction held only this batch
                    }
                    isolate(rows, 0);
                }
                uncommitted = true;
            } catch (SQLException e) {
                throw JdbcErrors.translate(e, "writing to " + table.ref());
            }
        }
        if (batch.lastKey() != null) {
            lastKey = batch.lastKey();
        }
    }

    /**
     * The record's values as the column types need them, or null when one does not fit (the row is rejected). A
     * value whose class is already the column's is kept without a call; when every value is, the record's own
     * array is used (records are not changed after they are read).
     */
    private Object[] convert(DataRecord r, int index) {
        Object[] in = r.values();
        int n = types.length;
        int i = 0;
        if (in.length == n) {
            while (i < n && (in[i] == null || in[i].getClass() == ready[i])) {
                i++;
            }
            if (i == n) {
                return refused(in, index) ? null : in;
            }
        }
        Object[] out = new Object[n];
        System.arraycopy(in, 0, out, 0, i);
        try {
            for (; i < n; i++) {
                Object v = in[i];
                out[i] = v == null || v.getClass() == ready[i] ? v : dialect.convert(v, types[i]);
            }
            return refused(out, index) ? null : out;
        } catch (Values.BadValue e) {
            reject(in, e.getMessage(), index);
            return null;
        }
    }

    /**
     * Whether the target would change one of the converted values rather than refuse it (a value with more decimals
     * than its DECIMAL column's scale is rounded, MariaDB has no NaN): then the row is rejected with the reason
     * ({@link DecimalBounds#refusal}, {@link Dialect#refusal}).
     */
    private boolean refused(Object[] values, int index) {
        if (checked == null) {
            return false;
        }
        for (int i = 0; i < values.length; i++) {
            String why = values[i] == null || !checked[i] ? null : refusal(i, values[i]);
            if (why != null) {
                reject(values, why, index);
                return true;
            }
        }
        return false;
    }

    private String refusal(int i, Object value) {
        String unfit = table.decimals().refusal(i, value, table.columns().get(i));
        return unfit != null ? unfit : dialect.refusal(value, types[i]);
    }

    /**
     * Finds the refused rows by bisection (row by row below 32 rows), each part in its own savepoint.
     *
     * @param first the index of {@code rows}' first row among the batch's loaded rows
     */
    private void isolate(List<Object[]> rows, int first) throws SQLException {
        if (rows.size() <= 32) {
            for (int i = 0; i < rows.size(); i++) {
                Object[] row = rows.get(i);
                Savepoint sp = connection.setSavepoint();
                try {
                    load(List.<Object[]>of(row));
                    written++;
                } catch (SQLException e) {
                    if (!JdbcErrors.isRowProblem(e)) {
                        throw e;
                    }
                    connection.rollback(sp);
                    reject(row, JdbcErrors.message(e), origin[first + i]);
                }
            }
            return;
        }
        int mid = rows.size() / 2;
        for (int h = 0; h < 2; h++) {
            List<Object[]> half = h == 0 ? rows.subList(0, mid) : rows.subList(mid, rows.size());
            int at = h == 0 ? first : first + mid;
            Savepoint sp = connection.setSavepoint();
            try {
                load(half);
                written += half.size();
            } catch (SQLException e) {
                if (!JdbcErrors.isRowProblem(e)) {
                    throw e;
                }
                connection.rollback(sp);
                if (half.size() == 1) {
                    reject(half.get(0), JdbcErrors.message(e), origin[at]);
                } else {
                    isolate(half, at);
                }
            }
        }
    }

    /** Sends a refused row to the reject log with its key and where its record came from (batch index). */
    private void reject(Object[] values, String reason, int index) {
        rejected++;
        Object[] key = new Object[table.keyIndexes().length];
        for (int i = 0; i < key.length; i++) {
            key[i] = values[table.keyIndexes()[i]];
        }
        rejects.reject(table.sourceTable(), key.length == 0 ? null : KeyCodec.encode(key), locations.of(index), reason,
                table.columns(), values);
    }

    @Override
    public WriteReport commit() {
        try {
            connection.commit();
        } catch (SQLException e) {
            throw JdbcErrors.translate(e, "committing to " + table.ref());
        }
        uncommitted = false;
        WriteReport report = new WriteReport(written, rejected, lastKey);
        written = 0;
        rejected = 0;
        return report;
    }

    @Override
    public void abort() {
        written = 0;
        rejected = 0;
        uncommitted = false;
        try {
            connection.rollback();
        } catch (SQLException e) {
            throw JdbcErrors.translate(e, "rolling back on " + table.ref());
        }
    }

    @Override
    public void close() {
        try {
            if (!connection.isClosed()) {
                connection.rollback();
                connection.close();
            }
        } catch (SQLException e) {
            // nothing uncommitted is kept; the connection is gone either way
        } catch (MigrationException e) {
            // idem
        }
    }
}
