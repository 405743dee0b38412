package dev.caravan.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import dev.caravan.api.journal.RunOutcome;
import dev.caravan.core.plan.MigrationSpec;
import dev.caravan.core.testing.MemoryStore;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A graceful stop: tasks in flight finish, no new one starts, and the next run resumes the unfinished run. */
class StopAtTaskBoundaryTest {
    @TempDir
    Path home;

    @Test
    void aStoppedRunIsLeftUnfinishedAndTheNextRunCompletesIt() {
        MemoryStore dst = MemoryStore.resetWithNumbered(200);
        MigrationSpec spec = MigrationSpec.builder("mem:src", "mem:dst").transfers(1)
                .retryBaseDelay(Duration.ofMillis(1)).build();
        String runId;
        try (MigrationEngine engine = MigrationEngine.open(EngineSettings.defaults().withHome(home))) {
            engine.requestStop(); // e.g. SIGTERM while the run plans
            assertThatThrownBy(() -> engine.run(spec, ProgressListener.NONE)).isInstanceOf(MigrationException.class)
                    .hasMessageContaining("task boundary")
                    .extracting(e -> ((MigrationException) e).kind()).isEqualTo(ErrorKind.TRANSIENT);
            runId = engine.journal().runs(1).get(0).runId();
            assertThat(engine.journal().run(runId).orElseThrow().finishedAt()).as("left unfinished").isNull();
        }
        assertThat(dst.objects().size()).as("stopped before the end").isLessThan(200);
        assertThat(dst.objects().keySet()).noneMatch(k -> k.contains(".partial"));
        try (MigrationEngine engine = MigrationEngine.open(EngineSettings.defaults().withHome(home))) {
            RunResult r = engine.run(spec, ProgressListener.NONE);
            assertThat(r.runId()).isEqualTo(runId);
            assertThat(r.resumed()).isTrue();
            assertThat(r.outcome()).isEqualTo(RunOutcome.COMPLETE);
        }
        assertThat(dst.objects()).hasSize(200);
        for (int i = 0; i < 200; i++) {
            assertThat(dst.objects().get("obj-" + i).data()).isEqualTo(("value " + i).getBytes());
        }
    }
}
