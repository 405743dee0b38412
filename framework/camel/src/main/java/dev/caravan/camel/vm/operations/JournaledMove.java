package dev.caravan.camel.vm.operations;

import dev.caravan.api.vm.JobProgress;
import dev.caravan.api.vm.MigrationKind;
import dev.caravan.api.vm.MigrationResult;
import dev.caravan.camel.support.OperationResponse;
import dev.caravan.camel.vm.VmConstants;
import dev.caravan.camel.vm.VmJournal;
import dev.caravan.camel.vm.VmRequest;
import java.time.Duration;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one move inside its journal run: the hypervisor's progress goes to the journal (as checkpoints) and to the
 * component's listeners; the result completes the task, a failure fails it with its kind and is rethrown. The
 * response carries the {@link MigrationResult} as body and its figures as headers.
 */
final class JournaledMove {
    private static final Logger LOG = LoggerFactory.getLogger(JournaledMove.class);

    private JournaledMove() {
    }

    /**
     * @param source where the domain is (scheme:location)
     * @param target where it goes: a hypervisor, or for storage moves the destination
     * @param size   bytes the move should carry, or {@code -1}
     * @param move   the move, given the progress sink
     */
    static OperationResponse run(VmRequest request, MigrationKind kind, String domain, String source,
            String target, long size, Function<Consumer<JobProgress>, MigrationResult> move) {
        return run(request, kind, domain, source, target, size, (Body) (progress, journal) -> move.apply(progress));
    }

    /** A move that looks at its journal run (taken up from a killed process, what that process recorded). */
    @FunctionalInterface
    interface Body {
        /**
         * @param progress the progress sink
         * @param journal  the move's journal run: {@link VmJournal#resumed()} when it takes up a killed process's run
         */
        MigrationResult run(Consumer<JobProgress> progress, VmJournal journal);
    }

    /**
     * As {@link #run(VmRequest, MigrationKind, String, String, String, long, Function)}, for a move that finishes
     * differently when it takes up the unfinished run of a killed process. The journal run is started (and the move
     * held for this process) before the body runs.
     */
    static OperationResponse run(VmRequest request, MigrationKind kind, String domain, String source,
            String target, long size, Body move) {
        VmJournal journal = request.journal(kind, domain, source, target, size);
        String what = "vm-" + kind.name().toLowerCase(Locale.ROOT) + " " + domain;
        LOG.info("{}: {} -> {}{}", what, source, target,
                journal.runId() == null ? "" : " (journal run " + journal.runId() + ")");
        MigrationResult result;
        try {
            result = move.run(p -> {
                journal.progress(p);
                request.progress(domain, p);
            }, journal);
        } catch (RuntimeException e) {
            journal.fail(e);
            LOG.info("{}: failed: {}", what, e.getMessage());
            throw e;
        }
        journal.complete(result);
        request.result(result);
        LOG.info("{}: done in {} ms, downtime {}, {} iterations, {} bytes", what, millis(result.wall()),
                result.downtime() == null ? "n/a" : result.downtime().toMillis() + " ms", result.iterations(),
                result.bytes());
        return response(result, journal.runId());
    }

    static OperationResponse response(MigrationResult r, String runId) {
        return OperationResponse.of(r)
                .with(VmConstants.NAME, r.name())
                .with(VmConstants.HOST, r.target())
                .with(VmConstants.MIGRATION_KIND, r.kind().name())
                .with(VmConstants.DOWNTIME, millis(r.downtime()))
                .with(VmConstants.ITERATIONS, r.iterations())
                .with(VmConstants.ELAPSED, millis(r.elapsed()))
                .with(VmConstants.WALL, millis(r.wall()))
                .with(VmConstants.MEMORY_BYTES, r.memoryBytes())
                .with(VmConstants.DISK_BYTES, r.diskBytes())
                .with(VmConstants.RUN_ID, runId);
    }

    private static Long millis(Duration d) {
        return d == null ? null : d.toMillis();
    }
}
