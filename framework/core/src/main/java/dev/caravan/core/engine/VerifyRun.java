package dev.caravan.core.engine;

import dev.caravan.api.journal.Journal;
import dev.caravan.api.store.ObjectStore;
import dev.caravan.api.verify.VerificationItem;
import dev.caravan.api.verify.VerificationOutcome;
import dev.caravan.api.verify.VerificationReport;
import dev.caravan.core.Threads;
import dev.caravan.core.plan.Compare;
import dev.caravan.core.plan.DiffEntry;
import dev.caravan.core.plan.MigrationSpec;
import dev.caravan.core.plan.Mode;
import dev.caravan.core.plan.Planner;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Verifies a whole migration: every source object must exist on the target with the same size and SHA-256
 * (from stored hashes where both sides have one, else read in parallel). With the engine's journal, a target
 * object that is still the one a verified copy wrote (its listing shows the ETag and size recorded) is compared by
 * the SHA-256 that copy recorded, without a request for it ({@link Planner#forVerification}). In sync mode, objects
 * only on the target count as problems too, and so do the keys of a {@code --files-from} list the source lacks.
 */
final class VerifyRun {
    private VerifyRun() {
    }

    /** Verifies {@code spec}'s stores; {@code journal} (may be {@code null}) vouches for what it recorded. */
    static VerificationReport run(MigrationSpec spec, ObjectStore source, ObjectStore target, Journal journal) {
        VerificationReport report = new VerificationReport(1000);
        MigrationSpec bySize = spec.toBuilder().compare(Compare.SIZE).build();
        try (Planner planner = journal == null ? new Planner(bySize, source, target)
                : Planner.forVerification(bySize, source, target, journal)) {
            Iterator<DiffEntry> entries = planner.entries();
            // each checker takes its next entry itself: no hand-over between threads per object
            List<Thread> checkers = new ArrayList<>();
            AtomicReference<RuntimeException> broken = new AtomicReference<>();
            for (int i = 0; i < spec.transfers(); i++) {
                Thread t = new Thread(() -> {
                    try {
                        for (DiffEntry e; broken.get() == null && (e = next(entries)) != null; ) {
                            check(spec, source, target, e, report);
                        }
                    } catch (RuntimeException e) {
                        broken.compareAndSet(null, e);
                    }
                }, "caravan-verify");
                t.setDaemon(true);
                checkers.add(t);
                t.start();
            }
            checkers.forEach(Threads::joinUninterruptibly);
            if (broken.get() != null) {
                throw broken.get();
            }
            Preflight.listedMissing(source, planner.summary()).ifPresent(missing -> report.add(new VerificationItem(
                    source.uri(), VerificationOutcome.MISSING_ON_SOURCE, "files-from", missing.detail())));
        }
        for (ObjectStore side : List.of(source, target)) { // what a directory no listing could read holds is unknown
            Preflight.unlisted(side).ifPresent(unread -> report.add(new VerificationItem(side.uri(),
                    VerificationOutcome.ERROR, "list", unread.detail())));
        }
        return report;
    }

    private static DiffEntry next(Iterator<DiffEntry> entries) {
        synchronized (entries) {
            return entries.hasNext() ? entries.next() : null;
        }
    }

    private static void check(MigrationSpec spec, ObjectStore source, ObjectStore target, DiffEntry e,
            VerificationReport report) {
        switch (e.kind()) {
            case NEW -> report.add(new VerificationItem(e.key(), VerificationOutcome.MISSING_ON_TARGET, "list",
                    "missing on target"));
            case EXTRA -> {
                if (spec.mode() == Mode.SYNC) {
                    report.add(new VerificationItem(e.key(), VerificationOutcome.MISSING_ON_SOURCE, "list",
                            "only on target"));
                }
            }
            case CHANGED -> report.add(new VerificationItem(e.key(), VerificationOutcome.DIFFER, "size", e.reason()));
            case PARTIAL -> { }
            case SAME -> report.add(ObjectComparer.compare(e.key(), source, e.source(), target, e.target()));
            default -> throw new IllegalStateException(e.kind().name());
        }
    }
}
