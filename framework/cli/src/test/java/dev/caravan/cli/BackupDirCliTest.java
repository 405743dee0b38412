package dev.caravan.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --backup-dir}, {@code --suffix} and {@code --suffix-keep-extension} of sync and copy, on local folders. */
class BackupDirCliTest {
    @TempDir
    Path tmp;
    Path src;
    Path dst;
    Path bak;
    String oldReport;
    String gone;

    @BeforeEach
    void folders() throws IOException {
        src = Files.createDirectories(tmp.resolve("src/docs"));
        dst = Files.createDirectories(tmp.resolve("dst/docs"));
        src = src.getParent();
        dst = dst.getParent();
        bak = tmp.resolve("bak");
        oldReport = "old report " + UUID.randomUUID();
        gone = "only on the target " + UUID.randomUUID();
        Files.writeString(src.resolve("docs/report.txt"), "new report, a longer one " + UUID.randomUUID());
        Files.writeString(dst.resolve("docs/report.txt"), oldReport);
        Files.setLastModifiedTime(dst.resolve("docs/report.txt"), FileTime.from(Instant.parse("2026-01-01T00:00:00Z")));
        Files.writeString(dst.resolve("gone.log"), gone);
    }

    private CliRunner.Result cli(String... args) {
        String[] all = new String[args.length + 3];
        all[0] = "--home";
        all[1] = tmp.resolve("home").toString();
        all[2] = "--no-progress";
        System.arraycopy(args, 0, all, 3, args.length);
        return CliRunner.run(all);
    }

    @Test
    void aSyncKeepsWhatItDeletesAndOverwritesWithTheSuffixBeforeTheExtension() throws IOException {
        CliRunner.Result dry = cli("sync", "local:" + src, "local:" + dst, "--backup-dir", "local:" + bak,
                "--suffix", ".2026-11-28", "--suffix-keep-extension", "--dry-run");
        assertThat(dry.code()).as(dry.toString()).isZero();
        assertThat(dry.out()).contains("would keep 2 object(s)").contains("local:" + bak);
        assertThat(bak).doesNotExist();

        CliRunner.Result sync = cli("sync", "local:" + src, "local:" + dst, "--backup-dir", "local:" + bak,
                "--suffix", ".2026-11-28", "--suffix-keep-extension");

        assertThat(sync.code()).as(sync.toString()).isZero();
        assertThat(sync.out()).contains("kept      2 objects in the backup dir");
        assertThat(Files.readString(bak.resolve("docs/report.2026-11-28.txt"))).isEqualTo(oldReport);
        assertThat(Files.readString(bak.resolve("gone.2026-11-28.log"))).isEqualTo(gone);
        assertThat(dst.resolve("gone.log")).doesNotExist();
        assertThat(Files.readString(dst.resolve("docs/report.txt")))
                .isEqualTo(Files.readString(src.resolve("docs/report.txt")));
    }

    @Test
    void theDryRunsLimitsCheckCountsWhatTheBackupDirWouldKeepAgainstTheMaxTransfer() throws IOException {
        long toCopy = Files.size(src.resolve("docs/report.txt"));
        long kept = Files.size(dst.resolve("docs/report.txt")) + Files.size(dst.resolve("gone.log"));

        CliRunner.Result dry = cli("sync", "local:" + src, "local:" + dst, "--backup-dir", "local:" + bak,
                "--max-transfer", Long.toString(toCopy + 1), "--dry-run");

        assertThat(dry.code()).as(dry.toString()).isZero();
        assertThat(dry.out()).as(dry.toString()).contains("WARN  limits: the max transfer of " + (toCopy + 1)
                + " B is less than the " + (toCopy + kept) + " B to copy (" + toCopy + " B of objects and " + kept
                + " B kept in the backup dir)");
        assertThat(bak).doesNotExist();
        assertThat(Files.readString(dst.resolve("docs/report.txt"))).isEqualTo(oldReport);
    }

    @Test
    void badCombinationsAreRefusedWithExitCode2BeforeAnythingIsWritten() throws IOException {
        CliRunner.Result lone = cli("sync", "local:" + src, "local:" + dst, "--suffix", ".old");
        CliRunner.Result loneOption = cli("sync", "local:" + src, "local:" + dst, "--backup-option", "fsync=true");
        CliRunner.Result inside = cli("sync", "local:" + src, "local:" + dst, "--backup-dir", "local:" + dst
                + "/old");
        CliRunner.Result inSource = cli("copy", "local:" + src, "local:" + dst, "--backup-dir", "local:" + src
                + "/old");

        assertThat(lone.code()).as(lone.toString()).isEqualTo(2);
        assertThat(lone.err()).contains("give the backup dir too");
        assertThat(loneOption.code()).as(loneOption.toString()).isEqualTo(2);
        assertThat(loneOption.err()).contains("backup options (fsync)").contains("give the backup dir too");
        assertThat(inside.code()).as(inside.toString()).isEqualTo(2);
        assertThat(inside.err()).contains("lies inside the target");
        assertThat(inSource.code()).as(inSource.toString()).isEqualTo(2);
        assertThat(inSource.err()).contains("lies inside the source");
        assertThat(Files.readString(dst.resolve("docs/report.txt"))).isEqualTo(oldReport);
        assertThat(Files.readString(dst.resolve("gone.log"))).isEqualTo(gone);
        assertThat(dst.resolve("old")).doesNotExist();
    }
}
