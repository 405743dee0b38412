package dev.caravan.cli;

import dev.caravan.core.plan.Mode;
import picocli.CommandLine.Command;

/** {@code caravan copy SOURCE TARGET}: copies new and changed objects; never deletes anything. */
@Command(name = "copy", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Copies new and changed objects from SOURCE to TARGET; never deletes anything.")
final class CopyCommand extends TransferCommand {
    @Override
    Mode mode() {
        return Mode.COPY;
    }
}
