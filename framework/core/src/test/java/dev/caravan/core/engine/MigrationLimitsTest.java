package dev.caravan.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.caravan.api.error.MigrationException;
import dev.caravan.api.journal.RunOutcome;
import dev.caravan.api.vm.PreflightCheck;
import dev.caravan.core.plan.BackupDir;
import dev.caravan.core.plan.CutoffMode;
import dev.caravan.core.plan.MigrationSpec;
import dev.caravan.core.plan.Mode;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A command's max transfer and max duration: the run stops unfinished, and the same command goes on with it. */
class MigrationLimitsTest extends EngineTestBase {
    private MigrationSpec.Builder spec() {
        return MigrationSpec.builder("mem:src", "mem:dst").retryBaseDelay(Duration.ofMillis(1)).transfers(1);
    }

    @Test
    void aMaxTransferStopsTheRunUnfinishedAndTheSameCommandsCopyTheRestWithoutCopyingAnythingTwice()
            throws java.io.IOException {
        for (int i = 0; i < 10; i++) {
            src.add("f" + i, new byte[100], T0);
        }
        MigrationSpec limited = spec().maxTransfer(350).build();

        RunResult first = engine.run(limited, ProgressListener.NONE);

        assertThat(first.outcome()).isEqualTo(RunOutcome.LIMIT_REACHED);
        assertThat(first.exitCode()).isEqualTo(3);
        assertThat(first.copied()).isEqualTo(3);
        assertThat(first.bytesCopied()).isEqualTo(300);
        assertThat(first.alreadyDone()).as("the 7 left are not 'already done'").isZero();
        assertThat(first.warnings()).first().asString().contains("the max transfer of 350 B is reached");
        assertThat(dst.objects()).hasSize(3);
        assertThat(engine.journal().runs(1).get(0).outcome()).as("unfinished").isNull();
        assertThat(java.nio.file.Files.readString(first.reportJson())).contains("LIMIT_REACHED").contains("maxTransfer")
                .contains("350 B").contains("the max transfer of 350 B is reached");

        RunResult second = engine.run(limited, ProgressListener.NONE);
        assertThat(second.resumed()).isTrue();
        assertThat(second.copied()).isEqualTo(3);
        RunResult third = engine.run(spec().maxTransfer(10_000).build(), ProgressListener.NONE);

        assertThat(third.outcome()).isEqualTo(RunOutcome.COMPLETE);
        assertThat(third.exitCode()).isZero();
        assertThat(third.copied()).isEqualTo(4);
        assertThat(third.resumed()).as("another limit is the same migration").isTrue();
        assertThat(dst.objects()).hasSize(10);
        assertThat(dst.putKeys.stream().filter(k -> !k.contains("caravan-probe")))
                .as("no object copied twice").hasSize(10).doesNotHaveDuplicates();
    }

    @Test
    void aSyncStoppedByItsLimitDeletesNothingUntilTheRunThatCompletes() {
        src.add("big", new byte[500], T0);
        src.add("small", new byte[10], T0);
        dst.add("extra", new byte[1], T0);

        RunResult stopped = engine.run(spec().mode(Mode.SYNC).maxTransfer(100).build(), ProgressListener.NONE);

        assertThat(stopped.outcome()).isEqualTo(RunOutcome.LIMIT_REACHED);
        assertThat(stopped.copied()).as("the small one fits after the big one did not").isEqualTo(1);
        assertThat(stopped.warnings().get(0)).contains("1 object is left for the next run").contains("one of 500 B is larger than the whole limit");
        assertThat(dst.objects()).containsOnlyKeys("small", "extra");

        RunResult done = engine.run(spec().mode(Mode.SYNC).build(), ProgressListener.NONE);

        assertThat(done.outcome()).isEqualTo(RunOutcome.COMPLETE);
        assertThat(done.deleted()).isEqualTo(1);
        assertThat(dst.objects()).containsOnlyKeys("small", "big");
    }

    @Test
    void aMaxDurationStartsNoObjectOnceUpAndLetsTheOneInFlightFinish() {
        for (int i = 0; i < 5; i++) {
            src.add("f" + i, new byte[10], T0);
        }
        AtomicInteger started = new AtomicInteger();
        dst.beforePut = key -> {
            if (!key.contains("caravan-probe") && started.incrementAndGet() == 2) {
                sleep(1_500); // the limit passes while this object is written
            }
        };

        RunResult r = engine.run(spec().maxDuration(Duration.ofSeconds(1)).cutoffMode(CutoffMode.SOFT).build(),
                ProgressListener.NONE);

        assertThat(r.outcome()).isEqualTo(RunOutcome.LIMIT_REACHED);
        assertThat(r.copied()).as("the one in flight finished; none started after").isEqualTo(2);
        assertThat(r.verification().clean()).isTrue();
        assertThat(r.warnings().get(0)).startsWith("the max duration of 1s is up");
    }

