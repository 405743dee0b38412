package dev.caravan.core.records;

import dev.caravan.api.record.ReadBack;
import dev.caravan.api.record.RecordSource;
import dev.caravan.api.record.Split;
import dev.caravan.api.record.TableStructure;
import dev.caravan.api.verify.VerificationItem;
import dev.caravan.api.verify.VerificationOutcome;
import dev.caravan.api.verify.VerificationReport;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The verify phase: for every loaded table, reads the target back ({@link ReadBack}) and compares it with the
 * source split by split ({@link TableVerifier}), in parallel on the engine's pool. A sink that cannot be read back
 * is not verified (logged). Failures to read become ERROR items.
 */
final class Verification {
    private static final Logger LOG = LoggerFactory.getLogger(Verification.class);

    /** The method of the verification of a structure-only table. */
    static final String STRUCTURE = "structure";

    private final TableMigrationSpec spec;
    private final ExecutorService pool;
    private final RecordMigrationListener listener;

    Verification(TableMigrationSpec spec, ExecutorService pool, RecordMigrationListener listener) {
        this.spec = spec;
        this.pool = pool;
        this.listener = listener;
    }

    void verify(List<TableJob> jobs, VerificationReport report) {
        for (TableJob job : jobs) {
            if (!job.errors.isEmpty()) {
                continue;
            }
            if (!Planning.loadsRows(job.sink)) {
                add(report, structure(job));
                continue;
            }
            Optional<ReadBack> rb = job.sink.capability(ReadBack.class);
            if (rb.isEmpty()) {
                LOG.warn("{}: the target cannot be read back; not verified", job.table);
                continue;
            }
            try (RecordSource target = rb.get().readBack(job.targetSchema())) {
                TableVerifier v = new TableVerifier(job, job.verifySource, target, spec.mapping().isIdentity(),
                        spec.verify() == TableMigrationSpec.Verify.COUNT, spec.verifyRangeRows());
                List<Future<List<VerificationItem>>> futures = new ArrayList<>();
                for (Split s : job.verifySource.splits(spec.splitsPerTable())) {
                    futures.add(pool.submit(() -> v.verify(s)));
                }
                for (Future<List<VerificationItem>> f : futures) {
                    for (VerificationItem item : get(f, job.table)) {
                        add(report, item);
                    }
                }
            } catch (RuntimeException e) {
                add(report, new VerificationItem(job.table, VerificationOutcome.ERROR, "row-digest",
                        String.valueOf(e.getMessage())));
            }
        }
    }

    /**
     * The verdict on a table whose target took the structure only: what it lacks of the structure a load creates
     * (its rows are not compared: there are none by design).
     */
    private static VerificationItem structure(TableJob job) {
        try {
            List<String> missing = job.sink.capability(TableStructure.class).orElseThrow()
                    .structureDifferences(job.targetSchema(), job.definition);
            return new VerificationItem(job.table, missing.isEmpty() ? VerificationOutcome.MATCH
                    : VerificationOutcome.DIFFER, STRUCTURE, String.join("; ", missing));
        } catch (RuntimeException e) {
            return new VerificationItem(job.table, VerificationOutcome.ERROR, STRUCTURE, String.valueOf(e.getMessage()));
        }
    }

    private void add(VerificationReport report, VerificationItem item) {
        report.add(item);
        listener.verified(item);
    }

    private static List<VerificationItem> get(Future<List<VerificationItem>> f, String table) {
        try {
            return f.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            return List.of(new VerificationItem(table, VerificationOutcome.ERROR, "row-digest",
                    String.valueOf(e.getCause().getMessage())));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of(new VerificationItem(table, VerificationOutcome.ERROR, "row-digest", "interrupted"));
        }
    }
}
