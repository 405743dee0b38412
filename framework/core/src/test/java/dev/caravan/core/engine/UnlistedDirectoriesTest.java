package dev.caravan.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.api.journal.RunOutcome;
import dev.caravan.core.plan.MigrationSpec;
import dev.caravan.core.plan.Mode;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A source directory its listing could not read (permission denied, a path too long): the run copies the rest, fails
 * naming it, and deletes nothing, since a sync would otherwise delete the target's copies of what it holds (before,
 * one such directory aborted the whole run and nothing was copied).
 */
class UnlistedDirectoriesTest extends EngineTestBase {
    private MigrationSpec.Builder spec() {
        return MigrationSpec.builder("mem:src", "mem:dst").retryBaseDelay(Duration.ofMillis(1));
    }

    @Test
    void aSyncCopiesTheRestFailsNamingTheDirectoryAndDeletesNothing() {
        src.add("a.txt", bytes("alpha"), T0);
        src.add("locked/secret.txt", bytes("unknown"), T0);
        src.add("z/b.txt", bytes("bravo"), T0);
        src.unreadableDirectory = "locked/";
        dst.add("locked/secret.txt", bytes("an earlier copy"), T0);
        dst.add("gone.txt", bytes("only on the target"), T0);

        RunResult r = engine.run(spec().mode(Mode.SYNC).build(), ProgressListener.NONE);

        assertThat(r.outcome()).isEqualTo(RunOutcome.FAILED);
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.copied()).isEqualTo(2);
        assertThat(dst.bytes("a.txt")).isEqualTo(bytes("alpha"));
        assertThat(dst.bytes("z/b.txt")).isEqualTo(bytes("bravo"));
        assertThat(dst.bytes("locked/secret.txt")).as("not deleted: its source could not be read")
                .isEqualTo(bytes("an earlier copy"));
        assertThat(dst.objects()).as("no deletion at all in such a run").containsKey("gone.txt");
        assertThat(r.deleted()).isZero();
        assertThat(r.errors()).anySatisfy(e -> assertThat(e).contains("1 directory of mem:src could not be read, so"
                + " what they hold is not copied; the run copies the rest, fails and deletes nothing: 'locked/'"
                + " (permission denied)"));
        assertThat(r.errors()).anySatisfy(e -> assertThat(e)
                .isEqualTo("deletions skipped because 1 directory could not be read"));
    }

    @Test
    void anUnreadableDirectoryOfTheTargetFailsTheRunAndStopsTheDeletionsToo() {
        src.add("a.txt", bytes("alpha"), T0);
        dst.add("locked/x.txt", bytes("unknown"), T0);
        dst.add("gone.txt", bytes("only on the target"), T0);
        dst.unreadableDirectory = "locked/";

        RunResult r = engine.run(spec().mode(Mode.SYNC).build(), ProgressListener.NONE);

        assertThat(r.outcome()).isEqualTo(RunOutcome.FAILED);
        assertThat(dst.objects().keySet()).containsExactlyInAnyOrder("a.txt", "gone.txt", "locked/x.txt");
        assertThat(r.errors()).anySatisfy(e -> assertThat(e).startsWith("1 directory of mem:dst could not be read"));
    }

    @Test
    void aCopyOfTheRestStillFailsSoThatNobodyTakesItForComplete() {
        src.add("a.txt", bytes("alpha"), T0);
        src.add("locked/secret.txt", bytes("unknown"), T0);
        src.unreadableDirectory = "locked/";

        RunResult r = engine.run(spec().build(), ProgressListener.NONE);

        assertThat(r.outcome()).isEqualTo(RunOutcome.FAILED);
        assertThat(r.copied()).isEqualTo(1);
        assertThat(dst.objects().keySet()).containsExactly("a.txt");

        dev.caravan.api.verify.VerificationReport verified = engine.verify(spec().build());
        assertThat(verified.clean()).as("a verification that could not read all of the source").isFalse();
        assertThat(verified.problems()).singleElement().satisfies(item -> {
            assertThat(item.outcome()).isEqualTo(dev.caravan.api.verify.VerificationOutcome.ERROR);
            assertThat(item.detail()).contains("'locked/' (permission denied)");
        });
    }
}
