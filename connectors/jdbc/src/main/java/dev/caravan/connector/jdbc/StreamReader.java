package dev.caravan.connector.jdbc;

import dev.caravan.api.journal.Checkpoint;
import dev.caravan.api.record.DataRecord;
import dev.caravan.api.record.RecordBatch;
import dev.caravan.api.record.RecordLocations;
import dev.caravan.api.record.RecordReader;
import dev.caravan.connector.jdbc.dialect.RowReader;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads a keyless table or query in one streaming pass (driver fetch size, a cursor in a read-only transaction on
 * PostgreSQL). There is no key to resume from: its checkpoint stays empty and a resumed run reads it again. Each
 * row's location is its ordinal in the read ({@code row 3}). Not thread-safe.
 */
final class StreamReader implements RecordReader {
    private final ConnectionFactory factory;
    private final Relation rel;
    private final int batchSize;
    private final int fetchSize;
    private Connection connection;
    private PreparedStatement statement;
    private ResultSet rs;
    private RowReader reader;
    private boolean done;
    /** Rows read so far: a keyless row is located by its 1-based ordinal in this read. */
    private long read;

    StreamReader(ConnectionFactory factory, Relation rel, int batchSize, int fetchSize) {
        this.factory = factory;
        this.rel = rel;
        this.batchSize = batchSize;
        this.fetchSize = fetchSize;
    }

    @Override
    public Optional<RecordBatch> nextBatch() {
        if (done) {
            return Optional.empty();
        }
        try {
            if (rs == null) {
                connection = factory.open(false);
                connection.setAutoCommit(false);
                reader = rel.rowReader(connection);
                Relation.Where where = rel.where(null, null);
                statement = connection.prepareStatement("SELECT " + reader.selectList() + " FROM " + rel.from()
                        + where.sql(), ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
                statement.setFetchSize(fetchSize);
                where.bind(rel.dialect(), statement, 1);
                rs = statement.executeQuery();
            }
            List<DataRecord> rows = new ArrayList<>(Math.min(batchSize, 65_536));
            while (rows.size() < batchSize && rs.next()) {
                rows.add(new DataRecord(reader.read(rs)));
            }
            if (rows.size() < batchSize) {
                done = true;
            }
            RecordLocations at = RecordLocations.consecutive("row ", read + 1);
            read += rows.size();
            return rows.isEmpty() ? Optional.empty() : Optional.of(new RecordBatch(rows, null, at));
        } catch (SQLException e) {
            throw JdbcErrors.translate(e, "reading " + rel.model().ref());
        }
    }

    @Override
    public Checkpoint checkpoint() {
        return Checkpoint.EMPTY;
    }

    @Override
    public void close() {
        try {
            if (connection != null) {
                connection.rollback();
                connection.close();
            }
        } catch (SQLException e) {
            // read-only work; nothing to protect
        }
        connection = null;
        rs = null;
    }
}
