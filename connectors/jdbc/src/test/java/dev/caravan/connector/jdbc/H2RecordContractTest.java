package dev.caravan.connector.jdbc;

import dev.caravan.api.record.DataRecord;
import dev.caravan.api.record.RecordSink;
import dev.caravan.api.record.RecordSource;
import dev.caravan.api.record.Schema;
import dev.caravan.testkit.contract.RecordSinkContract;
import dev.caravan.testkit.contract.RecordSourceContract;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.io.TempDir;

/** The record contract suites against an embedded H2 file database. */
class H2RecordContractTest {
    @TempDir
    static Path dir;

    @Nested
    class Source extends RecordSourceContract {
        TestDb db;

        @BeforeEach
        void db() {
            db = TestDb.h2(dir, "src" + System.nanoTime());
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
    class Sink extends RecordSinkContract {
        TestDb db;

        @BeforeEach
        void db() {
            db = TestDb.h2(dir, "sink" + System.nanoTime());
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
}
