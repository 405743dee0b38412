package dev.caravan.runtime;

import dev.caravan.core.engine.RunResult;
import java.util.List;

/**
 * What {@link CaravanRuntime#runRoutes} did.
 *
 * @param results  every run the routes' {@code caravan:migrate} endpoints finished, in completion order
 * @param exitCode 0 when every run is complete and verified and nothing failed; 2 when every failure is bad input
 *                 found before anything was written (see {@code badInput}) and no run failed; 1 otherwise (see
 *                 {@link #exitCode(List, List, List)})
 * @param errors   failures of exchanges and of one-shot consumers (route id and message), in order; empty when
 *                 all went well
 * @param badInput those of {@code errors} that are bad input found before anything was written: a guard such as
 *                 maxDelete, a missing source, an unwritable target, a wrong option, thrown by a {@code caravan:}
 *                 endpoint (or by a one-shot consumer while planning)
 */
public record RoutesRun(List<RunResult> results, int exitCode, List<String> errors, List<String> badInput) {
    public RoutesRun {
        results = List.copyOf(results);
        errors = List.copyOf(errors);
        badInput = List.copyOf(badInput);
    }

    /** The earlier shape: no failure is known to be bad input. */
    public RoutesRun(List<RunResult> results, int exitCode, List<String> errors) {
        this(results, exitCode, errors, List.of());
    }

    /** A result with its exit code computed by {@link #exitCode(List, List, List)}. */
    public static RoutesRun of(List<RunResult> results, List<String> errors, List<String> badInput) {
        return new RoutesRun(results, exitCode(results, errors, badInput), errors, badInput);
    }

    /**
     * 1 when a run failed or found a mismatch, or a failure is not bad input; else 2 when there is bad input; else
     * 0.
     *
     * @param badInput the errors that are bad input (a sub-list of {@code errors})
     */
    public static int exitCode(List<RunResult> results, List<String> errors, List<String> badInput) {
        boolean runFailed = results.stream().anyMatch(r -> r.exitCode() != 0);
        if (runFailed || errors.size() > badInput.size()) {
            return 1;
        }
        return badInput.isEmpty() ? 0 : 2;
    }
}