    @Test
    void thePlanWarnsWhenTheMaxTransferIsLessThanWhatIsToCopyAndPassesWhenItFits() {
        src.add("a", new byte[600], T0);
        src.add("b", new byte[600], T0);

        PlanResult tight = engine.plan(spec().maxTransfer(1000).build());
        PlanResult enough = engine.plan(spec().maxTransfer(2000).build());
        PlanResult none = engine.plan(spec().build());

        assertThat(tight.preflight()).filteredOn(c -> c.name().equals("limits")).singleElement().satisfies(c -> {
            assertThat(c.status()).isEqualTo(dev.caravan.api.vm.PreflightCheck.Status.WARN);
            assertThat(c.detail()).contains("the max transfer of 1000 B is less than the 1.2 KiB to copy")
                    .contains("stop unfinished (exit code 3)");
        });
        assertThat(enough.preflight()).filteredOn(c -> c.name().equals("limits")).singleElement()
                .satisfies(c -> assertThat(c.status()).isEqualTo(dev.caravan.api.vm.PreflightCheck.Status.PASS));
        assertThat(none.preflight()).noneMatch(c -> c.name().equals("limits"));
    }

    @Test
    void thePlansMaxTransferCheckCountsTheBytesTheBackupDirWouldKeep() {
        BackupDir kept = aSyncThatKeeps800Bytes();

        PlanResult tight = engine.plan(spec().mode(Mode.SYNC).backup(kept).maxTransfer(1000).build());
        PlanResult enough = engine.plan(spec().mode(Mode.SYNC).backup(kept).maxTransfer(1400).build());
        PlanResult unkept = engine.plan(spec().mode(Mode.SYNC).maxTransfer(1000).build());

        assertThat(tight.preflight()).filteredOn(c -> c.name().equals("limits")).singleElement().satisfies(c -> {
            assertThat(c.status()).as(c.detail()).isEqualTo(PreflightCheck.Status.WARN);
            assertThat(c.detail()).contains("the max transfer of 1000 B is less than the 1.4 KiB to copy (600 B of"
                    + " objects and 800 B kept in the backup dir)");
        });
        assertThat(enough.preflight()).filteredOn(c -> c.name().equals("limits")).singleElement().satisfies(c -> {
            assertThat(c.status()).as(c.detail()).isEqualTo(PreflightCheck.Status.PASS);
            assertThat(c.detail()).contains("with the 800 B kept in the backup dir");
        });
        assertThat(unkept.preflight()).filteredOn(c -> c.name().equals("limits")).singleElement()
                .satisfies(c -> assertThat(c.status()).isEqualTo(PreflightCheck.Status.PASS));
    }

    /** The forecast at a rate the bandwidth limit sets (the memory source reads faster): 100 B/s. */
    @Test
    void thePlansTimeForecastCountsTheBytesTheBackupDirWouldKeep() {
        BackupDir kept = aSyncThatKeeps800Bytes();
        MigrationSpec.Builder slow = spec().mode(Mode.SYNC).bandwidth(100).maxDuration(Duration.ofSeconds(10));

        PlanResult withBackups = engine.plan(slow.backup(kept).build());
        PlanResult without = engine.plan(slow.backup(null).build());

        assertThat(withBackups.forecast()).as("1,400 B at 100 B/s").isEqualTo(Duration.ofSeconds(14));
        assertThat(withBackups.preflight()).filteredOn(c -> c.name().equals("forecast")).singleElement()
                .satisfies(c -> assertThat(c.detail()).contains("for 1400 bytes (600 B of objects and 800 B kept in"
                        + " the backup dir)"));
        assertThat(withBackups.preflight()).filteredOn(c -> c.name().equals("limits")).singleElement()
                .satisfies(c -> {
                    assertThat(c.status()).as(c.detail()).isEqualTo(PreflightCheck.Status.WARN);
                    assertThat(c.detail()).contains("the forecast of 14s is longer than the max duration of 10s");
                });
        assertThat(without.forecast()).as("600 B at 100 B/s").isEqualTo(Duration.ofSeconds(6));
        assertThat(without.preflight()).filteredOn(c -> c.name().equals("limits")).singleElement()
                .satisfies(c -> assertThat(c.status()).isEqualTo(PreflightCheck.Status.PASS));
    }

    @Test
    void aLimitReachedWithNothingLeftIsACompleteRunThatDeletes() {
        src.add("a", new byte[100], T0);
        dst.add("extra", new byte[1], T0);

        RunResult r = engine.run(spec().mode(Mode.SYNC).maxTransfer(100).build(), ProgressListener.NONE);

        assertThat(r.outcome()).as("the bytes were exactly enough").isEqualTo(RunOutcome.COMPLETE);
        assertThat(r.deleted()).isEqualTo(1);
        assertThat(r.warnings()).isEmpty();
    }

    @Test
    void limitsAreNotPartOfTheMigrationsIdentityAndMustBePositive() {
        assertThat(spec().maxTransfer(1).build().migrationId()).isEqualTo(spec().build().migrationId());
        assertThat(spec().maxDuration(Duration.ofHours(6)).build().migrationId())
                .isEqualTo(spec().build().migrationId());
        assertThatThrownBy(() -> spec().maxDuration(Duration.ZERO).build()).isInstanceOf(MigrationException.class)
                .hasMessageContaining("the maximum duration must be positive");
        assertThatThrownBy(() -> spec().maxTransfer(-1).build()).isInstanceOf(MigrationException.class);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Objects for a sync that sends 600 B and keeps 800 B in the backup dir it returns: {@code a} (600 B) overwrites
     * 500 B, and {@code extra} (300 B) is deleted.
     */
    private BackupDir aSyncThatKeeps800Bytes() {
        src.add("a", new byte[600], T0.plusSeconds(60));
        dst.add("a", new byte[500], T0); // overwritten: its 500 B are kept first
        dst.add("extra", new byte[300], T0); // deleted by the sync: its 300 B are kept first
        return new BackupDir("mem:kept", null, false);
    }
}
