package dev.caravan.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import dev.caravan.api.journal.RunOutcome;
import dev.caravan.api.journal.TaskRecord;
import dev.caravan.api.store.KeyGlob;
import dev.caravan.api.verify.VerificationOutcome;
import dev.caravan.api.vm.PreflightCheck;
import dev.caravan.core.plan.Filters;
import dev.caravan.core.plan.MigrationSpec;
import dev.caravan.core.plan.Mode;
import dev.caravan.core.testing.MemoryStore;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class MigrationEngineTest extends EngineTestBase {
    private MigrationSpec.Builder spec() {
        return MigrationSpec.builder("mem:src", "mem:dst").retryBaseDelay(Duration.ofMillis(1));
    }

    @Test
    void copiesNewAndChangedObjectsAndVerifiesThem() {
        src.add("a.txt", bytes("alpha"), T0);
        src.add("dir/b.txt", bytes("bravo"), T0);
        src.add("dir/c.txt", bytes("charlie"), T0);
        dst.add("dir/b.txt", bytes("old"), T0);
        dst.add("extra.txt", bytes("keep me"), T0);

        RunResult r = engine.run(spec().build(), ProgressListener.NONE);

        assertThat(r.outcome()).isEqualTo(RunOutcome.COMPLETE);
        assertThat(r.exitCode()).isZero();
        assertThat(r.copied()).isEqualTo(3);
        assertThat(r.plan().copyCount()).isEqualTo(2);
        assertThat(r.plan().replaceCount()).isEqualTo(1);
        assertThat(dst.bytes("dir/b.txt")).isEqualTo(bytes("bravo"));
        assertThat(dst.bytes("extra.txt")).isEqualTo(bytes("keep me"));
        assertThat(dst.objects().get("a.txt").modTime()).isEqualTo(T0);
        assertThat(r.verification().count(VerificationOutcome.MATCH)).isEqualTo(3);
        assertThat(dst.objects().keySet()).noneMatch(k -> k.contains(".partial"));
        assertThat(r.reportJson()).exists();
        assertThat(r.reportHtml()).exists();
    }

    @Test
    void secondRunCopiesNothing() {
        src.add("a", bytes("1"), T0);
        engine.run(spec().build(), ProgressListener.NONE);
        int putsAfterFirst = dst.puts.get();

        RunResult again = engine.run(spec().build(), ProgressListener.NONE);

        assertThat(again.copied()).isZero();
        assertThat(again.plan().sameCount()).isEqualTo(1);
        assertThat(dst.puts.get()).isEqualTo(putsAfterFirst);
    }

    @Test
    void syncDeletesExtrasWithinMaxDelete() {
        src.add("keep", bytes("k"), T0);
        dst.add("keep", bytes("k"), T0);
        dst.add("gone", bytes("g"), T0);

        RunResult r = engine.run(spec().mode(Mode.SYNC).maxDelete("1").build(), ProgressListener.NONE);

        assertThat(r.outcome()).isEqualTo(RunOutcome.COMPLETE);
        assertThat(r.deleted()).isEqualTo(1);
        assertThat(dst.objects().keySet()).containsExactly("keep");
    }

    @Test
    void syncRefusesWhenMaxDeleteIsExceededAndChangesNothing() {
        src.add("new", bytes("n"), T0);
        src.add("keep", bytes("k"), T0);
        for (int i = 0; i < 5; i++) {
            dst.add("old" + i, bytes("o"), T0);
        }
        dst.add("keep", bytes("k"), T0);

        assertThatThrownBy(() -> engine.run(spec().mode(Mode.SYNC).maxDelete("50%").build(), ProgressListener.NONE))
                .isInstanceOf(MigrationException.class)
                .hasMessageContaining("maxDelete=50%")
                .extracting(e -> ((MigrationException) e).kind()).isEqualTo(ErrorKind.USER_CONFIG);

        assertThat(dst.objects()).hasSize(6).doesNotContainKey("new");
        assertThat(dst.puts.get()).isZero();
        assertThat(dst.deletes.get()).isZero();
        assertThat(engine.journal().runs(1).get(0).outcome()).isEqualTo(RunOutcome.ABORTED);
    }

    @Test
    void syncFromAnEmptySourceIsRefused() {
        dst.add("precious", bytes("p"), T0);

        assertThatThrownBy(() -> engine.run(spec().mode(Mode.SYNC).build(), ProgressListener.NONE))
                .hasMessageContaining("lists no objects");
        assertThat(dst.objects()).containsKey("precious");
    }

    @Test
    void moveDeletesSourcesOnlyAfterVerifiedCopies() {
        src.add("a", bytes("A"), T0);
        src.add("b", bytes("B"), T0);
        dst.add("b", bytes("B"), T0);

        RunResult r = engine.run(spec().mode(Mode.MOVE).build(), ProgressListener.NONE);

        assertThat(r.outcome()).isEqualTo(RunOutcome.COMPLETE);
        assertThat(src.objects()).isEmpty();
        assertThat(dst.bytes("a")).isEqualTo(bytes("A"));
        assertThat(dst.bytes("b")).isEqualTo(bytes("B"));
        assertThat(r.copied()).isEqualTo(1);
        assertThat(r.plan().deleteCount()).as("planned: both leave the source").isEqualTo(2);
        assertThat(r.deleted()).as("source objects removed: the one copied and the one already there").isEqualTo(2);
    }

    @Test
    void moveRefusesWhenMaxDeleteIsExceededAndChangesNothing() {
        for (int i = 0; i < 4; i++) {
            src.add("f" + i, bytes("f"), T0);
        }

        assertThatThrownBy(() -> engine.run(spec().mode(Mode.MOVE).maxDelete("3").build(), ProgressListener.NONE))
                .isInstanceOf(MigrationException.class)
                .hasMessageContaining("move would delete 4 of 4 objects on the source")
                .extracting(e -> ((MigrationException) e).kind()).isEqualTo(ErrorKind.USER_CONFIG);

        assertThat(src.objects()).hasSize(4);
        assertThat(src.deletes.get()).isZero();
        assertThat(dst.puts.get()).as("not even the write probe").isZero();
        assertThat(dst.objects()).isEmpty();
    }

    /** The resumed run plans again: the copied object is found on the target and its source deleted. */
    @Test
    void aMoveThatStoppedBetweenCopyAndSourceDeleteRemovesTheSourceWhenResumed() {
        src.add("a", bytes("A"), T0);
        src.beforeDelete = key -> {
            throw new MigrationException(ErrorKind.FATAL, "the process died before deleting " + key);
        };

        assertThatThrownBy(() -> engine.run(spec().mode(Mode.MOVE).build(), ProgressListener.NONE))
                .hasMessageContaining("the process died before deleting a");

        assertThat(dst.bytes("a")).as("copied before the stop").isEqualTo(bytes("A"));
        src.beforeDelete = key -> { };

        RunResult resumed = engine.run(spec().mode(Mode.MOVE).build(), ProgressListener.NONE);

        assertThat(resumed.outcome()).as(resumed.toString()).isEqualTo(RunOutcome.COMPLETE);
        assertThat(src.objects()).as("a complete move leaves nothing on the source").isEmpty();
        assertThat(dst.bytes("a")).isEqualTo(bytes("A"));
        assertThat(resumed.deleted()).isEqualTo(1);
    }

    @Test
    void moveKeepsTheSourceWhenTheTargetDiffers() {
        src.add("b", bytes("B1"), T0);
        dst.add("b", bytes("B2"), T0); // same size and time, different bytes

        RunResult r = engine.run(spec().mode(Mode.MOVE).build(), ProgressListener.NONE);

        assertThat(r.outcome()).isEqualTo(RunOutcome.VERIFICATION_FAILED);
        assertThat(src.objects()).containsKey("b");
        assertThat(dst.bytes("b")).isEqualTo(bytes("B2"));
        assertThat(r.failed()).isEqualTo(1);
        assertThat(r.alreadyDone()).as("nothing was to be copied, so nothing was already done").isZero();
        assertThat(r.errors()).singleElement().asString().contains("not deleting source b",
                "with --compare checksum, or compare checksum in YAML, a move replaces the target's copy");
    }

    @Test
    void planWritesNothing() {
        src.add("a", bytes("alpha"), T0);
        dst.add("z", bytes("zulu"), T0);

        PlanResult plan = engine.plan(spec().mode(Mode.SYNC).build());

        assertThat(plan.summary().copyCount()).isEqualTo(1);
        assertThat(plan.summary().deleteCount()).isEqualTo(1);
        assertThat(plan.sample()).extracting(a -> a.action() + " " + a.key()).containsExactly("COPY a", "DELETE z");
        assertThat(plan.runnable()).isTrue();
        assertThat(dst.puts.get()).isZero();
        assertThat(dst.deletes.get()).isZero();
        assertThat(engine.journal().runs(10)).isEmpty();
    }

    @Test
    void planNamesTheObjectsTheTargetCannotHoldAndTheRunCopiesTheRest() {
        src.add("ok.txt", bytes("fine"), T0);
        for (int i = 1; i <= 7; i++) {
            src.add("bad~" + i, bytes("x"), T0);
        }
        dst.unholdable = "~";

        PlanResult plan = engine.plan(spec().build());

        PreflightCheck keys = plan.preflight().stream().filter(c -> c.name().equals("target-keys")).findFirst()
                .orElseThrow();
        assertThat(keys.status()).isEqualTo(PreflightCheck.Status.WARN);
        assertThat(keys.detail()).startsWith("7 objects cannot be stored under their keys on mem:dst")
                .contains("'bad~1' (this store holds no '~')", "'bad~5'").doesNotContain("'bad~6'").endsWith(", ...");
        assertThat(plan.runnable()).isTrue();

        RunResult r = engine.run(spec().build(), ProgressListener.NONE);

        assertThat(r.failed()).isEqualTo(7);
        assertThat(dst.bytes("ok.txt")).isEqualTo(bytes("fine"));
        assertThat(dst.objects().keySet()).containsExactly("ok.txt");
    }

    @Test
    void aMoveOrSyncBetweenOverlappingLocationsIsRefusedBeforeAnythingIsTouched() {
        src.add("a.txt", bytes("only copy"), T0);
        MemoryStore.named("src/backup");
        for (MigrationSpec spec : List.of(MigrationSpec.builder("mem:src", "mem:src").mode(Mode.MOVE).build(),
                MigrationSpec.builder("mem:src", "mem:src/backup").mode(Mode.SYNC).build())) {
            assertThatThrownBy(() -> engine.run(spec, ProgressListener.NONE)).isInstanceOf(MigrationException.class)
                    .hasMessageContaining("overlapping locations")
                    .extracting(e -> ((MigrationException) e).kind()).isEqualTo(ErrorKind.USER_CONFIG);
            assertThatThrownBy(() -> engine.plan(spec)).hasMessageContaining("overlapping locations");
        }
        assertThat(src.bytes("a.txt")).isEqualTo(bytes("only copy"));
        assertThat(src.deletes.get()).isZero();
        assertThat(MemoryStore.named("src/backup").objects()).isEmpty();
        assertThat(engine.journal().runs(10)).isEmpty();
    }

    @Test
    void aSourceThatNamesOneObjectSaysHowToCopyItInsteadOfFinishingWithNothingDone() {
        // as s3:bucket/reports/q[1]*.pdf would: an empty listing, and the location is an object's key
        MigrationSpec spec = MigrationSpec.builder("mem:reports/q[1]*.pdf", "mem:dst").build();
        MemoryStore.named("reports/q[1]*.pdf").rootIsAnObject = true;

        String expected = "mem:reports/q[1]*.pdf names one object, not a folder of objects, so nothing would be"
                + " copied; give its folder and select the object: caravan copy mem:reports TARGET --include"
                + " '/q\\[1\\]\\*.pdf' (in YAML: include /q\\[1\\]\\*.pdf)";
        assertThatThrownBy(() -> engine.plan(spec)).hasMessage(expected);
        assertThatThrownBy(() -> engine.run(spec, ProgressListener.NONE)).hasMessage(expected)
                .extracting(e -> ((MigrationException) e).kind()).isEqualTo(ErrorKind.USER_CONFIG);
        assertThat(KeyGlob.compile("/q\\[1\\]\\*.pdf").matcher("q[1]*.pdf").matches()).isTrue();
        assertThat(KeyGlob.compile("/q\\[1\\]\\*.pdf").matcher("q1x.pdf").matches()).isFalse();
    }

    @Test
    void anEmptyFolderIsStillNothingToDo() {
        RunResult r = engine.run(spec().build(), ProgressListener.NONE);
        assertThat(r.outcome()).isEqualTo(RunOutcome.COMPLETE);
        assertThat(r.plan().sourceCount()).isZero();
        // but the plan says so: a mistyped prefix copies nothing and would otherwise end "complete" without a word
        assertThat(engine.plan(spec().build()).preflight()).filteredOn(c -> c.name().equals("source-empty"))
                .singleElement().satisfies(c -> {
                    assertThat(c.status()).isEqualTo(PreflightCheck.Status.WARN);
                    assertThat(c.detail()).endsWith("lists no object that the filters select: nothing will be copied"
                            + " (a mistyped prefix or filter?)");
                });
        src.add("now.txt", bytes("x"), T0);
        assertThat(engine.plan(spec().build()).preflight()).extracting(PreflightCheck::name)
                .doesNotContain("source-empty");
    }

    @Test
    void aPlanWhoseKeysAllFitHasNoKeyCheck() {
        src.add("ok.txt", bytes("fine"), T0);
        dst.unholdable = "~";

        assertThat(engine.plan(spec().build()).preflight()).extracting(PreflightCheck::name)
                .doesNotContain("target-keys");
    }

    @Test
    void transientFailuresAreRetried() {
        for (int i = 0; i < 10; i++) {
            src.add("f" + i, bytes("content " + i), T0);
        }
        dst.failEveryNthPut = 3;

        RunResult r = engine.run(spec().retries(3).build(), ProgressListener.NONE);

        assertThat(r.outcome()).isEqualTo(RunOutcome.COMPLETE);
        for (int i = 0; i < 10; i++) {
            assertThat(dst.bytes("f" + i)).isEqualTo(bytes("content " + i));
        }
    }

    @Test
    void aTaskRetriedWithinTheRunCountsEveryTryInItsAttempts() {
        src.add("a", bytes("alpha"), T0);
        dst.failEveryNthPut = 2; // the write probe passes, the first copy fails, the retry passes

        RunResult r = engine.run(spec().retries(3).retryBaseDelay(java.time.Duration.ofMillis(1)).build(),
                ProgressListener.NONE);

        assertThat(r.outcome()).isEqualTo(RunOutcome.COMPLETE);
        try (java.util.stream.Stream<dev.caravan.api.journal.TaskRecord> done =
                engine.journal().completedBy(r.runId())) {
            assertThat(done.findFirst().orElseThrow().attempts()).as("tried twice in this run").isEqualTo(2);
        }
    }

    @Test
    void corruptedCopiesFailVerificationAndAreNotPublished() {
        src.add("a", bytes("alpha"), T0);
        dst.corruptPuts = true;

        RunResult r = engine.run(spec().build(), ProgressListener.NONE);

        assertThat(r.outcome()).isEqualTo(RunOutcome.VERIFICATION_FAILED);
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(dst.objects()).isEmpty();
        assertThat(r.verification().count(VerificationOutcome.DIFFER)).isEqualTo(1);
    }

    @Test
    void filtersSelectObjects() {
        src.add("a.csv", bytes("1"), T0);
        src.add("logs/x.log", bytes("22"), T0);
        src.add("logs/y.csv", bytes("333"), T0);
        Filters f = new Filters(List.of("*.csv"), List.of("logs/**"), -1, -1, null, null);

        engine.run(spec().filters(f).build(), ProgressListener.NONE);

        assertThat(dst.objects().keySet()).containsExactly("a.csv");
    }

    @Test
    void interruptedRunResumesWithoutCopyingDoneWorkAgain() {
        for (int i = 0; i < 20; i++) {
            src.add(String.format("f%02d", i), bytes("v" + i), T0);
        }
        // First run: the target fails hard on its 11th put; the run ends FAILED with 10 objects done.
        dst.failEveryNthPut = 11;
        RunResult first = engine.run(spec().retries(0).build(), ProgressListener.NONE);
        assertThat(first.outcome()).isEqualTo(RunOutcome.FAILED);
        Set<String> doneFirst = keysCompletedBy(first.runId());
        assertThat(doneFirst).isNotEmpty();

        dst.failEveryNthPut = 0;
        RunResult second = engine.run(spec().build(), ProgressListener.NONE);

        assertThat(second.outcome()).isEqualTo(RunOutcome.COMPLETE);
        assertThat(keysCompletedBy(second.runId())).doesNotContainAnyElementsOf(doneFirst);
        assertThat(dst.objects()).hasSize(20);
    }

    @Test
    void leftoverTemporaryOfTheSameTaskIsOverwrittenThenNothingIsLeft() {
        byte[] big = new byte[300_000];
        new java.util.Random(1).nextBytes(big);
        for (int i = 0; i < 8; i++) {
            src.add("dir/f" + i, big, T0);
            // the deterministic temporary a killed run left for this very task
            dev.caravan.api.journal.TaskId id = dev.caravan.api.journal.TaskId.of("mem:src", "mem:dst",
                    "copy:dir/f" + i + ":" + big.length + ":" + T0.toEpochMilli());
            dst.add(dev.caravan.core.plan.TempNames.partialKey("dir/f" + i, id), new byte[] {1, 2}, T0);
        }
        dst.add("dir/.old.caravan-0123456789ab.partial", new byte[] {3}, T0);

        RunResult r = engine.run(spec().transfers(4).build(), ProgressListener.NONE);

        assertThat(r.outcome()).as(r.errors().toString()).isEqualTo(RunOutcome.COMPLETE);
        assertThat(dst.objects().keySet()).containsExactlyInAnyOrder("dir/f0", "dir/f1", "dir/f2", "dir/f3", "dir/f4",
                "dir/f5", "dir/f6", "dir/f7");
        assertThat(dst.bytes("dir/f5")).isEqualTo(big);
    }

    @Test
    void journalRecordsEveryTaskWithItsHash() {
        src.add("a", bytes("alpha"), T0);
        RunResult r = engine.run(spec().build(), ProgressListener.NONE);

        try (Stream<TaskRecord> done = engine.journal().completedBy(r.runId())) {
            TaskRecord t = done.findFirst().orElseThrow();
            assertThat(t.report().values().get("hash.sha256"))
                    .isEqualTo("8ed3f6ad685b959ead7022518e1af76cd816f8e8ec7ccdda1ed4018e8f2223f8");
        }
        assertThat(engine.journal().run(r.runId()).orElseThrow().tasksDone()).isEqualTo(1);
    }

    @Test
    void verifyFindsMissingAndDifferentObjects() {
        src.add("same", bytes("s"), T0);
        src.add("missing", bytes("m"), T0);
        src.add("differ", bytes("d1"), T0);
        dst.add("same", bytes("s"), T0);
        dst.add("differ", bytes("d2"), T0);

        var report = engine.verify(spec().build());

        assertThat(report.count(VerificationOutcome.MATCH)).isEqualTo(1);
        assertThat(report.count(VerificationOutcome.MISSING_ON_TARGET)).isEqualTo(1);
        assertThat(report.count(VerificationOutcome.DIFFER)).isEqualTo(1);
        assertThat(report.clean()).isFalse();
    }

    @Test
    void progressComesFromTheJournal() {
        for (int i = 0; i < 5; i++) {
            src.add("p" + i, new byte[1000], T0);
        }
        List<Progress> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        engine.run(spec().build(), seen::add);

        Progress last = seen.get(seen.size() - 1);
        assertThat(last.phase()).isEqualTo(Progress.Phase.DONE);
        assertThat(last.itemsDone()).isEqualTo(5);
        assertThat(last.bytesDone()).isEqualTo(5000);
    }

    @Test
    void resumeRebuildsTheMigrationFromTheJournal() throws Exception {
        src.add("a", bytes("alpha"), T0);
        dst.failEveryNthPut = 2; // the write probe passes, the copy fails
        RunResult failed = engine.run(spec().retries(0).build(), ProgressListener.NONE);
        assertThat(failed.outcome()).isEqualTo(RunOutcome.FAILED);
        assertThatThrownBy(() -> engine.resume(failed.runId(), ProgressListener.NONE))
                .hasMessageContaining("already finished");
        assertThat(Files.readString(failed.reportJson())).contains("injected failure");
    }

    // --- the write probe (which overlaps the planning, EarlyProbe) and the transfer workers -------------------

    private static final String PROBE = ".caravan-probe-";

    private void addThree() {
        for (int i = 0; i < 3; i++) {
            src.add("k" + i, bytes("value " + i), T0);
        }
    }

    @Test
    void theTargetIsProbedOnceBeforeTheFirstCopyAndTheProbeIsGone() {
        addThree();

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
        addThree();
        engine.run(spec().build(), ProgressListener.NONE);
        dst.putKeys.clear();

        RunResult again = engine.run(spec().build(), ProgressListener.NONE);

        assertThat(again.outcome()).isEqualTo(RunOutcome.COMPLETE);
        assertThat(again.copied()).isZero();
        assertThat(dst.putKeys).isEmpty();
    }

    @Test
    void aRefusedProbeStopsTheRunBeforeAnyCopy() {
        addThree();
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
        addThree();
        engine.run(spec().build(), ProgressListener.NONE); // the engine's own threads have started once
        for (int i = 3; i < 5; i++) {
            src.add("k" + i, new byte[] {(byte) i}, T0);
        }
        long before = java.lang.management.ManagementFactory.getThreadMXBean().getTotalStartedThreadCount();

        RunResult r = engine.run(spec().transfers(64).build(), ProgressListener.NONE);

        long started = java.lang.management.ManagementFactory.getThreadMXBean().getTotalStartedThreadCount() - before;
        assertThat(r.copied()).isEqualTo(2);
        // 2 workers and the run's own few threads (journal, progress, probe, listings); 64 workers before
        assertThat(started).isLessThan(32);
    }

    private Set<String> keysCompletedBy(String runId) {
        try (Stream<TaskRecord> s = engine.journal().completedBy(runId)) {
            return s.map(t -> t.spec().item()).collect(Collectors.toSet());
        }
    }
}
