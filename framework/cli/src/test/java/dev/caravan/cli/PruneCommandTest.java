package dev.caravan.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code caravan prune} on local copies: what a dry run says, what a prune removes, and its bad input. */
class PruneCommandTest {
    @TempDir
    Path dir;

    @Test
    void prunesFinishedRunsBeyondTheRetentionWithTheirReports() throws Exception {
        Path home = dir.resolve("home");
        Path src = Files.createDirectories(dir.resolve("src"));
        for (int run = 1; run <= 4; run++) {
            for (int i = 0; i < 5; i++) { // every file changes every night: each run copies all of them
                Files.writeString(src.resolve("f" + i), "night " + run + " file " + i + "x".repeat(run));
            }
            CliRunner.Result copy = CliRunner.inHome(home, "-q", "copy", "local:" + src, "local:" + dir.resolve("dst"));
            assertThat(copy.code()).as(copy.toString()).isZero();
        }
        assertThat(reports(home)).hasSize(8);

        CliRunner.Result dry = CliRunner.inHome(home, "prune", "--keep-runs", "1", "--dry-run");
        assertThat(dry.code()).as(dry.toString()).isZero();
        assertThat(dry.out()).contains("would prune 3 runs: 3 removed; 15 task rows, 6 report files");
        assertThat(reports(home)).as("a dry run removes nothing").hasSize(8);

        CliRunner.Result prune = CliRunner.inHome(home, "prune", "--keep-runs", "1");
        assertThat(prune.code()).as(prune.toString()).isZero();
        assertThat(prune.out()).contains("pruned 3 runs: 3 removed; 15 task rows, 6 report files")
                .contains("after compaction");
        assertThat(reports(home)).hasSize(2);
        CliRunner.Result status = CliRunner.inHome(home, "status");
        assertThat(status.out().lines().filter(l -> l.contains("COMPLETE"))).hasSize(1);

        CliRunner.Result again = CliRunner.inHome(home, "prune", "--keep-runs", "1");
        assertThat(again.out()).contains("pruned nothing");
    }

    @Test
    void aNegativeRetentionIsBadInput() {
        CliRunner.Result r = CliRunner.inHome(dir, "prune", "--keep-runs", "-1");
        assertThat(r.code()).isEqualTo(Main.BAD_INPUT);
        assertThat(r.err()).contains("--keep-runs must be 0 or more");
        assertThat(CliRunner.inHome(dir, "prune", "--older-than", "soon").code()).isEqualTo(Main.BAD_INPUT);
    }

    private static java.util.List<Path> reports(Path home) throws Exception {
        try (Stream<Path> files = Files.list(home.resolve("reports"))) {
            return files.toList();
        }
    }
}
