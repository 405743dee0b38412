package dev.caravan.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.camel.vm.VmJournal;
import org.junit.jupiter.api.Test;

/** {@code caravan status RUN_ID} of a live VM move: the memory sent, apart from the guest's memory. */
class StatusVmMemoryTest {
    @Test
    void memorySentAgainIsShownAgainstTheGuestsMemory() {
        assertThat(StatusCommand.memoryLine(new VmJournal.MemoryFigures(1536L << 20, 128L << 20, 7)))
                .isEqualTo("memory     1.5 GiB sent for 128.0 MiB of guest memory in 7 passes (each pass sends again"
                        + " what the guest changed meanwhile)");
        assertThat(StatusCommand.memoryLine(new VmJournal.MemoryFigures(128L << 20, -1, 1)))
                .isEqualTo("memory     128.0 MiB sent for ? of guest memory in 1 pass");
    }
}
