package dev.caravan.core.records;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.caravan.api.journal.RunOutcome;
import dev.caravan.api.record.DataRecord;
import dev.caravan.api.record.Schema;
import dev.caravan.api.error.MigrationException;
import dev.caravan.core.engine.MigrationOwner;
import dev.caravan.core.journal.JdbcJournal;
import dev.caravan.core.journal.MigrationOwners;
import dev.caravan.core.registry.ConnectorRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine with a sink that has no capabilities (one commit per writer, a file per split): every split is
 * written once, a mapping hook applies, and a killed run restarts unfinished splits from their beginning.
 */
class RecordMigrationEngineTest {
    @TempDir
    Path dir;

    private RecordMigrationResult run(MemoryRecords mem, TableMigrationSpec spec) {
        try (JdbcJournal journal = JdbcJournal.open("jdbc:h2:" + dir.resolve("journal"))) {
            return new RecordMigrationEngine(ConnectorRegistry.of(mem), journal).run(spec,
                    RecordMigrationListener.NONE);
        }
    }

    @Test
    void copiesEverySplitOnceThroughTheMappingHook() {
        MemoryRecords mem = new MemoryRecords(1_000, -1);
        RecordMapping upper = source -> new RecordMapping.Bound(new Schema("NUMBERS", source.columns(),
                source.keyColumns()), r -> new DataRecord(new Object[] {r.get(0), ((String) r.get(1)).toUpperCase()}));
        TableMigrationSpec spec = TableMigrationSpec.builder("mem:a", "mem:b").parallelism(3).splitsPerTable(4)
                .mapping(upper).build();

        RecordMigrationResult r = run(mem, spec);

        assertThat(r.outcome()).isEqualTo(RunOutcome.COMPLETE);
        assertThat(r.rows()).isEqualTo(1_000);
        assertThat(mem.commits.get()).as("one commit per split").isEqualTo(4);
        List<DataRecord> all = mem.all();
        assertThat(all).hasSize(1_000);
        assertThat(all.get(41).values()).containsExactly(42L, "N42");
        assertThat(r.tables()).singleElement().satisfies(t -> assertThat(t.splits()).isEqualTo(4));
        assertThat(r.phases()).containsKeys("plan", "prepare", "load", "finish");
    }

    @Test
    void byDefaultATableHasOneSplitPerTwoCoresAndALoneSplitReadsAheadOnAThreadOfItsOwn() {
        int cores = Runtime.getRuntime().availableProcessors();
        assertThat(TableMigrationSpec.builder("mem:a", "mem:b").build().splitsPerTable())
                .isEqualTo(Math.max(1, Math.min(4, cores / 2)));
        assertThat(TableMigrationSpec.builder("mem:a", "mem:b").parallelism(1).build().splitsPerTable()).isOne();

        MemoryRecords mem = new MemoryRecords(1_000, -1);
        RecordMigrationResult r = run(mem, TableMigrationSpec.builder("mem:a", "mem:b").parallelism(4)
                .splitsPerTable(1).build());

        assertThat(r.outcome()).isEqualTo(RunOutcome.COMPLETE);
        assertThat(mem.all()).hasSize(1_000);
        assertThat(mem.readingThreads).as("the lone split on %s cores", cores).allMatch(t -> cores >= 2
                ? t.startsWith("caravan-read-") : t.startsWith("caravan-records-"));
    }

    @Test
    void aKilledRunRestartsItsUnfinishedSplits() {
        MemoryRecords dying = new MemoryRecords(1_000, 2);
        TableMigrationSpec spec = TableMigrationSpec.builder("mem:a", "mem:b").sourceOptions(Map.of("batch", "50"))
                .parallelism(1).splitsPerTable(4).build();
        assertThatThrownBy(() -> run(dying, spec)).isInstanceOf(MemoryRecords.Died.class);

        MemoryRecords resumed = new MemoryRecords(1_000, -1);
        resumed.written.putAll(dying.written);
        RecordMigrationResult r = run(resumed, spec);

        assertThat(r.resumed()).isTrue();
        assertThat(r.outcome()).isEqualTo(RunOutcome.COMPLETE);
        assertThat(resumed.commits.get()).as("the split done before the kill is skipped").isEqualTo(3);
        assertThat(resumed.all()).extracting(d -> d.get(0)).containsExactlyElementsOf(
                java.util.stream.LongStream.rangeClosed(1, 1_000).boxed().toList());
    }

