package dev.caravan.cli;

import dev.caravan.core.plan.MigrationSpec;
import java.time.Duration;
import picocli.CommandLine.Option;

/** The budget of one command, {@code --max-transfer} and {@code --max-duration}: shared by copy, sync, move and resume. */
public final class LimitOptions {
    @Option(names = "--max-transfer", paramLabel = "SIZE", converter = Converters.Size.class,
            description = "Copy at most SIZE bytes in this command, e.g. 50G (default: no limit): an object that"
                    + " would go past it is not started; the run then stops, unfinished (exit code 3), without its"
                    + " deletions, and the same command continues it.")
    Long maxTransfer;

    @Option(names = "--max-duration", paramLabel = "DURATION", converter = Converters.Age.class,
            description = "Start no object once this command has run this long, e.g. 6h (default: no limit);"
                    + " objects in flight finish, then the run stops, unfinished (exit code 3), without its"
                    + " deletions, and the same command continues it.")
    Duration maxDuration;

    /** {@code spec} with this command's limits (none given: none). */
    MigrationSpec applyTo(MigrationSpec spec) {
        return spec.toBuilder().maxTransfer(maxTransfer == null ? 0 : maxTransfer).maxDuration(maxDuration).build();
    }
}
