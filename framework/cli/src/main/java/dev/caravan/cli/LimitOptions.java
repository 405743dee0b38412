package dev.caravan.cli;

import dev.caravan.core.plan.CutoffMode;
import dev.caravan.core.plan.MigrationSpec;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * The budget of one command, {@code --max-transfer} and {@code --max-duration} (with its {@code --cutoff-mode}): shared
 * by copy, sync, move and resume.
 */
public final class LimitOptions {
    @Option(names = "--max-transfer", paramLabel = "SIZE", converter = Converters.Size.class,
            description = "Copy at most SIZE bytes in this command, e.g. 50G (default: no limit): an object that"
                    + " would go past it is not started; the run then stops, unfinished (exit code 3), without its"
                    + " deletions, and the same command continues it.")
    Long maxTransfer;

    @Option(names = "--max-duration", paramLabel = "DURATION", converter = Converters.Age.class,
            description = "Start no object once this command has run this long, e.g. 6h (default: no limit); the"
                    + " transfers in flight are then stopped or finish, as --cutoff-mode says, and the run stops,"
                    + " unfinished (exit code 3), without its deletions, and the same command continues it.")
    Duration maxDuration;

    @Option(names = "--cutoff-mode", paramLabel = "MODE", converter = Converters.Cutoff.class,
            completionCandidates = Converters.CutoffNames.class,
            description = "What --max-duration does to the transfers in flight: hard (default) stops them at the"
                    + " deadline, to be continued by the next run (a large upload from its finished parts); soft lets"
                    + " them finish; cautious starts no object that would not finish before the deadline at the"
                    + " throughput measured so far. Only with --max-duration.")
    CutoffMode cutoffMode;

    /** {@code spec} with this command's limits (none given: none); a cut-off mode without a max duration is refused. */
    MigrationSpec applyTo(MigrationSpec spec) {
        return spec.toBuilder().maxTransfer(maxTransfer == null ? 0 : maxTransfer).maxDuration(maxDuration)
                .cutoffMode(cutoffMode).build();
    }
}
