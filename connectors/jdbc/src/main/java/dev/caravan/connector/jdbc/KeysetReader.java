package dev.caravan.connector.jdbc;

import dev.caravan.api.journal.Checkpoint;
import dev.caravan.api.record.DataRecord;
import dev.caravan.api.record.RecordBatch;
import dev.caravan.api.record.RecordReader;
import dev.caravan.api.record.Split;
import dev.caravan.connector.jdbc.dialect.RowReader;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads one split by keyset pagination: {@code WHERE key > last AND key <= upper ORDER BY key LIMIT n}, one query
 * per batch (no OFFSET, no long-running cursor). Its checkpoint is the key of the last row returned,
 * {@code jdbc.lastKey}. Not thread-safe.
 */
final class KeysetReader implements RecordReader {
    static final String LAST_KEY = "jdbc.lastKey";

    private final ConnectionFactory factory;
    private final Relation rel;
    private final Split split;
    private final int batchSize;
    private final int[] keyIndexes;
    private Connection connection;
    private RowReader rows;
    private final SplitPosition position;
    private boolean done;

    KeysetReader(ConnectionFactory factory, Relation rel, Split split, Checkpoint from, int batchSize) {
        this.factory = factory;
        this.rel = rel;
        this.split = split;
        this.batchSize = batchSize;
        this.position = new SplitPosition(split, from);
        List<ColumnInfo> cols = rel.model().columns();
        this.keyIndexes = rel.keys().stream().mapToInt(k -> indexOf(cols, k)).toArray();
    }

    private static int indexOf(List<ColumnInfo> cols, String name) {
        for (int i = 0; i < cols.size(); i++) {
            if (cols.get(i).name().equals(name)) {
                return i;
            }
        }
        throw new IllegalArgumentException("key column " + name + " is not selected");
    }

    @Override
    public Optional<RecordBatch> nextBatch() {
        if (done) {
            return Optional.empty();
        }
        Relation.Where where = rel.where(position.after(), split.upperBound());
        List<DataRecord> batch = new ArrayList<>(Math.min(batchSize, 65_536));
        Object[] last = null;
        try {
            if (connection == null) {
                connection = factory.open(false);
                rows = rel.rowReader(connection);
            }
            String sql = "SELECT " + rows.selectList() + " FROM " + rel.from() + where.sql() + " ORDER BY "
                    + rel.keyList() + " LIMIT " + batchSize;
            try (PreparedStatement ps = connection.prepareStatement(sql)) {
                where.bind(rel.dialect(), ps, 1);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        last = rows.read(rs);
                        batch.add(new DataRecord(last));
                    }
                }
            }
        } catch (SQLException e) {
            throw JdbcErrors.translate(e, "reading " + rel.model().ref() + " split " + split.id());
        }
        if (batch.size() < batchSize) {
            done = true;
        }
        if (batch.isEmpty()) {
            return Optional.empty();
        }
        Object[] key = new Object[keyIndexes.length];
        for (int i = 0; i < key.length; i++) {
            key[i] = last[keyIndexes[i]];
        }
        String lastKey = KeyCodec.encode(key);
        position.returned(lastKey);
        return Optional.of(new RecordBatch(batch, lastKey));
    }

    @Override
    public Checkpoint checkpoint() {
        return position.checkpoint();
    }

    @Override
    public void close() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                // closing a read-only connection; nothing to protect
            }
            connection = null;
        }
    }
}
