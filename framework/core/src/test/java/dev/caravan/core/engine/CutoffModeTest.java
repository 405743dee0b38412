package dev.caravan.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.caravan.api.error.MigrationException;
import dev.caravan.api.journal.RunOutcome;
import dev.caravan.api.journal.TaskRecord;
import dev.caravan.api.journal.TaskState;
import dev.caravan.api.vm.PreflightCheck;
import dev.caravan.core.plan.BackupDir;
import dev.caravan.core.plan.CutoffMode;
import dev.caravan.core.plan.MigrationSpec;
import dev.caravan.core.registry.ConnectorRegistry;
import dev.caravan.core.testing.MemoryStore;
import dev.caravan.core.testing.MemoryStoreProvider;
import dev.caravan.core.testing.MultipartMemoryStore;
import java.nio.file.Files;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@code --cutoff-mode} at the max duration, the time driven by the test's own clock: hard stops the transfers in flight
 * (left as a killed run leaves them, continued by the next run), soft lets them finish, cautious starts no object that
 * would not finish in time at the throughput measured.
 */
class CutoffModeTest extends EngineTestBase {
    private static final Duration WINDOW = Duration.ofHours(1);
    /** The test's clock, in nanoseconds: it moves only when a test moves it. */
    private final AtomicLong now = new AtomicLong();

    private MigrationSpec.Builder spec(CutoffMode mode) {
        return MigrationSpec.builder("mem:src", "mem:dst").retryBaseDelay(Duration.ofMillis(1)).transfers(1)
                .maxDuration(WINDOW).cutoffMode(mode);
    }

    /** Three objects; the window ends as soon as the middle one, {@code big}, begins to be written. */
    private void windowEndsWhileBigIsWritten() {
        src.add("a", new byte[10], T0);
        src.add("big", new byte[1 << 20], T0);
        src.add("c", new byte[10], T0);
        engine.withClock(now::get);
        dst.beforePut = key -> {
            if (key.contains("big")) {
                now.set(WINDOW.toNanos());
            }
        };
    }

    @Test
    void hardStopsTheObjectInFlightWithoutFailingOrRetryingItAndTheRerunCopiesItOnce() throws Exception {
        windowEndsWhileBigIsWritten();

        RunResult cut = engine.run(spec(CutoffMode.HARD).build(), ProgressListener.NONE);

        assertThat(cut.outcome()).as(cut.toString()).isEqualTo(RunOutcome.LIMIT_REACHED);
        assertThat(cut.exitCode()).isEqualTo(3);
        assertThat(cut.copied()).isEqualTo(1);
        assertThat(cut.failed()).isZero();
        assertThat(cut.errors()).as("a cut-off is no error").isEmpty();
        assertThat(cut.warnings().get(0)).isEqualTo("the max duration of 1h is up: no object started after it, the 1"
                + " transfer in flight stopped there (cut off: big), to go on from where it is; 2 objects are left for"
                + " the next run");
        assertThat(dst.putKeys.stream().filter(k -> k.contains("big"))).as("not retried").hasSize(1);
        assertThat(dst.objects()).as("its temporary object removed: this store cannot resume one")
                .containsOnlyKeys("a");
        try (Stream<TaskRecord> open = engine.journal().tasks(cut.runId(), EnumSet.of(TaskState.RUNNING))) {
            assertThat(open.map(t -> t.spec().item())).as("as a killed run leaves it").containsExactly("big");
        }
        assertThat(Files.readString(cut.reportJson())).contains("\"cutoffMode\"").contains("\"hard\"");

        dst.beforePut = key -> { };
        RunResult rest = engine.run(spec(null).maxDuration(null).build(), ProgressListener.NONE);

        assertThat(rest.outcome()).isEqualTo(RunOutcome.COMPLETE);
        assertThat(rest.resumed()).isTrue();
        assertThat(rest.copied()).isEqualTo(2);
        assertThat(dst.objects()).containsOnlyKeys("a", "big", "c");
        assertThat(dst.putKeys.stream().filter(k -> !k.contains("caravan-probe") && !k.contains("big")))
                .as("a and c once each: nothing copied twice").hasSize(2).doesNotHaveDuplicates();
    }

