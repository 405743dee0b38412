package dev.caravan.application;

import java.time.Duration;
import java.util.List;

/**
 * What {@code caravan plan app.yaml} shows before anything runs: the steps in run order with their preflight
 * results and figures, the hook sequence of the cutover, and a forecast of the warm phase.
 *
 * @param name     the application
 * @param steps    per step, in run order
 * @param sequence the cutover as it would run, one line per point (phases, hooks, passes)
 * @param forecast estimated warm-phase duration of the steps that can tell (object steps), or {@code null}
 * @param checks   checks of the whole application ({@code FAIL ...}: e.g. an earlier run already moved it); empty
 *                 when there is nothing to say
 */
public record ApplicationPlan(String name, List<PlannedStep> steps, List<String> sequence, Duration forecast,
        List<String> checks) {

    public ApplicationPlan {
        steps = List.copyOf(steps);
        sequence = List.copyOf(sequence);
        checks = List.copyOf(checks);
    }

    /**
     * One step of the plan.
     *
     * @param id      step id
     * @param kind    step kind
     * @param route   from -> to (secrets masked)
     * @param after   the steps it runs after
     * @param preview the dry run's figures and checks
     */
    public record PlannedStep(String id, String kind, String route, List<String> after, StepPreview preview) {
    }

    /** Whether a run would be allowed to start (no failed check). */
    public boolean runnable() {
        return steps.stream().noneMatch(s -> s.preview().failed())
                && checks.stream().noneMatch(c -> c.startsWith("FAIL"));
    }

    /** 0 when runnable, 2 otherwise (what {@code caravan plan} exits with). */
    public int exitCode() {
        return runnable() ? 0 : 2;
    }

    /** The printable plan. */
    public String toText() {
        StringBuilder b = new StringBuilder("application ").append(name).append(": ").append(steps.size())
                .append(" step(s), dry run (nothing written)\n");
        int n = 1;
        for (PlannedStep s : steps) {
            b.append(String.format("%2d. %s [%s] %s%s%n", n++, s.id(), s.kind(), s.route(),
                    s.after().isEmpty() ? "" : " (after " + String.join(", ", s.after()) + ")"));
            b.append("      ").append(s.preview().figures()).append(s.preview().forecast() == null ? ""
                    : " ~" + s.preview().forecast().toSeconds() + " s").append('\n');
            s.preview().checks().forEach(c -> b.append("      ").append(c).append('\n'));
        }
        b.append("cutover:\n");
        sequence.forEach(l -> b.append("  ").append(l).append('\n'));
        b.append("forecast (warm phase, object steps): ").append(forecast == null ? "unknown"
                : forecast.toSeconds() + " s").append('\n');
        checks.forEach(c -> b.append(c).append('\n'));
        b.append(runnable() ? "runnable\n" : "NOT runnable: fix the FAIL checks above\n");
        return b.toString();
    }
}
