package dev.caravan.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.caravan.api.error.MigrationException;
import dev.caravan.core.plan.CutoffMode;
import dev.caravan.core.plan.MigrationSpec;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code --max-transfer}, {@code --max-duration} and {@code --cutoff-mode} as copy, sync, move and resume take them. */
class LimitOptionsTest {
    private static MigrationSpec copy(String... args) {
        String[] all = new String[args.length + 3];
        all[0] = "copy";
        all[1] = "local:/a";
        all[2] = "local:/b";
        System.arraycopy(args, 0, all, 3, args.length);
        CommandLine.ParseResult pr = CliRunner.parser().parseArgs(all);
        return ((CopyCommand) pr.subcommand().commandSpec().userObject()).spec();
    }

    @Test
    void aCutoffModeGoesWithTheMaxDurationAndHardIsTheDefault() {
        MigrationSpec cautious = copy("--max-duration", "6h", "--cutoff-mode", "Cautious");
        MigrationSpec plain = copy("--max-duration", "6h");

        assertThat(cautious.maxDuration()).isEqualTo(Duration.ofHours(6));
        assertThat(cautious.cutoffMode()).isEqualTo(CutoffMode.CAUTIOUS);
        assertThat(plain.cutoffMode()).isNull();
        assertThat(plain.cutoff()).isEqualTo(CutoffMode.HARD);
        assertThat(copy().maxDuration()).isNull();
    }

    @Test
    void aCutoffModeWithoutAMaxDurationOrAnUnknownOneIsRefused() {
        assertThatThrownBy(() -> copy("--cutoff-mode", "soft")).isInstanceOf(MigrationException.class)
                .hasMessageContaining("set a max duration too (--max-duration)");
        assertThatThrownBy(() -> copy("--max-duration", "1h", "--cutoff-mode", "gentle"))
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("one of hard, soft, cautious");
    }
}
