package dev.caravan.cli;

import dev.caravan.core.plan.Mode;
import picocli.CommandLine.Command;

/**
 * {@code caravan sync SOURCE TARGET}: makes the target like the source, deleting target objects missing from the
 * source (guarded by {@code --max-delete}).
 */
@Command(name = "sync", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Makes TARGET like SOURCE: copies new and changed objects, then deletes target objects "
                + "missing from SOURCE (guarded by --max-delete)."})
final class SyncCommand extends TransferCommand {
    @Override
    Mode mode() {
        return Mode.SYNC;
    }
}
