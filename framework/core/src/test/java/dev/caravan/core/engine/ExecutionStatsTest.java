package dev.caravan.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The run's error lines: one per distinct cause, not one per object that met it. */
class ExecutionStatsTest {
    @Test
    void objectsThatFailTheSameWayMakeOneLineNamingTheFirstAndCountingTheOthers() {
        ExecutionStats stats = new ExecutionStats();
        String changed = "the host key of sftp://h:22 changed during the run (was SHA256:a, now SHA256:b)";
        stats.error("COPY a.txt", changed);
        stats.error("COPY b.txt", "access denied");
        stats.error("COPY c.txt", changed);
        stats.error("COPY d.txt", changed);
        stats.error("deletions skipped because the run failed");

        assertThat(stats.errors()).containsExactly(
                "COPY a.txt: " + changed + " (and 2 more objects failed the same way)",
                "COPY b.txt: access denied",
                "deletions skipped because the run failed");
    }

    @Test
    void oneMoreIsSaidInTheSingular() {
        ExecutionStats stats = new ExecutionStats();
        stats.error("DELETE x", "gone");
        stats.error("DELETE y", "gone");

        assertThat(stats.errors()).containsExactly("DELETE x: gone (and 1 more object failed the same way)");
    }
}
