package dev.caravan.cli;

import dev.caravan.core.plan.Mode;
import picocli.CommandLine.Command;

/** {@code caravan move SOURCE TARGET}: copies, then deletes each source object once its copy is verified. */
@Command(name = "move", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Copies new and changed objects to TARGET, then deletes each source object once its copy is "
                + "verified.")
final class MoveCommand extends TransferCommand {
    @Override
    Mode mode() {
        return Mode.MOVE;
    }
}