    @Test
    void softLetsTheObjectInFlightFinishAndStartsNoOtherOne() {
        windowEndsWhileBigIsWritten();

        RunResult r = engine.run(spec(CutoffMode.SOFT).build(), ProgressListener.NONE);

        assertThat(r.outcome()).isEqualTo(RunOutcome.LIMIT_REACHED);
        assertThat(r.copied()).isEqualTo(2);
        assertThat(dst.objects()).containsOnlyKeys("a", "big");
        assertThat(r.warnings().get(0)).isEqualTo("the max duration of 1h is up: no object started after it, those in"
                + " flight finished; 1 object is left for the next run");
    }

    @Test
    void hardIsTheDefaultWithAMaxDuration() {
        windowEndsWhileBigIsWritten();

        RunResult r = engine.run(spec(null).build(), ProgressListener.NONE);

        assertThat(r.outcome()).isEqualTo(RunOutcome.LIMIT_REACHED);
        assertThat(r.copied()).isEqualTo(1);
        assertThat(r.warnings().get(0)).contains("cut off: big");
    }

    @Test
    void cautiousStartsNoObjectThatWouldNotFinishInTimeAtTheMeasuredRateAndTheRerunCopiesIt() {
        src.add("a", new byte[1000], T0);
        src.add("b", new byte[1000], T0);
        src.add("c", new byte[100_000], T0);
        src.add("d", new byte[10], T0);
        engine.withClock(now::get);
        dst.beforePut = key -> { // each object takes a second to write: 1000 B/s after a and b
            if (!key.contains("caravan-probe")) {
                now.addAndGet(Duration.ofSeconds(1).toNanos());
            }
        };
        MigrationSpec cautious = spec(CutoffMode.CAUTIOUS).maxDuration(Duration.ofSeconds(10)).build();

        RunResult r = engine.run(cautious, ProgressListener.NONE);

        assertThat(r.outcome()).as(r.toString()).isEqualTo(RunOutcome.LIMIT_REACHED);
        assertThat(dst.objects()).as("c needs 100 s; d after it fits").containsOnlyKeys("a", "b", "d");
        assertThat(r.warnings().get(0)).isEqualTo("1 object was not started as it would not have finished within the"
                + " max duration of 10s at the 1000 B/s measured (cut-off mode cautious); 1 object is left for the"
                + " next run");

        RunResult rest = engine.run(cautious, ProgressListener.NONE);

        assertThat(rest.outcome()).as("nothing measured yet in this run: c starts").isEqualTo(RunOutcome.COMPLETE);
        assertThat(rest.copied()).isEqualTo(1);
        assertThat(dst.objects()).containsOnlyKeys("a", "b", "c", "d");
    }

    @Test
    void hardStopsAMultipartUploadMidObjectAndTheRerunSendsOnlyThePartsItLacks() {
        long part = CopyPipeline.PART_SIZE;
        MemoryStore.reset();
        MemoryStore big = MemoryStore.named("big-src");
        byte[] data = new byte[(int) (4 * part + part / 2)];
        new Random(11).nextBytes(data);
        big.add("disk.img", data, T0);
        MultipartMemoryStore target = new MultipartMemoryStore();
        MigrationSpec.Builder spec = MigrationSpec.builder("mem:big-src", "mpu:test").retryBaseDelay(Duration.ofMillis(1));
        try (MigrationEngine mpu = MigrationEngine.open(EngineSettings.defaults().withHome(home.resolve("mpu"))
                .withJournalUrl("jdbc:h2:file:" + home.resolve("mpu/journal")),
                ConnectorRegistry.of(new MemoryStoreProvider(), MultipartResumeTest.provider(target)))) {
            // the window ends once two parts are in
            mpu.withClock(() -> target.partsUploaded.get() >= 2 ? WINDOW.toNanos() : 0);

            RunResult cut = mpu.run(spec.maxDuration(WINDOW).build(), ProgressListener.NONE);

            assertThat(cut.outcome()).as(cut.toString()).isEqualTo(RunOutcome.LIMIT_REACHED);
            assertThat(cut.failed()).isZero();
            assertThat(cut.warnings().get(0)).contains("cut off: disk.img");
            assertThat(target.memory().objects()).isEmpty();
            assertThat(target.openUploads()).as("the upload stays open, as after a kill").isEqualTo(1);
            long sentBefore = target.partBytes.get();
            assertThat(sentBefore).as("stopped mid-object").isGreaterThanOrEqualTo(2 * part).isLessThan(data.length);

            RunResult rest = mpu.run(spec.maxDuration(null).build(), ProgressListener.NONE);

            assertThat(rest.outcome()).as(rest.toString()).isEqualTo(RunOutcome.COMPLETE);
            assertThat(target.memory().bytes("disk.img")).isEqualTo(data);
            long sentAfter = target.partBytes.get() - sentBefore;
            assertThat(sentAfter).as("only the parts the cut run had not sent").isEqualTo(data.length - sentBefore);
            assertThat(rest.bytesResumed()).isEqualTo(sentBefore);
            assertThat(target.begins).as("the upload the cut run began, continued").hasSize(1);
            assertThat(target.openUploads()).isZero();
        }
    }

