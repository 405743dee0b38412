package dev.caravan.application;

import dev.caravan.api.error.MigrationException;
import dev.caravan.application.model.ApplicationSpec;
import dev.caravan.application.model.Hook;
import dev.caravan.core.registry.ConnectorRegistry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.camel.CamelContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rolls back the runs of an application that were killed mid-cutover (power loss, {@code kill -9}): their state
 * ({@link RunState}) still says RUNNING, and the saga that would have compensated them died with their process. For
 * each such run, oldest first, the participants that had joined are compensated in reverse order, exactly as the
 * saga would have: a step reloads the rollback snapshot its {@code prepare} saved and runs its compensation; a hook
 * with {@code compensate:} gets its compensating hook run (found by its label in the current plan). The run's state
 * is then marked ROLLED_BACK or ROLLBACK_INCOMPLETE. Resuming a killed cutover instead was rejected: its freeze may
 * have been long, the source may have changed, and a fresh run after a clean rollback is easy to reason about.
 */
final class CutoverRecovery {
    private static final Logger LOG = LoggerFactory.getLogger(CutoverRecovery.class);

    /**
     * What recovering ended with.
     *
     * @param lines    one line per recovered run, then one per compensation
     * @param complete whether every compensation succeeded (else a new run must not start)
     */
    record Result(List<String> lines, boolean complete) {
    }

    private CutoverRecovery() {
    }

    /**
     * Rolls back every unfinished run under {@code appDir}.
     *
     * @param runners builds the plan's step runners on a run context (of the killed run's directory)
     * @throws MigrationException USER_CONFIG when a run of the application is still alive in another process
     */
    static Result recover(ApplicationSpec spec, Path appDir, ConnectorRegistry registry, CamelContext camel,
            Function<RunContext, List<StepRunner>> runners) {
        List<String> lines = new ArrayList<>();
        boolean complete = true;
        long self = ProcessHandle.current().pid();
        for (RunState.Saved run : RunState.unfinished(appDir)) {
            if (run.pid() != self && ProcessHandle.of(run.pid()).map(ProcessHandle::isAlive).orElse(false)) {
                throw MigrationException.userConfig("run " + run.runId() + " of application " + spec.name()
                        + " is still running (process " + run.pid() + "); wait for it, or if that process is not "
                        + "Caravan, edit the status in " + run.runDir().resolve(RunState.FILE));
            }
            LOG.warn("application {}: run {} was killed at {}; rolling back its {} participant(s)", spec.name(),
                    run.runId(), run.point(), run.participants().size());
            List<String> done = new ArrayList<>();
            HookRunner hooks = new HookRunner(camel, Map.of("CARAVAN_APP", spec.name(), "CARAVAN_RUN_DIR",
                    run.runDir().toString()), run.runDir());
            Map<String, Hook> labelled = CutoverSequence.labelled(spec);
            try (RunContext ctx = new RunContext(registry, run.runDir(), false)) {
                List<StepRunner> steps = runners.apply(ctx);
                List<String> joined = new ArrayList<>(run.participants());
                java.util.Collections.reverse(joined);
                for (String p : joined) {
                    done.add(compensate(p, steps, labelled, hooks, run.runDir()));
                }
            } catch (RuntimeException e) {
                done.add("FAILED: " + e.getMessage());
            }
            boolean ok = done.stream().noneMatch(d -> d.contains("FAILED"));
            complete &= ok;
            String status = ok ? ApplicationReport.Outcome.ROLLED_BACK.name()
                    : ApplicationReport.Outcome.ROLLBACK_INCOMPLETE.name();
            RunState.mark(run.runDir(), status, done);
            lines.add("run " + run.runId() + " was killed at " + run.point() + ": " + status + " ("
                    + done.size() + " compensation(s), reverse order)");
            done.forEach(d -> lines.add("  " + d));
            LOG.warn("application {}: run {} {}: {}", spec.name(), run.runId(), status, done);
        }
        return new Result(lines, complete);
    }

    private static String compensate(String participant, List<StepRunner> steps, Map<String, Hook> labelled,
            HookRunner hooks, Path runDir) {
        if (participant.startsWith("step:")) {
            String id = participant.substring(5);
            StepRunner r = steps.stream().filter(s -> s.step().id().equals(id)).findFirst().orElse(null);
            if (r == null) {
                return "step '" + id + "': FAILED: the plan has no step '" + id + "' any more; undo it by hand";
            }
            Map<String, Object> snapshot = RunState.loadSnapshot(runDir, id);
            if (snapshot == null) {
                return "step '" + id + "': nothing to undo (killed before it saved its rollback snapshot)";
            }
            r.restore(snapshot);
            return "step '" + id + "': " + r.compensate();
        }
        String label = participant.substring(5);
        Hook hook = labelled.get(label);
        if (hook == null || hook.compensate() == null) {
            return label + " hook: FAILED: the plan has no hook '" + label + "' with a compensate: any more; undo it"
                    + " by hand";
        }
        try {
            hooks.run(hook.compensate(), "compensate " + label);
            return label + " hook: ran " + hook.compensate().describe();
        } catch (RuntimeException e) {
            return label + " hook: FAILED: " + e.getMessage();
        }
    }
}
