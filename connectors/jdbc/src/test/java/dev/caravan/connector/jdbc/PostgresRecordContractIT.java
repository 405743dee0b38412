package dev.caravan.connector.jdbc;

import dev.caravan.api.record.DataRecord;
import dev.caravan.api.record.RecordSink;
import dev.caravan.api.record.RecordSource;
import dev.caravan.api.record.Schema;
import dev.caravan.testkit.contract.RecordSinkContract;
import dev.caravan.testkit.contract.RecordSourceContract;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;

/**
 * The record contract suites against the PostgreSQL server of scripts/servers/postgres.sh (a new database per
 * test); the sink writes with COPY, and once more with batched INSERTs.
 */
class PostgresRecordContractIT {

    static TestDb newDb() {
        return TestDb.postgres("contract");
    }

    @Nested
    class Source extends RecordSourceContract {
        TestDb db;

        @BeforeEach
        void db() {
            db = newDb();
        }

        @Override
        protected void createTable(String table, Schema schema, List<DataRecord> rows) {
            db.create(table, schema, rows);
        }

        @Override
        protected RecordSource openSource(String table) {
            return new JdbcRecordProvider().openSource(db.location(), TestDb.config(Map.of("table", table,
                    "batchSize", Integer.toString(BATCH))));
        }
    }

    @Nested
    class CopySink extends RecordSinkContract {
        TestDb db;

        @BeforeEach
        void db() {
            db = newDb();
        }

        @Override
        protected RecordSink openSink(String table) {
            return new JdbcRecordProvider().openSink(db.location(), TestDb.config(Map.of("table", table)));
        }

        @Override
        protected List<DataRecord> readTable(String table, Schema schema) {
            return db.read(table, schema);
        }
    }

    @Nested
    class InsertSink extends RecordSinkContract {
        TestDb db;

        @BeforeEach
        void db() {
            db = newDb();
        }

        @Override
        protected RecordSink openSink(String table) {
            return new JdbcRecordProvider().openSink(db.location(), TestDb.config(Map.of("table", table,
                    "writeMethod", "insert")));
        }

        @Override
        protected List<DataRecord> readTable(String table, Schema schema) {
            return db.read(table, schema);
        }
    }
}
