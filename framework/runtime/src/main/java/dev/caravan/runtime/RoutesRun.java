package dev.caravan.runtime;

import dev.caravan.core.engine.RunResult;
import java.util.List;

/**
 * What {@link CaravanRuntime#runRoutes} did.
 *
 * @param results  every run the routes' {@code caravan:migrate} endpoints finished, in completion order
 * @param records  every migration, verification and conversion the routes' {@code caravan-records:} endpoints
 *                 finished, in completion order
 * @param vms      every move the routes' {@code caravan-vm:} endpoints ran or were refused, in completion order
 * @param exitCode 0 when every run is complete and verified and nothing failed; 2 when every failure is bad input
 *                 found before anything was written (see {@code badInput}), no run failed and none wrote; 1
 *                 otherwise (see
 *                 {@link #exitCode(List, List, List, List, List)})
 * @param errors   failures of exchanges and of one-shot consumers (route id and message), in order; empty when
 *                 all went well
 * @param badInput those of {@code errors} that are bad input found before anything was written: a guard such as
 *                 maxDelete, a missing source, an unwritable target, a wrong option, a VM move its preflight
 *                 refused, thrown by a Caravan endpoint (or by a one-shot consumer while planning)
 */
public record RoutesRun(List<RunResult> results, List<RecordRun> records, List<VmRun> vms, int exitCode,
        List<String> errors, List<String> badInput) {
    public RoutesRun {
        results = List.copyOf(results);
        records = List.copyOf(records);
        vms = List.copyOf(vms);
        errors = List.copyOf(errors);
        badInput = List.copyOf(badInput);
    }

    /** Object runs only; no failure is known to be bad input. */
    public RoutesRun(List<RunResult> results, int exitCode, List<String> errors) {
        this(results, List.of(), List.of(), exitCode, errors, List.of());
    }

    /** Object runs only, with the exit code computed. */
    public static RoutesRun of(List<RunResult> results, List<String> errors, List<String> badInput) {
        return of(results, List.of(), List.of(), errors, badInput);
    }

    /** A result with its exit code computed by {@link #exitCode(List, List, List, List, List)}. */
    public static RoutesRun of(List<RunResult> results, List<RecordRun> records, List<VmRun> vms,
            List<String> errors, List<String> badInput) {
        return new RoutesRun(results, records, vms, exitCode(results, records, vms, errors, badInput), errors,
                badInput);
    }

    /** Whether no migration of any kind ran and nothing failed (a file without Caravan routes). */
    public boolean nothingRan() {
        return results.isEmpty() && records.isEmpty() && vms.isEmpty() && errors.isEmpty();
    }

    /**
     * 1 when an object, record or VM run failed or found a mismatch, or a failure is not bad input, or bad input was
     * found after another migration of the files wrote something (2 promises that nothing was); else 2 when there is
     * bad input (a VM move refused by its preflight is); else {@value RunResult#EXIT_LIMIT_REACHED} when a migration
     * stopped at a limit it set (max transfer, max duration), unfinished; else 0.
     *
     * @param badInput the errors that are bad input (a sub-list of {@code errors})
     */
    public static int exitCode(List<RunResult> results, List<RecordRun> records, List<VmRun> vms,
            List<String> errors, List<String> badInput) {
        boolean runFailed = results.stream().anyMatch(r -> r.exitCode() != 0
                && r.exitCode() != RunResult.EXIT_LIMIT_REACHED)
                || records.stream().anyMatch(r -> r.exitCode() != 0)
                || vms.stream().anyMatch(v -> v.exitCode() == 1);
        boolean wrote = results.stream().anyMatch(r -> r.copied() > 0 || r.deleted() > 0)
                || records.stream().anyMatch(r -> r.items().stream().anyMatch(i -> i.written() > 0))
                || vms.stream().anyMatch(v -> v.exitCode() == 0);
        if (runFailed || errors.size() > badInput.size() || wrote && !badInput.isEmpty()) {
            return 1;
        }
        boolean refused = vms.stream().anyMatch(v -> v.exitCode() == 2);
        if (!badInput.isEmpty() || refused) {
            return 2;
        }
        return results.stream().anyMatch(r -> r.exitCode() == RunResult.EXIT_LIMIT_REACHED)
                ? RunResult.EXIT_LIMIT_REACHED : 0;
    }
}
