package dev.caravan.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.api.journal.RunInfo;
import dev.caravan.api.journal.RunOutcome;
import dev.caravan.core.journal.JdbcJournal;
import dev.caravan.core.journal.Leases;
import dev.caravan.core.plan.MigrationSpec;
import dev.caravan.core.testing.MemoryStore;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Workers sharing a run through journal leases (the multi-process test with PostgreSQL is an IT). */
class SharedRunTest {
    @TempDir
    Path home;

    private String url() {
        return "jdbc:h2:file:" + home.resolve("journal");
    }

    private static MigrationSpec spec() {
        return MigrationSpec.builder("mem:src", "mem:dst").retryBaseDelay(Duration.ofMillis(1)).build();
    }

    @Test
    void aWorkerCompletesASharedRunAndTakesOverExpiredLeases() {
        MemoryStore.reset();
        MemoryStore src = MemoryStore.named("src");
        MemoryStore dst = MemoryStore.named("dst");
        for (int i = 0; i < 300; i++) {
            src.add("obj-" + i, ("value " + i).getBytes(), Instant.EPOCH);
        }
        MigrationSpec spec = spec();
        // given a run planned by a worker that then died holding a partition (its lease already expired)
        try (MigrationEngine dead = MigrationEngine.open(EngineSettings.defaults().withHome(home)
                .withJournalUrl(url()).withWorker("dead"))) {
            JdbcJournal journal = (JdbcJournal) dead.journal();
            Leases leases = journal.leases();
            RunInfo run = leases.joinRun(spec.migrationId(), spec.name(), null);
            assertThat(leases.tryPlan(run.runId(), "dead", Duration.ofMillis(-1))).isTrue();
            try (var source = dead.registry().openStore("mem:src", Map.of());
                    var target = dead.registry().openStore("mem:dst", Map.of())) {
                dead.planInto(run, spec, source, target, false);
            }
            leases.planned(run.runId());
            OptionalInt held = leases.claim(run.runId(), "dead", Duration.ofMillis(-1));
            assertThat(held).isPresent();
        }
        // when a live worker joins
        try (MigrationEngine live = MigrationEngine.open(EngineSettings.defaults().withHome(home)
                .withJournalUrl(url()).withWorker("live"))) {
            RunResult r = live.run(spec, ProgressListener.NONE);

            // then it finishes the whole run, the dead worker's partition included, each object once
            assertThat(r.outcome()).isEqualTo(RunOutcome.COMPLETE);
            assertThat(r.resumed()).isTrue();
            assertThat(r.copied()).isEqualTo(300);
            assertThat(dst.objects()).hasSize(300);
            assertThat(dst.puts.get()).as("each object written once").isEqualTo(300);
            assertThat(r.reportJson()).exists();
            Map<String, Integer> claims = ((JdbcJournal) live.journal()).leases().claimsByWorker(r.runId());
            assertThat(claims).containsOnlyKeys("live");
            assertThat(live.journal().run(r.runId()).orElseThrow().outcome()).isEqualTo(RunOutcome.COMPLETE);

            // and a later worker starts a new run with nothing to do
            RunResult again = live.run(spec, ProgressListener.NONE);
            assertThat(again.runId()).isNotEqualTo(r.runId());
            assertThat(again.copied()).isZero();
        }
    }
}