    /**
     * A process paused past its hold's lease while another took the table migration over: no further split starts in
     * it, and the run, unfinished, is left to the other process.
     */
    @Test
    void noSplitStartsOnceAnotherProcessTookTheMigrationOver() {
        MemoryRecords mem = new MemoryRecords(1_000, -1);
        TableMigrationSpec spec = TableMigrationSpec.builder("mem:a", "mem:b").parallelism(1).splitsPerTable(5)
                .build();
        MigrationOwner.useLease(Duration.ofMillis(300));
        try (JdbcJournal journal = JdbcJournal.open("jdbc:h2:" + dir.resolve("journal"))) {
            mem.afterCommit = n -> {
                if (n == 2) { // paused past the lease, its migration taken over meanwhile
                    MigrationOwners owners = journal.migrationOwners();
                    String id = owners.holder(journal.runs(1).get(0).migrationId()).orElseThrow().owner();
                    assertThat(id).contains(" pid " + ProcessHandle.current().pid() + " ");
                    assertThat(owners.take(journal.runs(1).get(0).migrationId(), "elsewhere pid 1 #x",
                            Duration.ofMinutes(5), o -> true)).isEmpty();
                    sleep(400);
                }
            };
            RecordMigrationEngine engine = new RecordMigrationEngine(ConnectorRegistry.of(mem), journal);

            assertThatThrownBy(() -> engine.run(spec, RecordMigrationListener.NONE))
                    .isInstanceOf(MigrationException.class)
                    .hasMessageContaining("another process (elsewhere pid 1) took the migration over");
            assertThat(mem.commits.get()).as("the splits after the take-over were not copied here").isEqualTo(2);
            assertThat(journal.runs(1).get(0).outcome()).as("left to the other process").isNull();
        } finally {
            MigrationOwner.useLease(null);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void aRerunAfterACompleteRunSkipsTheTableAndWritesNothing() {
        MemoryRecords mem = new MemoryRecords(1_000, -1);
        TableMigrationSpec spec = TableMigrationSpec.builder("mem:a", "mem:b").parallelism(2).splitsPerTable(4).build();
        RecordMigrationResult first = run(mem, spec);
        assertThat(first.outcome()).isEqualTo(RunOutcome.COMPLETE);
        assertThat(first.tables()).singleElement().satisfies(t -> assertThat(t.skipped()).isFalse());
        assertThat(first.nextRunState()).containsEntry("completedBy.numbers", first.runId());

        MemoryRecords again = new MemoryRecords(1_000, -1);
        again.written.putAll(mem.written);
        RecordMigrationResult rerun = run(again, spec);

        assertThat(rerun.outcome()).isEqualTo(RunOutcome.COMPLETE);
        assertThat(rerun.runId()).isNotEqualTo(first.runId());
        assertThat(again.commits.get()).as("nothing written").isZero();
        assertThat(rerun.rows()).isZero();
        assertThat(rerun.skippedTables()).isEqualTo(1);
        assertThat(rerun.tables()).singleElement().satisfies(t -> assertThat(t.skipped()).isTrue());
        assertThat(rerun.verification().clean()).as("the skipped table is still verified").isTrue();
        assertThat(rerun.nextRunState()).as("the run that did the work is remembered")
                .containsEntry("completedBy.numbers", first.runId());

        MemoryRecords third = new MemoryRecords(1_000, -1);
        third.written.putAll(mem.written);
        assertThat(run(third, spec).skippedTables()).isEqualTo(1);
        assertThat(third.commits.get()).isZero();
    }

    @Test
    void aTableAKilledRunLeftPartlyDoneContinuesAndIsSkippedOnlyOnceComplete() {
        TableMigrationSpec spec = TableMigrationSpec.builder("mem:a", "mem:b").sourceOptions(Map.of("batch", "50"))
                .parallelism(1).splitsPerTable(4).build();
        MemoryRecords dying = new MemoryRecords(1_000, 2);
        assertThatThrownBy(() -> run(dying, spec)).isInstanceOf(MemoryRecords.Died.class);

        MemoryRecords resumed = new MemoryRecords(1_000, -1);
        resumed.written.putAll(dying.written);
        RecordMigrationResult r = run(resumed, spec);
        assertThat(r.resumed()).isTrue();
        assertThat(r.skippedTables()).isZero();
        assertThat(resumed.commits.get()).as("the unfinished splits continue").isEqualTo(3);

        MemoryRecords rerun = new MemoryRecords(1_000, -1);
        rerun.written.putAll(resumed.written);
        RecordMigrationResult after = run(rerun, spec);
        assertThat(after.skippedTables()).isEqualTo(1);
        assertThat(rerun.commits.get()).isZero();
        assertThat(rerun.all()).hasSize(1_000);
    }

    @Test
    void incrementalRunsNeedAnIncrementalSource() {
        MemoryRecords mem = new MemoryRecords(10, -1);
        TableMigrationSpec spec = TableMigrationSpec.builder("mem:a", "mem:b")
                .incremental("id", TableMigrationSpec.Incremental.Mode.KEY).build();
        assertThatThrownBy(() -> run(mem, spec)).hasMessageContaining("cannot read incrementally");
    }
}
