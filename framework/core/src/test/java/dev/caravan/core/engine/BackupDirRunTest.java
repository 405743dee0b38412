package dev.caravan.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import dev.caravan.api.vm.PreflightCheck;
import dev.caravan.core.plan.BackupDir;
import dev.caravan.core.plan.MigrationSpec;
import dev.caravan.core.plan.Mode;
import dev.caravan.core.testing.MemoryStore;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * {@code --backup-dir}: what a run deletes or overwrites on the target is kept first, byte for byte, under the same key
 * (with the suffix); a run killed between keeping and deleting loses nothing and keeps nothing twice when it goes on;
 * a dry run says what would be kept and writes nothing; a backup dir overlapping either side is refused.
 */
class BackupDirRunTest extends EngineTestBase {
    private final byte[] oldA = bytes("old a " + UUID.randomUUID());
    private final byte[] newA = bytes("new a, longer " + UUID.randomUUID());
    private final byte[] extra = bytes("extra " + UUID.randomUUID());
    private final byte[] same = bytes("same " + UUID.randomUUID());

    private MemoryStore bak;

    private void fill() {
        bak = MemoryStore.named("bak");
        src.add("dir/a.txt", newA, T0.plusSeconds(60));
        src.add("b", same, T0);
        dst.add("dir/a.txt", oldA, T0);
        dst.add("b", same, T0);
        dst.add("x/extra.log", extra, T0);
    }

    private MigrationSpec sync(BackupDir backup) {
        return MigrationSpec.builder("mem:src", "mem:dst").mode(Mode.SYNC).backup(backup)
                .retryBaseDelay(Duration.ofMillis(1)).build();
    }

    @Test
    void aSyncKeepsWhatItDeletesAndOverwritesInTheBackupDirByteForByte() {
        fill();

        RunResult r = engine.run(sync(new BackupDir("mem:bak", null, false)), ProgressListener.NONE);

        assertThat(r.exitCode()).isZero();
        assertThat(r.preserved()).isEqualTo(2);
        assertThat(r.deleted()).isEqualTo(1);
        assertThat(bak.objects().keySet()).containsExactly("dir/a.txt", "x/extra.log");
        assertThat(bak.bytes("dir/a.txt")).isEqualTo(oldA);
        assertThat(bak.bytes("x/extra.log")).isEqualTo(extra);
        assertThat(dst.objects().keySet()).containsExactly("b", "dir/a.txt");
        assertThat(dst.bytes("dir/a.txt")).isEqualTo(newA);
    }

    @Test
    void aCopyKeepsWhatItOverwritesWithTheSuffixBeforeTheExtension() {
        fill();
        MigrationSpec copy = MigrationSpec.builder("mem:src", "mem:dst").backup(new BackupDir("mem:bak",
                ".2026-11-28", true)).build();

        RunResult r = engine.run(copy, ProgressListener.NONE);

        assertThat(r.preserved()).isEqualTo(1);
        assertThat(bak.objects().keySet()).containsExactly("dir/a.2026-11-28.txt");
        assertThat(bak.bytes("dir/a.2026-11-28.txt")).isEqualTo(oldA);
        assertThat(dst.bytes("x/extra.log")).as("a copy deletes nothing").isEqualTo(extra);
    }

    @Test
    void aRunKilledBetweenKeepingAndDeletingLosesNothingAndKeepsNothingTwiceWhenItGoesOn() {
        fill();
        src.add("dir/a.txt", oldA, T0); // only the deletion of x/extra.log left to do
        AtomicBoolean killed = new AtomicBoolean();
        dst.beforeDelete = key -> {
            if (key.equals("x/extra.log") && killed.compareAndSet(false, true)) {
                throw new MigrationException(ErrorKind.FATAL, "killed between the backup copy and the delete");
            }
        };
        MigrationSpec spec = sync(new BackupDir("mem:bak", ".old", false));

        assertThatThrownBy(() -> engine.run(spec, ProgressListener.NONE)).isInstanceOf(MigrationException.class);
        assertThat(bak.bytes("x/extra.log.old")).isEqualTo(extra);
        assertThat(dst.bytes("x/extra.log")).as("not deleted yet").isEqualTo(extra);
        int backupPuts = bak.copiedKeys().size();

        RunResult rerun = engine.run(spec, ProgressListener.NONE);

        assertThat(rerun.resumed()).isTrue();
        assertThat(rerun.exitCode()).isZero();
        assertThat(bak.copiedKeys()).as("kept once (the rerun's write probe aside)").hasSize(backupPuts);
        assertThat(bak.objects().keySet()).containsExactly("x/extra.log.old");
        assertThat(bak.bytes("x/extra.log.old")).isEqualTo(extra);
        assertThat(dst.objects()).doesNotContainKey("x/extra.log");
        assertThat(rerun.preserved()).isEqualTo(1);
    }

