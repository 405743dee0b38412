package dev.caravan.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import dev.caravan.core.plan.MigrationSpec;
import dev.caravan.core.plan.Mode;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A rerun of an unfinished run (killed, or stopped at a limit) that a guard refuses has done nothing: the run it
 * would have continued stays unfinished, for {@code caravan resume} or the next command. Before, the refusal ended
 * that run as ABORTED ("refused before any write") although its earlier attempt had copied and deleted objects, and
 * {@code caravan resume} then found nothing to resume.
 */
class RefusedRerunTest extends EngineTestBase {
    private MigrationSpec.Builder sync() {
        return MigrationSpec.builder("mem:src", "mem:dst").mode(Mode.SYNC).retryBaseDelay(Duration.ofMillis(1))
                .transfers(1);
    }

    @Test
    void aGuardRefusingTheRerunLeavesTheUnfinishedRunToGoOnWith() {
        src.add("big", new byte[500], T0);
        src.add("small", new byte[10], T0);
        for (int i = 0; i < 3; i++) {
            dst.add("extra" + i, new byte[1], T0);
        }
        RunResult stopped = engine.run(sync().maxTransfer(100).build(), ProgressListener.NONE);
        assertThat(engine.journal().runs(1).get(0).outcome()).as("left unfinished by its limit").isNull();

        assertThatThrownBy(() -> engine.run(sync().maxDelete("1").build(), ProgressListener.NONE))
                .isInstanceOfSatisfying(MigrationException.class, e -> assertThat(e.kind())
                        .isEqualTo(ErrorKind.USER_CONFIG)).hasMessageContaining("maxDelete");

        assertThat(engine.journal().runs(1).get(0).runId()).isEqualTo(stopped.runId());
        assertThat(engine.journal().runs(1).get(0).outcome()).as("still unfinished after the refusal").isNull();
        assertThat(dst.objects()).containsOnlyKeys("small", "extra0", "extra1", "extra2");
        RunResult done = engine.run(sync().build(), ProgressListener.NONE);
        assertThat(done.runId()).isEqualTo(stopped.runId());
        assertThat(done.resumed()).isTrue();
        assertThat(done.deleted()).isEqualTo(3);
        assertThat(dst.objects()).containsOnlyKeys("small", "big");
    }
}
