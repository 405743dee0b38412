package dev.caravan.core.engine;

import dev.caravan.api.journal.Journal;
import dev.caravan.api.store.ObjectStore;
import dev.caravan.api.verify.VerificationItem;
import dev.caravan.api.verify.VerificationOutcome;
import dev.caravan.api.verify.VerificationReport;
import dev.caravan.core.plan.Compare;
import dev.caravan.core.plan.DiffEntry;
import dev.caravan.core.plan.MigrationSpec;
import dev.caravan.core.plan.Mode;
import dev.caravan.core.plan.Planner;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Verifies a whole migration: every source object must exist on the target with the same size and SHA-256
 * (from stored hashes where both sides have one, else read in parallel). With the engine's journal, a target
 * object that is still the one a verified copy wrote (its listing shows the ETag and size recorded) is compared by
 * the SHA-256 that copy recorded, without a request for it ({@link Planner#forVerification}). In sync mode, objects
 * only on the target count as problems too.
 */
final class VerifyRun {
    private VerifyRun() {
    }

    /** Verifies {@code spec}'s stores; {@code journal} (may be {@code null}) vouches for what it recorded. */
    static VerificationReport run(MigrationSpec spec, ObjectStore source, ObjectStore target, Journal journal) {
        VerificationReport report = new VerificationReport(1000);
        MigrationSpec bySize = spec.toBuilder().compare(Compare.SIZE).build();
        ExecutorService pool = Executors.newFixedThreadPool(spec.transfers());
        Semaphore slots = new Semaphore(spec.transfers() * 2);
        try (Planner planner = journal == null ? new Planner(bySize, source, target)
                : Planner.forVerification(bySize, source, target, journal)) {
            var entries = planner.entries();
            while (entries.hasNext()) {
                DiffEntry e = entries.next();
                switch (e.kind()) {
                    case NEW -> report.add(new VerificationItem(e.key(), VerificationOutcome.MISSING_ON_TARGET, "list",
                            "missing on target"));
                    case EXTRA -> {
                        if (spec.mode() == Mode.SYNC) {
                            report.add(new VerificationItem(e.key(), VerificationOutcome.MISSING_ON_SOURCE, "list",
                                    "only on target"));
                        }
                    }
                    case CHANGED -> report.add(new VerificationItem(e.key(), VerificationOutcome.DIFFER, "size",
                            e.reason()));
                    case PARTIAL -> { }
                    case SAME -> {
                        slots.acquireUninterruptibly();
                        pool.execute(() -> {
                            try {
                                report.add(ObjectComparer.compare(e.key(), source, e.source(), target, e.target()));
                            } finally {
                                slots.release();
                            }
                        });
                    }
                    default -> throw new IllegalStateException(e.kind().name());
                }
            }
        } finally {
            pool.shutdown();
            try {
                pool.awaitTermination(7, TimeUnit.DAYS);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
            }
        }
        return report;
    }
}
