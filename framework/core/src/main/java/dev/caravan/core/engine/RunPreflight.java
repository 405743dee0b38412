package dev.caravan.core.engine;

import dev.caravan.api.error.MigrationException;
import dev.caravan.api.journal.TaskSpec;
import dev.caravan.api.store.ObjectStore;
import dev.caravan.api.vm.PreflightCheck;
import dev.caravan.core.plan.MigrationSpec;
import dev.caravan.core.plan.Mode;
import dev.caravan.core.plan.PlanSummary;
import dev.caravan.core.plan.PlannedTask;
import dev.caravan.core.retry.RetryPolicy;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The preflight of a run ({@link MigrationEngine#run}) between its plan and its first write, made by the process of a
 * run of its own or, in a run shared by workers ({@link SharedRun}), by the worker that plans it, as a plan's checks
 * ({@link DryRun}) would have it: temporary objects to remove that the target's credentials say they cannot delete
 * refuse the run (the plan's {@code target-leftovers} check fails), the target's write probe (started early, while
 * planning, where nothing after the plan may refuse the run) and the backup dir's, whose notes (an upload the probe
 * could not abort) become warnings of the run's report, and the capacity. Not thread-safe, but for
 * {@link #probe}, which the early probe's thread runs.
 */
final class RunPreflight {
    private final MigrationSpec spec;
    private final ObjectStore target;
    /** The backup dir, or null without one. */
    private final Backups backups;
    private volatile boolean probed;
    /** What the write probes had to leave behind ({@link Preflight#probeWrite}), for the run's report. */
    private final List<String> notes = new CopyOnWriteArrayList<>();
    /** The temporary objects of an interrupted run that the plan removes (CLEANUP tasks). */
    private long leftovers;

    RunPreflight(MigrationSpec spec, ObjectStore target, Backups backups) {
        this.spec = spec;
        this.target = target;
        this.backups = backups;
    }

    /**
     * Makes the write probe of the target, and of the backup dir when there is one (its credentials may be its own),
     * each retried as the run's requests are.
     */
    void probe() {
        RetryPolicy retry = RetryPolicy.of(spec.retries(), spec.retryBaseDelay(), spec.outageWait());
        retry.call("write probe", () -> Preflight.probeWrite(target, "target")).ifPresent(notes::add);
        if (backups != null) {
            retry.call("backup dir write probe", () -> Preflight.probeWrite(backups.store(), "backup dir"))
                    .ifPresent(notes::add);
        }
        probed = true;
    }

    /**
     * The warnings of the run's report that its plan and these checks leave, in words a user can act on: what the write
     * probes had to leave behind, and the keys of a {@code --files-from} list the {@code source} lacks (the plan's
     * {@code summary}).
     */
    List<String> warnings(ObjectStore source, PlanSummary summary) {
        List<String> warnings = new java.util.ArrayList<>(notes);
        Preflight.listedMissing(source, summary).map(PreflightCheck::detail).ifPresent(warnings::add);
        return warnings;
    }

    /**
     * What watches the run's planned tasks: it counts the temporary objects to remove, and starts {@code early} at
     * the first transfer unless the probe was made already or a check after the plan may refuse the run (which must
     * then find the target untouched).
     */
    Consumer<TaskSpec> watching(EarlyProbe early) {
        boolean overlap = !probed && !Guards.mayRefuse(spec) && Preflight.leftoversAccess(target, 1).isEmpty();
        return task -> {
            if (PlannedTask.CLEANUP.equals(task.action())) {
                leftovers++;
            } else if (overlap && !early.started() && PlannedTask.transfers(task.action())) {
                early.start();
            }
        };
    }

    /**
     * The checks once the plan {@code summary} is complete (and the guards passed), before the first write: fails
     * with USER_CONFIG when the target cannot remove the temporary objects the plan removes or lacks the space;
     * probes the writes (or awaits {@code early}) when something is to transfer, or, with a backup dir, when a sync
     * deletes (what it deletes is kept there first).
     */
    void beforeWrites(PlanSummary summary, EarlyProbe early) {
        Preflight.leftoversAccess(target, leftovers).ifPresent(check -> {
            throw MigrationException.userConfig(check.name() + ": " + check.detail() + "; nothing was written");
        });
        boolean keepsDeleted = backups != null && spec.mode() == Mode.SYNC && summary.deleteCount() > 0;
        if (summary.transferCount() > 0 || keepsDeleted) {
            if (early.started()) {
                early.await();
            } else if (!probed) {
                probe();
            }
        }
        if (summary.transferCount() > 0) {
            PreflightCheck capacity = Preflight.capacity(target, summary.transferBytes());
            if (capacity.status() == PreflightCheck.Status.FAIL) {
                throw MigrationException.userConfig("not enough space: " + capacity.detail());
            }
        }
    }
}
