package dev.caravan.core.engine;

import dev.caravan.api.error.MigrationException;
import dev.caravan.api.store.ObjectStore;
import dev.caravan.api.vm.PreflightCheck;
import dev.caravan.core.journal.JdbcJournal;
import dev.caravan.core.plan.KeyMap;
import dev.caravan.core.plan.MigrationSpec;
import dev.caravan.core.plan.PlanSummary;
import dev.caravan.core.plan.PlannedAction;
import dev.caravan.core.plan.PlannedTask;
import dev.caravan.core.plan.Planner;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The plan of a migration without running it ({@link MigrationEngine#plan}, {@code caravan plan}, {@code --dry-run}):
 * both sides listed and diffed, a sample of the actions, and the preflight checks; nothing written to the target.
 */
final class DryRun {
    /** How many planned actions the plan shows. */
    private static final int PLAN_SAMPLE = 50;

    private DryRun() {
    }

    /**
     * Plans {@code spec} between the open stores, with the journal's record of earlier copies; with {@code backups}
     * (may be null), a check says what the backup dir would keep.
     */
    static PlanResult plan(MigrationSpec spec, ObjectStore source, ObjectStore target, JdbcJournal journal,
            Backups backups) {
        Preflight.access(source, target, spec.mode()); // before anything is listed
        try (Planner planner = new Planner(spec, source, target, journal)) {
            List<PlannedAction> sample = new ArrayList<>();
            Preflight.UnholdableKeys unholdable = new Preflight.UnholdableKeys(target);
            KeyMap keyMap = spec.parsedKeyMap();
            FileTreeClashes clashes = new FileTreeClashes(target);
            if (target.isFileTree()) {
                planner.observingTargetKeys(clashes::accept);
            }
            OtherUploads others = OtherUploads.find(journal, spec, target, backups);
            Iterator<PlannedTask> tasks = planner.tasks();
            long[] kept = new long[2]; // objects the backup dir would keep, and their bytes
            long leftovers = 0; // temporary objects of an interrupted run the plan removes
            while (tasks.hasNext()) {
                PlannedTask t = tasks.next();
                String action = t.spec().action();
                others.planned(t.spec().id());
                if (PlannedTask.CLEANUP.equals(action)) {
                    leftovers++;
                }
                if (PlannedTask.REPLACE.equals(action) || PlannedTask.DELETE.equals(action)) {
                    kept[0]++;
                    kept[1] += Math.max(0, t.entry().target().size());
                }
                if (sample.size() < PLAN_SAMPLE) {
                    String item = t.spec().item();
                    boolean mapped = PlannedTask.transfers(t.spec().action()) && !keyMap.target(item).equals(item);
                    sample.add(new PlannedAction(t.spec().action(), item, t.spec().size(), t.entry().reason()
                            + (mapped ? ", written as '" + keyMap.target(item) + "'" : "")));
                }
                if (PlannedTask.transfers(t.spec().action())) {
                    unholdable.check(keyMap.target(t.spec().item()));
                }
            }
            PlanSummary summary = planner.summary();
            Duration[] forecast = new Duration[1];
            long backupBytes = backups == null ? 0 : kept[1];
            List<PreflightCheck> checks = Preflight.forPlan(source, target, summary, sample, spec.bandwidth(),
                    backupBytes, forecast);
            unholdable.result().ifPresent(checks::add);
            Preflight.leftoversAccess(target, leftovers).ifPresent(checks::add);
            if (backups != null) {
                checks.add(new PreflightCheck("backup-dir", PreflightCheck.Status.PASS, "would keep " + kept[0]
                        + " object(s), " + kept[1] + " B, that the run deletes or overwrites on the target in "
                        + backups.dir().shown() + " first; write access there is probed when the run starts (a plan"
                        + " writes nothing)"));
            }
            Preflight.skipped(source).ifPresent(checks::add);
            Preflight.targetSkipped(target).ifPresent(checks::add);
            Preflight.unlisted(source).ifPresent(checks::add);
            Preflight.unlisted(target).ifPresent(checks::add);
            Preflight.archived(source).ifPresent(checks::add);
            clashes.result().ifPresent(checks::add);
            Preflight.listedMissing(source, summary).ifPresent(checks::add);
            TransferLimits.check(spec, summary, forecast[0], backupBytes).ifPresent(checks::add);
            others.check().ifPresent(checks::add);
            String single = Guards.singleObject(spec.source(), source, summary);
            if (single != null) {
                throw MigrationException.userConfig(single);
            }
            return new PlanResult(spec, summary, sample, checks, forecast[0], Guards.refusal(spec, summary));
        }
    }
}
