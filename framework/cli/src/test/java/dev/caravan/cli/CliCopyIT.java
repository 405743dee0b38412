package dev.caravan.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** End to end through the engine: {@code copy}, {@code sync}, {@code move}, {@code verify}, {@code status}. */
class CliCopyIT {

    @TempDir
    Path tmp;
    Path home;
    Path src;
    Path dst;

    @BeforeEach
    void data() throws IOException {
        home = tmp.resolve("home");
        src = tmp.resolve("src");
        dst = tmp.resolve("dst");
        Random random = new Random(42);
        for (int i = 0; i < 30; i++) {
            Path f = src.resolve("dir" + (i % 3)).resolve("file" + i + ".bin");
            Files.createDirectories(f.getParent());
            byte[] bytes = new byte[1 + random.nextInt(20_000)];
            random.nextBytes(bytes);
            Files.write(f, bytes);
        }
        Files.writeString(src.resolve("notes.txt"), "hello\n");
    }

    private CliRunner.Result cli(String... args) {
        String[] all = new String[args.length + 3];
        all[0] = "--home";
        all[1] = home.toString();
        all[2] = "--no-progress";
        System.arraycopy(args, 0, all, 3, args.length);
        return CliRunner.run(all);
    }

    static Map<String, Long> tree(Path root) throws IOException {
        Map<String, Long> out = new TreeMap<>();
        if (!Files.exists(root)) {
            return out;
        }
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                out.put(root.relativize(p).toString().replace('\\', '/'), Files.size(p));
            }
        }
        return out;
    }

    private static void assertSameContent(Path a, Path b) throws IOException {
        assertThat(tree(b)).isEqualTo(tree(a));
        for (String key : tree(a).keySet()) {
            assertThat(Files.readAllBytes(b.resolve(key))).as(key).isEqualTo(Files.readAllBytes(a.resolve(key)));
        }
    }

    @Test
    void copyThenNoOpRerunThenVerify() throws IOException {
        CliRunner.Result first = cli("copy", "local:" + src, "local:" + dst);
        assertThat(first.code()).as(first.toString()).isZero();
        assertThat(first.out()).contains("complete and verified", "31 objects", "run id");
        assertSameContent(src, dst);

        CliRunner.Result again = cli("copy", "local:" + src, "local:" + dst);
        assertThat(again.code()).as(again.toString()).isZero();
        assertThat(again.out()).contains("copied    0 objects");

        CliRunner.Result verify = cli("verify", "local:" + src, "local:" + dst);
        assertThat(verify.code()).as(verify.toString()).isZero();
        assertThat(verify.out()).contains("31 match");

        Files.writeString(dst.resolve("only-on-target.txt"), "extra\n");
        assertThat(cli("verify", "local:" + src, "local:" + dst).code()).as("a copy's target may hold more").isZero();
        CliRunner.Result exact = cli("verify", "--exact", "local:" + src, "local:" + dst);
        assertThat(exact.code()).as(exact.toString()).isEqualTo(1);
        assertThat(exact.out()).contains("MISSING_ON_SOURCE  only-on-target.txt");
        Files.delete(dst.resolve("only-on-target.txt"));

        Files.writeString(dst.resolve("notes.txt"), "HELLO\n"); // same size, different content
        Files.delete(dst.resolve("dir0/file0.bin"));
        CliRunner.Result mismatch = cli("verify", "local:" + src, "local:" + dst);
        assertThat(mismatch.code()).as(mismatch.toString()).isEqualTo(1);
        assertThat(mismatch.out()).contains("notes.txt", "dir0/file0.bin");
        assertThat(mismatch.err()).startsWith("caravan: error: verification of");
    }

    /** A sync into a directory holding symbolic links left them without a word, and verify --exact said equal. */
    @Test
    void theTargetsSymbolicLinksAreNamedBySyncAndVerify() throws IOException {
        Path elsewhere = Files.createDirectories(tmp.resolve("elsewhere"));
        Files.writeString(elsewhere.resolve("x"), "not to be touched");
        Files.createDirectories(dst);
        Files.createSymbolicLink(dst.resolve("link-to-file"), elsewhere.resolve("x"));
        Files.createSymbolicLink(dst.resolve("link-to-dir"), elsewhere);
        String note = "2 entries of local:" + dst + " are left out of its listing, so they are neither compared nor"
                + " deleted";

        CliRunner.Result sync = cli("sync", "local:" + src, "local:" + dst);
        CliRunner.Result verify = cli("verify", "--exact", "local:" + src, "local:" + dst);

        assertThat(sync.code()).as(sync.toString()).isZero();
        assertThat(sync.out()).contains("  warning   " + note).contains("'link-to-file' (a symbolic link)");
        assertThat(Files.isSymbolicLink(dst.resolve("link-to-file"))).isTrue();
        assertThat(Files.readString(elsewhere.resolve("x"))).isEqualTo("not to be touched");
        assertThat(verify.code()).as(verify.toString()).isZero();
        assertThat(verify.out() + verify.err()).contains(note);
    }

    @Test
    void aMaxTransferStopsTheCopyWithExitCode3AndTheSameCommandFinishesIt() throws IOException {
        long total = tree(src).values().stream().mapToLong(Long::longValue).sum();
        String[] copy = {"copy", "local:" + src, "local:" + dst, "--max-transfer", Long.toString(total / 3)};

        CliRunner.Result first = cli(copy);

        assertThat(first.code()).as(first.toString()).isEqualTo(3);
        assertThat(first.out()).contains("STOPPED AT A LIMIT (unfinished)")
                .contains("warning   the max transfer of ").contains("objects are left for the next run");
        assertThat(first.err()).contains("caravan: warning: migration '").contains("stopped at a limit of this command, unfinished: the same command"
                + " continues it");
        long copied = tree(dst).values().stream().mapToLong(Long::longValue).sum();
        assertThat(copied).isPositive().isLessThanOrEqualTo(total / 3);
        assertThat(cli("status").out()).contains("UNFINISHED");
        CliRunner.Result resumed = cli("resume", "--max-transfer", Long.toString(total / 3));
        assertThat(resumed.code()).as("resume takes a limit of its own: " + resumed).isEqualTo(3);
        assertThat(resumed.out()).contains("(resumed run)");
        assertThat(tree(dst).values().stream().mapToLong(Long::longValue).sum()).isGreaterThan(copied);

        CliRunner.Result last = null;
        for (int i = 0; i < 5 && (last == null || last.code() == 3); i++) {
            last = cli(copy);
            assertThat(last.out()).as("the same run, continued").contains("(resumed run)");
        }

        assertThat(last.code()).as(last.toString()).isZero();
        assertSameContent(src, dst);
    }

    @Test
    void dryRunWritesNothing() throws IOException {
        CliRunner.Result plan = cli("copy", "--dry-run", "local:" + src, "local:" + dst);
        assertThat(plan.code()).as(plan.toString()).isZero();
        assertThat(plan.out()).contains("copy", "31 objects", "nothing was written");
        assertThat(tree(dst)).isEmpty();
    }

    @Test
    void filtersSelectObjects() throws IOException {
        CliRunner.Result r = cli("copy", "local:" + src, "local:" + dst, "--include", "*.txt");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(tree(dst)).containsOnlyKeys("notes.txt");
    }

    @Test
    void syncDeletesExtrasAndHonoursMaxDelete() throws IOException {
        assertThat(cli("copy", "local:" + src, "local:" + dst).code()).isZero();
        Files.writeString(dst.resolve("extra1.txt"), "x");
        Files.writeString(dst.resolve("extra2.txt"), "y");

        CliRunner.Result refused = cli("sync", "local:" + src, "local:" + dst, "--max-delete", "1");
        assertThat(refused.code()).as(refused.toString()).isEqualTo(2);
        assertThat(refused.err()).startsWith("caravan: error: ");
        assertThat(dst.resolve("extra1.txt")).exists();

        CliRunner.Result sync = cli("sync", "local:" + src, "local:" + dst, "--max-delete", "2");
        assertThat(sync.code()).as(sync.toString()).isZero();
        assertSameContent(src, dst);
    }

    @Test
    void aPlanNamesAFileInTheWayOfAFolderAndASyncReplacesIt() throws IOException {
        // the target has a file where the source has a folder (dir0) and a folder where it has a file (notes.txt)
        Files.createDirectories(dst);
        Files.writeString(dst.resolve("dir0"), "an old file");
        Files.createDirectories(dst.resolve("notes.txt"));
        Files.writeString(dst.resolve("notes.txt/old.txt"), "an old folder");

        CliRunner.Result plan = cli("copy", "local:" + src, "local:" + dst, "--dry-run");
        assertThat(plan.code()).as(plan.toString()).isZero();
        assertThat(plan.out()).contains("WARN  target-tree: 2 names would be both a file and a folder",
                "'dir0' (a file, and the folder of 'dir0/file0.bin' and 9 more)",
                "'notes.txt' (a file, and the folder of 'notes.txt/old.txt')");

        CliRunner.Result copy = cli("copy", "local:" + src, "local:" + dst);
        assertThat(copy.code()).as(copy.toString()).isEqualTo(1);
        assertThat(copy.out() + copy.err()).contains("a file and a directory clash at");
        assertThat(dst.resolve("dir0")).isRegularFile();

        CliRunner.Result sync = cli("sync", "local:" + src, "local:" + dst);
        assertThat(sync.code()).as(sync.toString()).isZero();
        assertSameContent(src, dst);
    }

    @Test
    void aKeyMapWritesMappedNamesFindsThemOnARerunAndVerifyPairsThemByIt() throws IOException {
        Path mapped = tmp.resolve("mapped");
        Files.createDirectories(mapped.resolve("reports"));
        Files.writeString(mapped.resolve("reports/q1:2026.csv"), "a,b\n1,2\n");
        Files.writeString(mapped.resolve("plain.txt"), "plain");
        String rule = "replace::=\uff1a";

        CliRunner.Result copy = cli("copy", "local:" + mapped, "local:" + dst, "--key-map", rule);
        assertThat(copy.code()).as(copy.toString()).isZero();
        assertThat(dst.resolve("reports/q1\uff1a2026.csv")).hasContent("a,b\n1,2\n");
        assertThat(dst.resolve("reports/q1:2026.csv")).doesNotExist();

        CliRunner.Result rerun = cli("copy", "local:" + mapped, "local:" + dst, "--key-map", rule);
        assertThat(rerun.code()).as(rerun.toString()).isZero();
        assertThat(rerun.out()).contains("0 new (0 B), 0 changed (0 B), 0 to delete, 2 unchanged");

        CliRunner.Result verified = cli("verify", "local:" + mapped, "local:" + dst, "--key-map", rule);
        assertThat(verified.code()).as(verified.toString()).isZero();
        CliRunner.Result unmapped = cli("verify", "local:" + mapped, "local:" + dst);
        assertThat(unmapped.code()).as("without the map the copy is not found: " + unmapped).isEqualTo(1);

        CliRunner.Result bad = cli("copy", "local:" + mapped, "local:" + dst, "--key-map", "replace:ab=c");
        assertThat(bad.code()).as(bad.toString()).isEqualTo(2);
        assertThat(bad.err()).contains("key map rule 'replace:ab=c' is malformed");
    }

    @Test
    void moveEmptiesTheSource() throws IOException {
        Map<String, Long> before = tree(src);
        CliRunner.Result r = cli("move", "local:" + src, "local:" + dst);
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(tree(dst)).isEqualTo(before);
        assertThat(tree(src)).isEmpty();
        int n = before.size();
        assertThat(r.out()).contains(n + " to remove from the source, ", "; removed from the source " + n + ", ")
                .doesNotContain("to delete");
        String report = r.out().lines().map(String::strip).filter(l -> l.endsWith(".html")).findFirst()
                .map(l -> l.substring(l.lastIndexOf(' ') + 1)).orElseThrow();
        assertThat(Files.readString(Path.of(report))).contains("Removed from the source", n + " to remove from the "
                + "source");
    }

    @Test
    void statusListsRunsAndResumeHasNothingToDo() {
        CliRunner.Result copy = cli("copy", "local:" + src, "local:" + dst);
        assertThat(copy.code()).as(copy.toString()).isZero();
        String runId = copy.out().lines().filter(l -> l.strip().startsWith("run id")).findFirst().orElseThrow()
                .strip().split("\\s+")[2];

        CliRunner.Result list = cli("status");
        assertThat(list.code()).as(list.toString()).isZero();
        assertThat(list.out()).contains(runId, "COMPLETE", "31/31");

        CliRunner.Result one = cli("status", runId);
        assertThat(one.code()).as(one.toString()).isZero();
        assertThat(one.out()).contains("COMPLETE", "31/31 done");

        assertThat(cli("status", "no-such-run").code()).isEqualTo(2);
        CliRunner.Result resume = cli("resume");
        assertThat(resume.code()).as(resume.toString()).isZero();
        assertThat(resume.out()).contains("nothing to resume");
    }

    @Test
    void missingSourceDirectoryIsBadInput() {
        CliRunner.Result r = cli("copy", "local:" + tmp.resolve("absent"), "local:" + dst);
        assertThat(r.code()).as(r.toString()).isEqualTo(2);
        assertThat(r.err()).startsWith("caravan: error: ").doesNotContain("\tat ");
    }
}
