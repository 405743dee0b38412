package dev.caravan.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.api.journal.RunOutcome;
import dev.caravan.core.plan.MigrationSpec;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A source object that changes while it is copied (a local file written in place) fails its read at the end of its
 * bytes, or its close once every byte was read (a put of a known size need not read the end), and is copied again.
 */
class SourceChangeTest extends EngineTestBase {
    @BeforeEach
    void setUp() {
        dst.putsReadOnlyTheSize = true;
        byte[] image = new byte[10_000];
        Arrays.fill(image, (byte) 7);
        src.add("disk.img", image, T0);
    }

    private RunResult copy() {
        return engine.run(MigrationSpec.builder("mem:src", "mem:dst").retryBaseDelay(Duration.ofMillis(1)).build(),
                ProgressListener.NONE);
    }

    @Test
    void aCopyDuringWhichTheSourceChangedIsMadeAgain() {
        src.changedAtEndOfReads.set(1);

        RunResult r = copy();

        assertThat(r.outcome()).as(r.errors().toString()).isEqualTo(RunOutcome.COMPLETE);
        assertThat(src.opens.get()).as("read again after the read that met the change").isEqualTo(2);
        assertThat(dst.bytes("disk.img")).isEqualTo(src.bytes("disk.img"));
    }

    @Test
    void aSourceThatKeepsChangingFailsItsCopy() {
        src.changedAtEndOfReads.set(1_000);

        RunResult r = copy();

        assertThat(r.outcome()).isEqualTo(RunOutcome.FAILED);
        assertThat(r.errors()).anyMatch(e -> e.contains("disk.img changed while it was read"));
    }
}
