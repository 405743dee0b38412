package dev.caravan.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code caravan serve}'s retention options: a retention that makes no sense is bad input before anything serves. */
class ServeCommandTest {
    @TempDir
    Path dir;

    @Test
    void aRetentionThatMakesNoSenseIsBadInput() {
        String routes = dir.resolve("routes.yaml").toString();
        CliRunner.Result negative = CliRunner.inHome(dir, "serve", "--keep-runs", "-1", routes);
        assertThat(negative.code()).as(negative.toString()).isEqualTo(Main.BAD_INPUT);
        assertThat(negative.err()).contains("--keep-runs must be 0 or more");

        CliRunner.Result ageAlone = CliRunner.inHome(dir, "serve", "--older-than", "30d", routes);
        assertThat(ageAlone.code()).as(ageAlone.toString()).isEqualTo(Main.BAD_INPUT);
        assertThat(ageAlone.err()).contains("--older-than needs --keep-runs");

        CliRunner.Result never = CliRunner.inHome(dir, "serve", "--keep-runs", "5", "--prune-every", "0s", routes);
        assertThat(never.code()).as(never.toString()).isEqualTo(Main.BAD_INPUT);
        assertThat(never.err()).contains("--prune-every must be positive");
    }
}
