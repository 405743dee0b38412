package dev.caravan.application;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import dev.caravan.api.journal.RunOutcome;
import dev.caravan.api.store.ObjectInfo;
import dev.caravan.api.store.ObjectStore;
import dev.caravan.api.verify.VerificationReport;
import dev.caravan.application.model.Phase;
import dev.caravan.application.model.Redaction;
import dev.caravan.application.model.Step;
import dev.caravan.core.engine.ObjectCopier;
import dev.caravan.core.engine.PlanResult;
import dev.caravan.core.engine.ProgressListener;
import dev.caravan.core.engine.RunResult;
import dev.caravan.core.plan.MigrationSpec;
import dev.caravan.core.plan.Mode;
import dev.caravan.core.plan.PlannedTask;
import dev.caravan.core.plan.Planner;
import dev.caravan.core.throttle.BandwidthLimiter;
import dev.caravan.core.verify.VerifyMode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A files step: an object migration ({@code copy} or {@code sync}) run by the core {@link
 * dev.caravan.core.engine.MigrationEngine}; the final pass is a re-plan of the same migration, so only objects new or
 * changed since the warm pass move (and, in sync mode, objects gone from the source are deleted).
 *
 * <p>Rollback: before each pass the step plans the migration itself and copies every target object the pass will
 * replace or delete, and that existed before the run, into a backup store under the run directory
 * ({@code local:<run>/backup/<step>}). {@link #compensate} deletes every target object that did not exist before
 * the run and restores the backed-up ones. The keys present on the target before the run are kept in memory.
 */
final class FilesStepRunner implements StepRunner {
    private final Step.Files step;
    private final RunContext ctx;
    private final MigrationSpec spec;
    private final Set<String> before = new HashSet<>();
    private final Set<String> backedUp = new HashSet<>();
    private boolean prepared;

    FilesStepRunner(Step.Files step, RunContext ctx, String appName) {
        this.step = step;
        this.ctx = ctx;
        this.spec = MigrationSpec.builder(step.from(), step.to()).name(appName + "/" + step.id())
                .sourceOptions(step.fromOptions()).targetOptions(step.toOptions())
                .mode("sync".equals(step.mode()) ? Mode.SYNC : Mode.COPY).transfers(step.transfers()).build();
    }

    @Override
    public Step step() {
        return step;
    }

    @Override
    public StepPreview preview() {
        PlanResult plan = ctx.objects.plan(spec);
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("copy", plan.summary().copyCount());
        figures.put("replace", plan.summary().replaceCount());
        figures.put("delete", plan.summary().deleteCount());
        figures.put("same", plan.summary().sameCount());
        figures.put("bytes", plan.summary().transferBytes());
        List<String> checks = new ArrayList<>();
        plan.preflight().forEach(c -> checks.add(c.status() + " " + c.name() + ": " + c.detail()));
        if (plan.refusal() != null) {
            checks.add("FAIL guard: " + plan.refusal());
        }
        if (plan.summary().replaceCount() + plan.summary().deleteCount() > 0) {
            checks.add("OK backup: " + (plan.summary().replaceCount() + plan.summary().deleteCount())
                    + " target object(s) would be backed up before they are replaced or deleted");
        }
        return new StepPreview(figures, checks, plan.forecast());
    }

    @Override
    public void prepare() {
        try (ObjectStore target = ctx.registry.openStore(step.to(), step.toOptions());
                Stream<ObjectInfo> keys = target.list("")) {
            keys.forEach(o -> before.add(o.key()));
        } catch (MigrationException e) {
            if (e.kind() != ErrorKind.NOT_FOUND) {
                throw e;
            }
        }
        RunState.saveSnapshot(ctx.runDir, step.id(), Map.of("before", new ArrayList<>(before)));
        prepared = true;
    }

    @Override
    public void restore(Map<String, Object> snapshot) {
        @SuppressWarnings("unchecked")
        List<String> keys = (List<String>) snapshot.get("before");
        before.addAll(keys);
        if (java.nio.file.Files.isDirectory(backupDir())) {
            try (ObjectStore store = backupStore(); Stream<ObjectInfo> saved = store.list("")) {
                saved.forEach(o -> backedUp.add(o.key())); // the copier renames into place: only complete ones
            }
        }
        prepared = true;
    }

    @Override
    public Map<String, Object> pass(Phase phase) {
        long saved = backup();
        RunResult r = ctx.objects.run(spec, ProgressListener.NONE);
        if (r.outcome() != RunOutcome.COMPLETE) {
            throw new MigrationException(ErrorKind.FATAL, "files " + Redaction.text(step.from() + " -> "
                    + step.to()) + ": " + r.outcome() + ", " + r.failed() + " object(s) failed"
                    + (r.errors().isEmpty() ? "" : ": " + String.join("; ", r.errors())));
        }
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("objects", r.copied());
        figures.put("bytes", r.bytesCopied());
        figures.put("deleted", r.deleted());
        figures.put("backedUp", saved);
        figures.put("ms", r.duration().toMillis());
        return figures;
    }

    /** Backs up the pre-existing target objects the next run will replace or delete; returns how many. */
    private long backup() {
        long n = 0;
        try (ObjectStore source = ctx.registry.openStore(step.from(), step.fromOptions());
                ObjectStore target = ctx.registry.openStore(step.to(), step.toOptions());
                ObjectStore store = backupStore();
                Planner planner = new Planner(spec, source, target);
                ObjectCopier copier = new ObjectCopier(target, store, VerifyMode.SHA256, new BandwidthLimiter(0), 3)) {
            Iterator<PlannedTask> tasks = planner.tasks();
            while (tasks.hasNext()) {
                PlannedTask t = tasks.next();
                String action = t.spec().action();
                String key = t.entry().key();
                boolean overwrites = PlannedTask.REPLACE.equals(action) || PlannedTask.DELETE.equals(action)
                        || (PlannedTask.COPY.equals(action) && t.entry().target() != null);
                if (overwrites && before.contains(key) && backedUp.add(key)) {
                    copier.copy(key, key);
                    n++;
                }
            }
        }
        try {
            OwnerOnly.directories(backupDir()); // the ones the copies made below it, as the top one
        } catch (java.io.IOException e) {
            throw MigrationException.userConfig("cannot restrict the backup directory " + backupDir() + ": " + e);
        }
        return n;
    }

    /**
     * The step's backups, {@code local:<run>/backup/<step>}: the directories are its owner's only (a backed-up file
     * may be a configuration file with passwords), the files keep their own mode (the rollback restores it).
     */
    private ObjectStore backupStore() {
        java.nio.file.Path dir = backupDir();
        try {
            OwnerOnly.directory(dir.getParent());
            OwnerOnly.directory(dir);
        } catch (java.io.IOException e) {
            throw MigrationException.userConfig("cannot create the backup directory " + dir + ": " + e);
        }
        return ctx.registry.openStore("local:" + dir, Map.of());
    }

    private java.nio.file.Path backupDir() {
        return ctx.runDir.resolve("backup").resolve(step.id()).toAbsolutePath();
    }

    @Override
    public Verdict verify() {
        VerificationReport report = ctx.objects.verify(spec);
        return new Verdict(report.clean(), "size + sha-256 per object", report.counts() + (report.clean() ? ""
                : " first: " + report.problems().stream().limit(5).map(p -> p.item() + " " + p.outcome()).toList()));
    }

    @Override
    public String compensate() {
        if (!prepared) {
            return "nothing to undo";
        }
        long deleted = 0;
        long restored = 0;
        try (ObjectStore target = ctx.registry.openStore(step.to(), step.toOptions())) {
            List<String> written = new ArrayList<>();
            try (Stream<ObjectInfo> now = target.list("")) {
                now.filter(o -> !before.contains(o.key())).forEach(o -> written.add(o.key()));
            } catch (MigrationException e) {
                if (e.kind() != ErrorKind.NOT_FOUND) {
                    throw e;
                }
            }
            for (String key : written) {
                target.delete(key);
                deleted++;
            }
            if (!backedUp.isEmpty()) {
                try (ObjectStore store = backupStore();
                        ObjectCopier copier = new ObjectCopier(store, target, VerifyMode.SHA256,
                                new BandwidthLimiter(0), 3)) {
                    for (String key : backedUp) {
                        copier.copy(key, key);
                        restored++;
                    }
                }
            }
            return "deleted " + deleted + " object(s) this run wrote, restored " + restored + " from backup";
        } catch (RuntimeException e) {
            return "FAILED after deleting " + deleted + " and restoring " + restored + ": " + e.getMessage();
        }
    }
}
