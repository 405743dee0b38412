package dev.caravan.core.engine;

import dev.caravan.api.verify.VerificationReport;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** Running totals of one execution, shared by its transfer threads. Thread-safe. */
final class ExecutionStats {
    private static final int MAX_ERRORS = 100;

    final AtomicLong copied = new AtomicLong();
    final AtomicLong bytes = new AtomicLong();
    /** Bytes of copied objects that an interrupted run had sent already (resumed, not sent again). */
    final AtomicLong bytesResumed = new AtomicLong();
    final AtomicLong deleted = new AtomicLong();
    /** Deletions an interrupted process of the run did without recording them, found done ({@link StaleDeletions}). */
    final AtomicLong deletionsFoundDone = new AtomicLong();
    final AtomicLong failed = new AtomicLong();
    /** The failed tasks that were to copy or replace an object (the others delete). */
    final AtomicLong failedTransfers = new AtomicLong();
    final AtomicLong verificationFailures = new AtomicLong();
    /** Transfers of a sync that met a file/directory clash, tried once more after the deletions (not failed yet). */
    final AtomicLong deferredTransfers = new AtomicLong();
    /** Descriptive attributes of copied objects that were mapped, dropped by a rule or not kept by the target. */
    final AtomicLong metadataNotes = new AtomicLong();
    final VerificationReport verification = new VerificationReport(1000);
    private final List<String> errors = new ArrayList<>();

    synchronized void error(String message) {
        if (errors.size() < MAX_ERRORS) {
            errors.add(message);
        }
    }

    synchronized List<String> errors() {
        return List.copyOf(errors);
    }
}