    @Test
    void thePlanSaysWhatTheModeDoesAtTheDeadline() {
        src.add("a", new byte[10], T0);

        List<String> details = Stream.of(CutoffMode.values()).map(m -> engine.plan(spec(m).build()).preflight()
                .stream().filter(c -> c.name().equals("limits")).map(PreflightCheck::detail).findFirst().orElseThrow())
                .toList();

        assertThat(details.get(0)).contains("cut-off mode hard: the transfers in flight at the deadline are stopped");
        assertThat(details.get(1)).contains("cut-off mode soft: the transfers in flight at the deadline finish");
        assertThat(details.get(2)).contains("cut-off mode cautious: no object starts that would not finish");
        assertThat(engine.plan(spec(null).build()).preflight()).filteredOn(c -> c.name().equals("limits"))
                .singleElement().satisfies(c -> assertThat(c.detail()).contains("cut-off mode hard"));
    }

    @Test
    void aCutoffModeWithoutAMaxDurationIsRefusedAndIsNotPartOfTheIdentity() {
        assertThatThrownBy(() -> spec(CutoffMode.SOFT).maxDuration(null).build())
                .isInstanceOf(MigrationException.class).hasMessageContaining("set a max duration too");
        assertThat(spec(CutoffMode.CAUTIOUS).build().migrationId()).isEqualTo(spec(null).build().migrationId());
        assertThat(CutoffMode.parse(" Cautious ")).isEqualTo(CutoffMode.CAUTIOUS);
        assertThatThrownBy(() -> CutoffMode.parse("gentle")).isInstanceOf(MigrationException.class)
                .hasMessageContaining("one of hard, soft, cautious");
    }

    @Test
    void hardStopsABackupCopyInFlightAndTheRerunKeepsTheOldVersionAndReplacesIt() {
        byte[] oldBig = new byte[1 << 20];
        byte[] newBig = new byte[(1 << 20) + 10];
        new Random(7).nextBytes(oldBig);
        new Random(8).nextBytes(newBig);
        src.add("big", newBig, T0.plusSeconds(60));
        dst.add("big", oldBig, T0);
        MemoryStore bak = MemoryStore.named("bak");
        engine.withClock(now::get);
        bak.beforePut = key -> { // the window ends as the old version is being kept (not at the write probe)
            if (!MemoryStore.isProbe(key)) {
                now.set(WINDOW.toNanos());
            }
        };
        MigrationSpec.Builder keeping = spec(CutoffMode.HARD).backup(new BackupDir("mem:bak", null, false));

        RunResult cut = engine.run(keeping.build(), ProgressListener.NONE);

        assertThat(cut.outcome()).as(cut.toString()).isEqualTo(RunOutcome.LIMIT_REACHED);
        assertThat(cut.failed()).isZero();
        assertThat(cut.warnings().get(0)).contains("cut off: big");
        assertThat(bak.objects()).as("the copy to the backup dir stopped at the deadline, not finished past it")
                .doesNotContainKey("big");
        assertThat(dst.bytes("big")).as("the original untouched").isEqualTo(oldBig);

        bak.beforePut = key -> { };
        RunResult rest = engine.run(keeping.maxDuration(null).cutoffMode(null).build(), ProgressListener.NONE);

        assertThat(rest.outcome()).as(rest.toString()).isEqualTo(RunOutcome.COMPLETE);
        assertThat(bak.bytes("big")).isEqualTo(oldBig);
        assertThat(dst.bytes("big")).isEqualTo(newBig);
    }
}
