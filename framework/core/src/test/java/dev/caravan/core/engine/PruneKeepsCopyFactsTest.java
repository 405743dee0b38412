package dev.caravan.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.api.journal.RunOutcome;
import dev.caravan.api.verify.VerificationOutcome;
import dev.caravan.api.verify.VerificationReport;
import dev.caravan.core.journal.JdbcJournal;
import dev.caravan.core.journal.JournalPruning;
import dev.caravan.core.plan.MigrationSpec;
import dev.caravan.core.registry.ConnectorRegistry;
import dev.caravan.core.testing.MemoryStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A prune of everything prunable keeps what the no-change rerun and the verification read from the journal (the
 * target ETag, size and SHA-256 each verified copy recorded): neither sends a request per object afterwards, even
 * though the runs that copied the objects are long beyond the retention.
 */
class PruneKeepsCopyFactsTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final int N = 20;

    @TempDir
    Path home;

    private EtagStore target;
    private MigrationEngine engine;
    private MemoryStore local;

    @BeforeEach
    void setUp() {
        MemoryStore.reset();
        local = MemoryStore.named("p-src");
        for (int i = 0; i < N; i++) {
            local.add(key(i), bytes("object " + i), T0.plusSeconds(i));
        }
        target = new EtagStore("bucket");
        engine = MigrationEngine.open(EngineSettings.defaults().withHome(home)
                .withJournalUrl("jdbc:h2:file:" + home.resolve("journal")), registry());
    }

    @AfterEach
    void tearDown() {
        engine.close();
    }

    @Test
    void aRerunAndAVerificationAfterPruningEverythingPrunableAskTheTargetForNothing() {
        assertThat(run().copied()).isEqualTo(N);
        for (int i = 1; i <= 5; i++) { // five nights with one object rewritten each: its old version's record goes
            local.add(key(i), bytes("OBJECT " + i + " v2"), T0.plusSeconds(1000 + i));
            assertThat(run().copied()).isEqualTo(1);
        }
        for (int i = 0; i < 4; i++) { // and nights with no change at all
            assertThat(run().copied()).isZero();
        }

        JournalPruning.Result pruned = ((JdbcJournal) engine.journal()).pruning()
                .prune(new JournalPruning.Retention(0, null), false, "test pid 1 #prune");
        ((JdbcJournal) engine.journal()).compactNow();

        assertThat(pruned.runs()).as("every run but the newest complete one").hasSize(9);
        assertThat(pruned.tasksRemoved()).as("the records of the five versions copied again since").isEqualTo(5);
        assertThat(pruned.runsRemoved()).as("the runs that hold no newest record").isEqualTo(3);
        assertThat(pruned.tasksKept()).as("the newest record of every object").isEqualTo(N);
        target.resetCounts();

        RunResult rerun = run();

        assertThat(rerun.copied()).isZero();
        assertThat(rerun.plan().sameCount()).isEqualTo(N);
        assertThat(target.stats.get()).as("stat calls on the target during the rerun").isZero();
        assertThat(target.fullListings.get()).as("listings with a request per object").isZero();

        target.resetCounts();
        VerificationReport verified = engine.verify(MigrationSpec.builder("mem:p-src", "etag:bucket").build());

        assertThat(verified.clean()).as(verified.toString()).isTrue();
        assertThat(verified.count(VerificationOutcome.MATCH)).isEqualTo(N);
        assertThat(target.stats.get() + target.fullListings.get() + target.reads.get())
                .as("requests per object on the target: the SHA-256 each copy recorded is still in the journal")
                .isZero();
    }

    private RunResult run() {
        RunResult r = engine.run(MigrationSpec.builder("mem:p-src", "etag:bucket")
                .retryBaseDelay(Duration.ofMillis(1)).build(), ProgressListener.NONE);
        assertThat(r.outcome()).as(r.toString()).isEqualTo(RunOutcome.COMPLETE);
        return r;
    }

    private static String key(int i) {
        return "dir/k" + (char) ('a' + i);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private ConnectorRegistry registry() {
        return EtagStore.registry(location -> target);
    }
}
