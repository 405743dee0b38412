package dev.caravan.runtime;

import static org.assertj.core.api.Assertions.assertThat;

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
    void theEarlierShapesStillWork() {
        RoutesRun run = new RoutesRun(List.of(), 1, List.of("route 'r': failed"));
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.badInput()).isEmpty();
        PlanOutcome plan = new PlanOutcome(List.of(), 0, List.of());
        assertThat(plan.exitCode()).isZero();
        assertThat(plan.badInput()).isEmpty();
    }
}
