package dev.caravan.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.api.journal.RunOutcome;
import dev.caravan.api.vm.MigrationKind;
import dev.caravan.api.vm.PreflightCheck;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The exit codes of {@link RoutesRun} and {@link PlanOutcome}: 0 clean, 2 bad input only, 1 anything else. */
class ExitCodesTest {
    @Test
    void routesRunCodes() {
        assertThat(RoutesRun.of(List.of(), List.of(), List.of()).exitCode()).isZero();
        assertThat(RoutesRun.of(List.of(), List.of("a"), List.of("a")).exitCode()).isEqualTo(2);
        assertThat(RoutesRun.of(List.of(), List.of("a", "b"), List.of("a")).exitCode()).isEqualTo(1);
        assertThat(RoutesRun.of(List.of(), List.of("b"), List.of()).exitCode()).isEqualTo(1);
    }

    @Test
    void planOutcomeCodes() {
        assertThat(PlanOutcome.of(List.of(), List.of(), List.of()).exitCode()).isZero();
        assertThat(PlanOutcome.of(List.of(), List.of("a"), List.of("a")).exitCode()).isEqualTo(2);
        assertThat(PlanOutcome.of(List.of(), List.of("a", "b"), List.of("a")).exitCode()).isEqualTo(1);
    }

    @Test
    void recordAndVmRunsCountLikeObjectRuns() {
        RecordRun complete = record(RunOutcome.COMPLETE);
        RecordRun mismatch = record(RunOutcome.VERIFICATION_FAILED);
        VmRun moved = vm(VmRun.Status.COMPLETE);
        VmRun refused = vm(VmRun.Status.REFUSED);
        VmRun failed = vm(VmRun.Status.FAILED);
        String refusal = "route 'v': refused by preflight";

        assertThat(RoutesRun.of(List.of(), List.of(complete), List.of(moved), List.of(), List.of()).exitCode())
                .isZero();
        assertThat(RoutesRun.of(List.of(), List.of(complete, mismatch), List.of(), List.of(), List.of()).exitCode())
                .as("a verification mismatch with failOnError=false fails no exchange but is a failed run")
                .isEqualTo(1);
        assertThat(RoutesRun.of(List.of(), List.of(), List.of(refused), List.of(refusal), List.of(refusal))
                .exitCode()).as("a refused move is bad input").isEqualTo(2);
        assertThat(RoutesRun.of(List.of(), List.of(complete), List.of(refused), List.of(refusal), List.of(refusal))
                .exitCode()).as("... but not 2 (nothing written) beside a migration that wrote rows").isEqualTo(1);
        assertThat(RoutesRun.of(List.of(), List.of(), List.of(refused, failed), List.of(refusal, "x"),
                List.of(refusal)).exitCode()).isEqualTo(1);
        assertThat(RoutesRun.of(List.of(), List.of(complete), List.of(), List.of(), List.of()).nothingRan()).isFalse();
        assertThat(RoutesRun.of(List.of(), List.of(), List.of(moved), List.of(), List.of()).nothingRan()).isFalse();
        assertThat(RoutesRun.of(List.of(), List.of(), List.of(), List.of(), List.of()).nothingRan()).isTrue();
    }

    @Test
    void aFailedVmPreflightCheckFailsThePlan() {
        VmPlan ok = new VmPlan("r", MigrationKind.LIVE, "web", "a", "b", List.of(
                new PreflightCheck("memory", PreflightCheck.Status.PASS, "enough"),
                new PreflightCheck("cpu-compatibility", PreflightCheck.Status.WARN, "unknown")));
        VmPlan refused = new VmPlan("r", MigrationKind.LIVE, "web", "a", "b", List.of(
                new PreflightCheck("memory", PreflightCheck.Status.FAIL, "too little")));

        assertThat(PlanOutcome.of(List.of(), List.of(), List.of(ok), List.of(), List.of()).exitCode()).isZero();
        assertThat(PlanOutcome.of(List.of(), List.of(), List.of(ok, refused), List.of(), List.of()).exitCode())
                .isEqualTo(1);
        assertThat(PlanOutcome.of(List.of(), List.of(), List.of(ok), List.of(), List.of()).nothingFound()).isFalse();
    }

    private static RecordRun record(RunOutcome outcome) {
        return new RecordRun("t", "migrate", "jdbc:sqlite:a.db", "jdbc:h2:b", "run-1", outcome,
                List.of(new RecordRun.Item("customers", 3, 3, 0)), null, Duration.ofMillis(5), List.of());
    }

    private static VmRun vm(VmRun.Status status) {
        return new VmRun(MigrationKind.LIVE, "web", "libvirt:a", "libvirt:b", status, null, null, 0, 0, null);
    }

    @Test
    void theEarlierShapesStillWork() {
        RoutesRun run = new RoutesRun(List.of(), 1, List.of("route 'r': failed"));
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.badInput()).isEmpty();
        PlanOutcome plan = new PlanOutcome(List.of(), 0, List.of());
        assertThat(plan.exitCode()).isZero();
        assertThat(plan.badInput()).isEmpty();
    }
}
