package dev.caravan.cli.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Caravan processes on one home (one embedded journal): a migration runs, {@code caravan status} shows it while it
 * runs, the same migration started again meanwhile is refused (exit 2, nothing done), and a second migration runs at
 * the same time and ends after the first has exited.
 */
class ConcurrentCommandsIT {
    @TempDir
    Path tmp;

    @Test
    void statusAndASecondMigrationRunWhileAMigrationHoldsTheJournal() throws Exception {
        // 4 MB at 200 KB/s, about 20 s: the status commands and the refused copy (which waits 5 s for the first to
        // exit) take up to 15 s on a loaded two-core machine (with 20 files the first ended before, and the refused
        // copy ran: seen in CI)
        int n = 40;
        Path src = files(n, 7);
        String home = tmp.resolve("home").toString();
        Path first = tmp.resolve("first");
        Process running = slowCopyUnderWay(home, src, first, 2);

        int status = ChildCaravan.run("256m", tmp.resolve("status.log"), "--home", home, "status");
        assertThat(status).as(ChildCaravan.tail(tmp.resolve("status.log"))).isZero();
        assertThat(Files.readString(tmp.resolve("status.log"))).contains("UNFINISHED", "-> " + ChildCaravan.uri(first));
        String runId = Files.readAllLines(tmp.resolve("status.log")).stream().filter(l -> l.contains("UNFINISHED"))
                .findFirst().orElseThrow().split(" ")[0];
        assertThat(ChildCaravan.run("256m", tmp.resolve("run.log"), "--home", home, "status", runId)).isZero();
        assertThat(Files.readString(tmp.resolve("run.log"))).as("the process running it is named")
                .contains("state      UNFINISHED  (running in ", " pid " + running.pid() + ")");

        // the same migration again, while the first process runs it: refused (after waiting 5 s for the first to
        // exit, as one interrupted a moment ago would), nothing done
        int again = ChildCaravan.run("256m", tmp.resolve("again.log"), "--home", home, "--no-progress", "copy",
                ChildCaravan.uri(src), ChildCaravan.uri(first));
        assertThat(again).as(ChildCaravan.tail(tmp.resolve("again.log"))).isEqualTo(2);
        assertThat(Files.readString(tmp.resolve("again.log"))).contains("is being run by another process now (",
                " pid " + running.pid() + ", last seen at ", "nothing was done");
        assertThat(running.isAlive()).as("the first goes on").isTrue();

        Path second = tmp.resolve("second");
        Process alongside = ChildCaravan.start("256m", tmp.resolve("second.log"), "--home", home, "--no-progress",
                "copy", ChildCaravan.uri(src), ChildCaravan.uri(second), "--bwlimit", "150K"); // ends after the first
        assertThat(running.waitFor()).as(ChildCaravan.tail(tmp.resolve("first.log"))).isZero();
        assertThat(alongside.isAlive()).as("the second migration outlives the process whose journal it uses")
                .isTrue();
        assertThat(alongside.waitFor()).as(ChildCaravan.tail(tmp.resolve("second.log"))).isZero();
        assertThat(Files.readString(tmp.resolve("second.log"))).contains("complete and verified", n + " match");
        assertThat(files(first)).isEqualTo(n);
        assertThat(files(second)).isEqualTo(n);
        for (int i = 0; i < n; i++) {
            byte[] original = Files.readAllBytes(src.resolve("f" + i + ".bin"));
            assertThat(Files.readAllBytes(second.resolve("f" + i + ".bin"))).isEqualTo(original);
        }
    }

    /**
     * A command stopped (Ctrl-Z, kill -STOP) while it hosts the home's embedded journal: another command cannot open
     * the journal (H2 asks the host and would wait for its answer for ever); it says why and exits 2, having done
     * nothing, and the stopped command, continued, completes.
     */
    @Test
    void aCommandStoppedWhileItHostsTheJournalMakesTheOthersSayWhyInsteadOfHanging() throws Exception {
        Path src = files(10, 8);
        String home = tmp.resolve("home").toString();
        Path first = tmp.resolve("first");
        Process running = slowCopyUnderWay(home, src, first, 1); // about 5 s
        assertThat(new ProcessBuilder("kill", "-STOP", Long.toString(running.pid())).start().waitFor()).isZero();
        try {
            long t0 = System.nanoTime();
            Process status = ChildCaravan.start("256m", tmp.resolve("status.log"),
                    java.util.List.of("-Dcaravan.journal.answer.seconds=5"), "--home", home, "status");
            assertThat(status.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).as("it does not hang").isTrue();
            assertThat(status.exitValue()).as(ChildCaravan.tail(tmp.resolve("status.log"))).isEqualTo(2);
            assertThat(Files.readString(tmp.resolve("status.log"))).contains("waiting for the journal at ",
                    "did not answer within 5 s: nothing was done", "if one is stopped (Ctrl-Z, kill -STOP), continue it");
            assertThat(Files.readString(tmp.resolve("status.log")).split("waiting for the journal", -1))
                    .as("waited for once").hasSize(2);
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(25));
        } finally {
            new ProcessBuilder("kill", "-CONT", Long.toString(running.pid())).start().waitFor();
        }
        assertThat(running.waitFor()).as(ChildCaravan.tail(tmp.resolve("first.log"))).isZero();
        assertThat(Files.readString(tmp.resolve("first.log"))).contains("complete and verified", "10 match");
    }

    /** {@code n} files of 100,000 random bytes in {@code tmp/src}. */
    private Path files(int n, long seed) throws IOException {
        Path src = tmp.resolve("src");
        Files.createDirectories(src);
        Random random = new Random(seed);
        for (int i = 0; i < n; i++) {
            byte[] bytes = new byte[100_000];
            random.nextBytes(bytes);
            Files.write(src.resolve("f" + i + ".bin"), bytes);
        }
        return src;
    }

    /** A copy at 200 KB/s started in a process of its own (log: first.log), once it has written {@code copied} files. */
    private Process slowCopyUnderWay(String home, Path src, Path target, int copied) throws IOException {
        Process running = ChildCaravan.start("256m", tmp.resolve("first.log"), "--home", home, "--no-progress",
                "copy", ChildCaravan.uri(src), ChildCaravan.uri(target), "--bwlimit", "200K");
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(50))
                .until(() -> !running.isAlive() || files(target) >= copied);
        assertThat(running.isAlive()).as(ChildCaravan.tail(tmp.resolve("first.log"))).isTrue();
        return running;
    }

    private static long files(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> all = Files.list(dir)) {
            return all.filter(p -> p.getFileName().toString().endsWith(".bin")).count();
        }
    }
}
