package dev.caravan.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code --include-from}, {@code --exclude-from} and {@code --files-from} on local folders: what is copied (read back
 * from the target), the keys a list names that the source lacks (plan and run), what a sync deletes, bad input.
 */
class FilterFilesCliTest {
    @TempDir
    Path tmp;
    private Path home;
    private Path src;
    private Path dst;

    @BeforeEach
    void tree() throws IOException {
        home = tmp.resolve("home");
        src = tmp.resolve("src");
        dst = tmp.resolve("dst");
        for (String key : List.of("a.csv", "b.csv", "tmp/x.csv", "c.txt", "d.log", "dir/e f.txt")) {
            write(src.resolve(key), "content of " + key);
        }
    }

    private static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }

    private String file(String name, String text) throws IOException {
        Path f = tmp.resolve(name);
        Files.writeString(f, text, StandardCharsets.UTF_8);
        return f.toString();
    }

    private CliRunner.Result caravan(String command, String... args) {
        String[] all = new String[args.length + 3];
        all[0] = command;
        all[1] = "local:" + src;
        all[2] = "local:" + dst;
        System.arraycopy(args, 0, all, 3, args.length);
        return CliRunner.inHome(home, all);
    }

    /** The target's files, each as {@code key=content}. */
    private List<String> target() throws IOException {
        if (!Files.exists(dst)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(dst)) {
            return files.filter(Files::isRegularFile).map(f -> {
                try {
                    return dst.relativize(f).toString() + "=" + Files.readString(f);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).sorted().toList();
        }
    }

    @Test
    void globFilesAddToTheCommandLineGlobsAndAnExcludeWinsWhereverItComesFrom() throws IOException {
        String includes = file("inc.txt", "# data\r\n*.csv\r\n\r\n");
        String excludes = file("exc.txt", "tmp/**\n");
        CliRunner.Result r = caravan("copy", "--include", "*.txt", "--include-from", includes, "--exclude-from",
                excludes, "--exclude", "c.*");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(target()).containsExactly("a.csv=content of a.csv", "b.csv=content of b.csv",
                "dir/e f.txt=content of dir/e f.txt");
    }

    @Test
    void filesFromCopiesOnlyTheListedKeysAndNamesThoseTheSourceLacks() throws IOException {
        String list = file("list.txt", "# wanted\r\n./a.csv\r\n/dir/e f.txt\r\nnot-there.csv\r\n\r\n");
        CliRunner.Result plan = caravan("copy", "--files-from", list, "--dry-run");
        assertThat(plan.out()).as(plan.toString()).contains("files-from-missing")
                .contains("1 key of the --files-from list is not on local:" + src)
                .contains("'not-there.csv'");
        assertThat(target()).as("a plan writes nothing").isEmpty();

        CliRunner.Result run = caravan("copy", "--files-from", list);
        assertThat(run.code()).as(run.toString()).isZero();
        assertThat(run.out() + run.err()).contains("1 key of the --files-from list is not on").contains(
                "'not-there.csv'");
        assertThat(target()).containsExactly("a.csv=content of a.csv", "dir/e f.txt=content of dir/e f.txt");
    }

    @Test
    void aSyncWithFilesFromDeletesOnlyListedKeysTheSourceLacks() throws IOException {
        write(dst.resolve("unlisted.txt"), "kept");
        write(dst.resolve("gone.txt"), "listed, not on the source");
        write(dst.resolve("a.csv"), "content of a.csv");
        String list = file("list.txt", "a.csv\ngone.txt\nb.csv\n");
        CliRunner.Result r = caravan("sync", "--files-from", list);
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(target()).containsExactly("a.csv=content of a.csv", "b.csv=content of b.csv",
                "unlisted.txt=kept");
    }

    @Test
    void theMaxDeleteGuardStillAppliesToASyncWithFilesFrom() throws IOException {
        write(dst.resolve("gone1.txt"), "1");
        write(dst.resolve("gone2.txt"), "2");
        String list = file("list.txt", "gone1.txt\ngone2.txt\na.csv\n");
        CliRunner.Result r = caravan("sync", "--files-from", list, "--max-delete", "1");
        assertThat(r.code()).as(r.toString()).isEqualTo(2);
        assertThat(target()).containsExactly("gone1.txt=1", "gone2.txt=2");
    }

    @Test
    void verifyWithFilesFromComparesTheListedKeysAndReportsThoseTheSourceLacks() throws IOException {
        write(dst.resolve("a.csv"), "content of a.csv");
        assertThat(caravan("verify", "--files-from", file("ok.txt", "a.csv\n")).code()).isZero();
        CliRunner.Result r = caravan("verify", "--files-from", file("stale.txt", "a.csv\nold.csv\n"));
        assertThat(r.code()).as(r.toString()).isEqualTo(1);
        assertThat(r.out()).contains("MISSING_ON_SOURCE").contains("'old.csv'");
    }

    @Test
    void badFilterFilesAreRefusedWithExitCode2BeforeAnythingIsWritten() throws IOException {
        String missing = tmp.resolve("no-such-list.txt").toString();
        assertBadInput(caravan("sync", "--files-from", missing), "cannot read --files-from '" + missing
                + "': no such file");
        String badGlob = file("bad.txt", "*.csv\n[abc\n");
        assertBadInput(caravan("copy", "--exclude-from", badGlob), "--exclude-from '" + badGlob + "' line 2",
                "bad glob '[abc'");
        String hostile = file("hostile.txt", "a.csv\n\n../../etc/passwd\n");
        assertBadInput(caravan("copy", "--files-from", hostile), "--files-from '" + hostile + "' line 3",
                "'..' segment");
        assertBadInput(caravan("copy", "--files-from", "-", "--include-from", "-"), "standard input (-)");
        assertThat(target()).isEmpty();
        assertThat(home.resolve("journal.mv.db")).as("no journal opened").doesNotExist();
    }

    private static void assertBadInput(CliRunner.Result r, String... fragments) {
        assertThat(r.code()).as(r.toString()).isEqualTo(2);
        for (String f : fragments) {
            assertThat(r.err()).as(r.toString()).contains(f);
        }
    }

    @Test
    void aDashReadsTheListFromStandardInput() {
        CommandLine.ParseResult pr = CliRunner.parser().parseArgs("copy", "local:/a", "local:/b", "--files-from",
                "-");
        FilterOptions options = ((CopyCommand) pr.subcommand().commandSpec().userObject()).filters;
        var filters = options.toFilters(new ByteArrayInputStream("b\r\n/a\n".getBytes(StandardCharsets.UTF_8)));
        assertThat(filters.filesFrom().keys()).containsExactly("a", "b");
        assertThat(filters.describe()).isEqualTo("files from - (2 keys)");
    }
}
