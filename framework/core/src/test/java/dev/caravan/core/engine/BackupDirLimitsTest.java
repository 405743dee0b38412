package dev.caravan.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.api.journal.RunOutcome;
import dev.caravan.core.plan.BackupDir;
import dev.caravan.core.plan.MigrationSpec;
import dev.caravan.core.plan.Mode;
import dev.caravan.core.testing.MemoryStore;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code --max-transfer} counts the copies a run keeps in {@code --backup-dir} as it counts its own: a replacement or a
 * deletion whose backup copy would go past the limit is left, original untouched, for the next run (exit code 3), and
 * {@code --bwlimit} charges the streamed backup copies too.
 */
class BackupDirLimitsTest extends EngineTestBase {
    private final Random random = new Random();
    private MemoryStore bak;

    @BeforeEach
    void backupStore() {
        bak = MemoryStore.named("bak");
    }

    private byte[] random(int size) {
        byte[] b = new byte[size];
        random.nextBytes(b);
        return b;
    }

    private MigrationSpec.Builder spec(Mode mode) {
        return MigrationSpec.builder("mem:src", "mem:dst").mode(mode).backup(new BackupDir("mem:bak", null, false))
                .retryBaseDelay(Duration.ofMillis(1)).transfers(1);
    }

    @Test
    void aReplacementWhoseBackupCopyWouldGoPastTheMaxTransferIsLeftForTheNextRunItsOriginalUntouched() {
        byte[] newA = random(100);
        byte[] oldA = random(200);
        byte[] b = random(100);
        src.add("a", newA, T0.plusSeconds(60));
        src.add("b", b, T0);
        dst.add("a", oldA, T0);

        RunResult first = engine.run(spec(Mode.COPY).maxTransfer(300).build(), ProgressListener.NONE);

        // 100 + 100 + the 200 kept of the old a do not fit in 300: whichever came first, one object is left
        assertThat(first.outcome()).isEqualTo(RunOutcome.LIMIT_REACHED);
        assertThat(first.exitCode()).isEqualTo(3);
        boolean replaced = Arrays.equals(dst.bytes("a"), newA);
        long moved = (replaced ? newA.length : 0) + (dst.objects().containsKey("b") ? b.length : 0)
                + bak.objects().values().stream().mapToLong(o -> o.data().length).sum();
        assertThat(moved).as("bytes copied, the backup dir's included").isLessThanOrEqualTo(300);
        if (replaced) {
            assertThat(bak.bytes("a")).isEqualTo(oldA);
        } else {
            assertThat(dst.bytes("a")).as("untouched").isEqualTo(oldA);
            assertThat(bak.objects()).as("nothing kept of what was not replaced").isEmpty();
        }

        RunResult rest = engine.run(spec(Mode.COPY).maxTransfer(300).build(), ProgressListener.NONE);

        assertThat(rest.outcome()).isEqualTo(RunOutcome.COMPLETE);
        assertThat(rest.resumed()).isTrue();
        assertThat(dst.bytes("a")).isEqualTo(newA);
        assertThat(dst.bytes("b")).isEqualTo(b);
        assertThat(bak.objects().keySet()).containsExactly("a");
        assertThat(bak.bytes("a")).isEqualTo(oldA);
        assertThat(bak.copiedKeys()).as("kept once").hasSize(1);
    }

    @Test
    void aSyncWhoseDeletionsBackupCopiesGoPastTheMaxTransferStopsUnfinishedAndTheNextRunDeletesTheRest() {
        byte[] same = random(10);
        byte[] x = random(200);
        byte[] y = random(200);
        src.add("same", same, T0);
        dst.add("same", same, T0);
        dst.add("x", x, T0);
        dst.add("y", y, T0);

        RunResult first = engine.run(spec(Mode.SYNC).maxTransfer(300).build(), ProgressListener.NONE);

        assertThat(first.outcome()).isEqualTo(RunOutcome.LIMIT_REACHED);
        assertThat(first.exitCode()).isEqualTo(3);
        assertThat(first.deleted()).isEqualTo(1);
        assertThat(first.warnings()).anySatisfy(w -> assertThat(w).contains("the max transfer of 300 B is reached")
                .contains("1 deletion is left for the next run"));
        assertThat(bak.objects()).hasSize(1);
        String kept = bak.objects().keySet().iterator().next();
        String left = kept.equals("x") ? "y" : "x";
        assertThat(bak.bytes(kept)).isEqualTo(kept.equals("x") ? x : y);
        assertThat(dst.objects()).as("the deletion left undone keeps its object").containsOnlyKeys("same", left);
        assertThat(engine.journal().runs(1).get(0).outcome()).as("unfinished").isNull();

        RunResult rest = engine.run(spec(Mode.SYNC).maxTransfer(300).build(), ProgressListener.NONE);

        assertThat(rest.outcome()).isEqualTo(RunOutcome.COMPLETE);
        assertThat(rest.resumed()).isTrue();
        assertThat(dst.objects()).containsOnlyKeys("same");
        assertThat(bak.bytes("x")).isEqualTo(x);
        assertThat(bak.bytes("y")).isEqualTo(y);
    }

    @Test
    void theBandwidthLimitChargesTheStreamedBackupCopies() {
        byte[] newA = random(1000);
        byte[] oldA = random(3000);
        src.add("a", newA, T0.plusSeconds(60));
        dst.add("a", oldA, T0);
        long before = engine.bandwidth().charged();

        RunResult r = engine.run(spec(Mode.COPY).bandwidth(100L << 20).build(), ProgressListener.NONE);

        assertThat(r.exitCode()).isZero();
        assertThat(bak.bytes("a")).isEqualTo(oldA);
        assertThat(dst.bytes("a")).isEqualTo(newA);
        assertThat(engine.bandwidth().charged() - before).isEqualTo(newA.length + oldA.length);
    }
}