    @Test
    void aRunKilledBetweenKeepingAndOverwritingKeepsTheOldVersionOnce() {
        fill();
        AtomicBoolean killed = new AtomicBoolean();
        dst.beforePut = key -> {
            // the new version's first write (to a temporary name, renamed into place once verified)
            if (key.contains("a.txt") && killed.compareAndSet(false, true)) {
                throw new MigrationException(ErrorKind.FATAL, "killed between the backup copy and the overwrite");
            }
        };
        MigrationSpec spec = sync(new BackupDir("mem:bak", null, false));

        assertThatThrownBy(() -> engine.run(spec, ProgressListener.NONE)).isInstanceOf(MigrationException.class);
        assertThat(bak.bytes("dir/a.txt")).isEqualTo(oldA);
        assertThat(dst.bytes("dir/a.txt")).isEqualTo(oldA);

        RunResult rerun = engine.run(spec, ProgressListener.NONE);

        assertThat(rerun.exitCode()).isZero();
        assertThat(bak.putKeys).as("each kept once (the deletion's first in the rerun)")
                .filteredOn(k -> k.contains("a.txt")).hasSize(1);
        assertThat(bak.putKeys).filteredOn(k -> k.contains("extra.log")).hasSize(1);
        assertThat(bak.bytes("dir/a.txt")).isEqualTo(oldA);
        assertThat(bak.bytes("x/extra.log")).isEqualTo(extra);
        assertThat(dst.bytes("dir/a.txt")).isEqualTo(newA);
    }

    /**
     * A sync that only deletes, into a backup dir that refuses writes: the run's write probe of the backup dir fails it
     * before the deletion, naming the backup dir. Before, nothing was probed (nothing to transfer) and the deletion
     * failed only when it first needed the backup dir.
     */
    @Test
    void aSyncThatOnlyDeletesProbesTheBackupDirFirst() {
        fill();
        src.add("dir/a.txt", oldA, T0); // only the deletion of x/extra.log to do
        bak.refusePutsOf = "";

        assertThatThrownBy(() -> engine.run(sync(new BackupDir("mem:bak", null, false)), ProgressListener.NONE))
                .isInstanceOf(MigrationException.class).hasMessageStartingWith("cannot write to the backup dir mem:bak")
                .extracting(e -> ((MigrationException) e).kind()).isEqualTo(ErrorKind.USER_CONFIG);
        assertThat(bak.copiedKeys()).isEmpty();
        assertThat(dst.bytes("x/extra.log")).as("not deleted").isEqualTo(extra);
    }

    @Test
    void aDryRunSaysWhatWouldBeKeptAndWritesNothing() {
        fill();

        PlanResult plan = engine.plan(sync(new BackupDir("mem:bak", null, false)));

        assertThat(plan.preflight()).filteredOn(c -> c.name().equals("backup-dir")).singleElement()
                .satisfies(c -> {
                    assertThat(c.status()).isEqualTo(PreflightCheck.Status.PASS);
                    assertThat(c.detail()).contains("would keep 2 object(s), " + (oldA.length + extra.length)
                            + " B").contains("mem:bak");
                });
        assertThat(bak.objects()).isEmpty();
        assertThat(bak.puts.get()).isZero();
        assertThat(dst.objects()).hasSize(3);
    }

    @Test
    void aBackupDirInsideTheTargetOrTheSourceIsRefusedBeforeAnythingIsWritten() {
        fill();
        for (String inside : new String[] {"mem:dst/old", "mem:src/old", "mem:dst"}) {
            assertThatThrownBy(() -> engine.run(sync(new BackupDir(inside, null, false)), ProgressListener.NONE))
                    .isInstanceOfSatisfying(MigrationException.class,
                            e -> assertThat(e.kind()).isEqualTo(ErrorKind.USER_CONFIG))
                    .hasMessageContaining("refusing the backup dir " + inside);
        }
        assertThat(dst.puts.get() + dst.deletes.get()).isZero();
        assertThat(dst.bytes("dir/a.txt")).isEqualTo(oldA);
    }

    @Test
    void theBackupDirIsKeptWithTheRunsDefinitionForResume() {
        MigrationSpec spec = sync(new BackupDir("mem:bak", ".old", true));

        assertThat(SpecJson.read(SpecJson.write(spec, (side, key) -> false)).backup()).isEqualTo(spec.backup());
    }

    @Test
    void maxDeleteCountsTheDeletionsKeptInTheBackupDir() {
        fill();
        MigrationSpec spec = sync(new BackupDir("mem:bak", null, false)).toBuilder().maxDelete("0").build();

        assertThatThrownBy(() -> engine.run(spec, ProgressListener.NONE)).hasMessageContaining("maxDelete=0");
        assertThat(bak.objects()).isEmpty();
    }
}
