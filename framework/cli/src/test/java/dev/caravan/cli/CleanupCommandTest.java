package dev.caravan.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code caravan cleanup} on what needs no clean-up, and its bad input (S3: CloudCutoffIT). */
class CleanupCommandTest {
    @TempDir
    Path dir;

    @Test
    void aLocalFolderKeepsNoUnfinishedUploads() throws Exception {
        Path data = Files.createDirectories(dir.resolve("data"));
        Files.writeString(data.resolve("a.txt"), "kept as it is");

        CliRunner.Result r = CliRunner.inHome(dir.resolve("home"), "cleanup", "local:" + data, "--older-than", "0s");

        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).contains("nothing to clean: local:" + data + " keeps no unfinished uploads");
        assertThat(Files.readString(data.resolve("a.txt"))).isEqualTo("kept as it is");
    }

    @Test
    void badInputIsRefusedBeforeAnythingIsTouched() {
        CliRunner.Result negative = CliRunner.inHome(dir, "cleanup", "local:" + dir, "--older-than", "-1h");
        assertThat(negative.code()).as(negative.toString()).isEqualTo(Main.BAD_INPUT);

        CliRunner.Result unknown = CliRunner.inHome(dir, "cleanup", "nosuch:bucket");
        assertThat(unknown.code()).as(unknown.toString()).isEqualTo(Main.BAD_INPUT);
        assertThat(unknown.err()).contains("nosuch");
    }
}
