package dev.caravan.connector.jdbc;

import dev.caravan.api.verify.VerificationItem;
import dev.caravan.core.journal.JdbcJournal;
import dev.caravan.core.records.RecordMigrationEngine;
import dev.caravan.core.records.RecordMigrationResult;
import dev.caravan.core.records.TableMigrationSpec;
import dev.caravan.core.registry.ConnectorRegistry;
import java.nio.file.Path;
import java.util.stream.Collectors;

/** Runs the record migration engine with the jdbc connector and a journal in a temp directory. */
final class EngineSupport {
    private EngineSupport() {
    }

    static String journalUrl(Path dir) {
        return "jdbc:h2:" + dir.resolve("journal").toAbsolutePath();
    }

    static RecordMigrationResult run(Path dir, TableMigrationSpec spec) {
        return run(dir, spec, ConnectorRegistry.of(new JdbcRecordProvider()));
    }

    static RecordMigrationResult run(Path dir, TableMigrationSpec spec, ConnectorRegistry registry) {
        return run(dir, spec, registry, dev.caravan.core.records.RecordMigrationListener.NONE);
    }

    static RecordMigrationResult run(Path dir, TableMigrationSpec spec, ConnectorRegistry registry,
            dev.caravan.core.records.RecordMigrationListener listener) {
        try (JdbcJournal journal = JdbcJournal.open(journalUrl(dir))) {
            return new RecordMigrationEngine(registry, journal).run(spec, listener);
        }
    }

    /** A readable summary of a result for assertion messages. */
    static String describe(RecordMigrationResult r) {
        return r.outcome() + " phases=" + r.phases() + " rows=" + r.rows() + " rejected=" + r.rejected()
                + " skippedTables=" + r.skippedTables() + " errors=" + r.errors()
                + " problems=" + r.verification().problems().stream().map(VerificationItem::toString)
                        .collect(Collectors.joining("; "));
    }
}
