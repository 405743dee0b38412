package dev.caravan.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import dev.caravan.api.journal.RunOutcome;
import dev.caravan.core.plan.MigrationSpec;
import dev.caravan.core.testing.MemoryStore;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The preflight write probe of a run (which overlaps the planning, {@link EarlyProbe}) and the start of the transfer
 * workers: the probe comes before every copy, once, and never on a run that transfers nothing; a refused probe stops
 * the run before any copy; no more workers start than there are tasks.
 */
class WriteProbeTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final String PROBE = ".caravan-probe-";

    @TempDir
    Path home;

    MigrationEngine engine;
    MemoryStore src;
    MemoryStore dst;

    @BeforeEach
    void setUp() {
        MemoryStore.reset();
        engine = MigrationEngine.open(EngineSettings.defaults().withHome(home)
                .withJournalUrl("jdbc:h2:file:" + home.resolve("journal")));
        src = MemoryStore.named("src");
        dst = MemoryStore.named("dst");
        for (int i = 0; i < 3; i++) {
            src.add("k" + i, ("value " + i).getBytes(StandardCharsets.UTF_8), T0);
        }
    }

    @AfterEach
    void tearDown() {
        engine.close();
    }

    private static MigrationSpec.Builder spec() {
        return MigrationSpec.builder("mem:src", "mem:dst").retryBaseDelay(Duration.ofMillis(1));
    }

    @Test
    void theTargetIsProbedOnceBeforeTheFirstCopyAndTheProbeIsGone() {
        RunResult r = engine.run(spec().build(), ProgressListener.NONE);

        assertThat(r.outcome()).isEqualTo(RunOutcome.COMPLETE);
        List<String> keys = List.copyOf(dst.putKeys);
        assertThat(keys).hasSize(4);
        assertThat(keys.get(0)).startsWith(PROBE);
        assertThat(keys.subList(1, 4)).noneMatch(k -> k.startsWith(PROBE));
        assertThat(dst.objects().keySet()).containsExactly("k0", "k1", "k2");
    }

    @Test
    void aRunThatTransfersNothingWritesNoProbe() {
        engine.run(spec().build(), ProgressListener.NONE);
        dst.putKeys.clear();

        RunResult again = engine.run(spec().build(), ProgressListener.NONE);

        assertThat(again.outcome()).isEqualTo(RunOutcome.COMPLETE);
        assertThat(again.copied()).isZero();
        assertThat(dst.putKeys).isEmpty();
    }

    @Test
    void aRefusedProbeStopsTheRunBeforeAnyCopy() {
        dst.refusePutsOf = PROBE;

        assertThatThrownBy(() -> engine.run(spec().retries(0).build(), ProgressListener.NONE))
                .isInstanceOf(MigrationException.class)
                .hasMessageContaining("cannot write to the target")
                .extracting(e -> ((MigrationException) e).kind()).isEqualTo(ErrorKind.USER_CONFIG);

        assertThat(dst.putKeys).hasSize(1).allMatch(k -> k.startsWith(PROBE));
        assertThat(dst.objects()).isEmpty();
        assertThat(engine.journal().runs(1).get(0).outcome()).isEqualTo(RunOutcome.ABORTED);
    }

    @Test
    void noMoreTransferWorkersStartThanThereAreTasks() {
        engine.run(spec().build(), ProgressListener.NONE); // the engine's own threads have started once
        for (int i = 3; i < 5; i++) {
            src.add("k" + i, new byte[] {(byte) i}, T0);
        }
        long before = ManagementFactory.getThreadMXBean().getTotalStartedThreadCount();

        RunResult r = engine.run(spec().transfers(64).build(), ProgressListener.NONE);

        long started = ManagementFactory.getThreadMXBean().getTotalStartedThreadCount() - before;
        assertThat(r.copied()).isEqualTo(2);
        // 2 workers and the run's own few threads (journal, progress, probe, listings); 64 workers before
        assertThat(started).isLessThan(32);
    }
}
