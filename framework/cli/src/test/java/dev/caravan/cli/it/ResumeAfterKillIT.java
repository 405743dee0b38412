package dev.caravan.cli.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.caravan.api.journal.TaskRecord;
import dev.caravan.api.journal.TaskState;
import dev.caravan.core.journal.JdbcJournal;
import dev.caravan.core.journal.RunSummary;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A migration of 2,000 small files and three files of 100 MiB is killed with SIGKILL in the middle and run
 * again: every file must arrive byte-identical, no temporary file may be left, and the files the journal had
 * recorded as verified before the kill must not be copied again.
 */
class ResumeAfterKillIT {
    @TempDir
    Path tmp;

    @Test
    void killedRunResumesWithNothingLostAndNothingCopiedTwice() throws Exception {
        Path src = tmp.resolve("src");
        Path dst = tmp.resolve("dst");
        Path home = tmp.resolve("home");
        writeSourceTree(src);
        String[] args = {"--home", home.toString(), "--no-progress", "copy", ChildCaravan.uri(src),
            ChildCaravan.uri(dst), "--transfers", "4", "--bwlimit", "40M"};

        // given a run that is killed once a good part of the small files is verified in place
        Process first = ChildCaravan.start("256m", tmp.resolve("first.log"), args);
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(100))
                .ignoreExceptions() // Files.walk may race with a .partial being renamed away
                .until(() -> !first.isAlive() || countFiles(dst) >= 600);
        assertThat(first.isAlive()).as("the first run must still be running when killed: "
                + ChildCaravan.tail(tmp.resolve("first.log"))).isTrue();
        first.destroyForcibly().waitFor(); // SIGKILL on Linux

        // the journal as the killed process left it
        String journalUrl = "jdbc:h2:file:" + home.toAbsolutePath().resolve("journal");
        Map<String, Object> inodesOfDone = new HashMap<>();
        String runId;
        try (JdbcJournal journal = JdbcJournal.open(journalUrl)) {
            RunSummary run = journal.runs(1).get(0);
            assertThat(run.finishedAt()).isNull();
            runId = run.runId();
            try (Stream<TaskRecord> done = journal.tasks(runId, java.util.EnumSet.of(TaskState.DONE))) {
                for (TaskRecord t : done.toList()) {
                    inodesOfDone.put(t.spec().item(), Files.getAttribute(dst.resolve(t.spec().item()), "unix:ino"));
                }
            }
        }
        assertThat(inodesOfDone).hasSizeGreaterThan(100);
        assertThat(inodesOfDone.size()).isLessThan(2003);

        // when the same migration runs again
        int exit = ChildCaravan.run("256m", tmp.resolve("second.log"), args);
        assertThat(exit).as(ChildCaravan.tail(tmp.resolve("second.log"))).isZero();

        // then everything arrived, nothing is left over, and verified files were not copied again
        assertSameTree(src, dst);
        try (Stream<Path> all = Files.walk(dst)) {
            assertThat(all.filter(p -> p.getFileName().toString().endsWith(".partial"))).isEmpty();
        }
        try (JdbcJournal journal = JdbcJournal.open(journalUrl)) {
            assertThat(journal.run(runId).orElseThrow().outcome()).hasToString("COMPLETE");
            try (Stream<TaskRecord> done = journal.completedBy(runId)) {
                Map<String, Integer> attempts = done.collect(Collectors.toMap(t -> t.spec().item(), TaskRecord::attempts));
                for (String key : inodesOfDone.keySet()) {
                    assertThat(attempts.get(key)).as("attempts of %s", key).isEqualTo(1);
                }
            }
        }
        for (Map.Entry<String, Object> e : inodesOfDone.entrySet()) {
            assertThat(Files.getAttribute(dst.resolve(e.getKey()), "unix:ino"))
                    .as("%s was rewritten after the restart", e.getKey()).isEqualTo(e.getValue());
        }
    }

    private static void writeSourceTree(Path src) throws IOException {
        Random random = new Random(20261125);
        byte[] buf = new byte[64 * 1024];
        for (int i = 0; i < 2000; i++) {
            Path f = src.resolve("d" + (i % 20)).resolve("f" + i + ".bin");
            Files.createDirectories(f.getParent());
            int size = 4096 + random.nextInt(60 * 1024);
            random.nextBytes(buf);
            try (OutputStream out = Files.newOutputStream(f)) {
                out.write(buf, 0, size);
            }
        }
        byte[] block = new byte[1 << 20];
        for (int i = 0; i < 3; i++) {
            Path f = src.resolve("big").resolve("large" + i + ".bin");
            Files.createDirectories(f.getParent());
            try (OutputStream out = Files.newOutputStream(f)) {
                for (int mb = 0; mb < 100; mb++) {
                    random.nextBytes(block);
                    out.write(block);
                }
            }
        }
    }

    private static long countFiles(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().endsWith(".partial")).count();
        }
    }

    static void assertSameTree(Path src, Path dst) throws IOException {
        try (Stream<Path> s = Files.walk(src)) {
            for (Path f : s.filter(Files::isRegularFile).toList()) {
                Path copy = dst.resolve(src.relativize(f).toString());
                assertThat(copy).exists();
                assertThat(Files.mismatch(f, copy)).as("content of %s", copy).isEqualTo(-1L);
            }
        }
        try (Stream<Path> s = Files.walk(dst)) {
            assertThat(s.filter(Files::isRegularFile).count()).isEqualTo(countFiles(src));
        }
    }
}
