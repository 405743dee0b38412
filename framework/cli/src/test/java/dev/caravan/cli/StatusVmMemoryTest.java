package dev.caravan.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.camel.vm.VmJournal;
import dev.caravan.core.journal.RunSummary;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * {@code caravan status RUN_ID} of a VM move: the memory a live move sent, apart from the guest's memory; an
 * interrupted move is taken up by running it again (it keeps no definition for {@code caravan resume}).
 */
class StatusVmMemoryTest {
    @Test
    void anInterruptedVmMoveIsTakenUpByRunningItAgain() {
        RunSummary run = new RunSummary("r1", "vm-0123456789abcdef", "vm-live web: a -> b", Instant.now(), null, null,
                1, 0, 0, 144L << 20, 32L << 20);

        assertThat(StatusCommand.details(run, Optional.empty()))
                .contains("state      UNFINISHED  (interrupted: running the move again takes this run up)");
        assertThat(StatusCommand.details(run, Optional.of("vm pid 42")))
                .contains("state      UNFINISHED  (running in vm pid 42)");
    }

    @Test
    void memorySentAgainIsShownAgainstTheGuestsMemory() {
        assertThat(StatusCommand.memoryLine(new VmJournal.MemoryFigures(1536L << 20, 128L << 20, 7)))
                .isEqualTo("memory     1.5 GiB sent for 128.0 MiB of guest memory in 7 passes (each pass sends again"
                        + " what the guest changed meanwhile)");
        assertThat(StatusCommand.memoryLine(new VmJournal.MemoryFigures(128L << 20, -1, 1)))
                .isEqualTo("memory     128.0 MiB sent for ? of guest memory in 1 pass");
    }
}
