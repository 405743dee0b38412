package dev.caravan.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two worker processes ({@code --journal postgres --worker wN}) share a copy with a {@code --files-from} list that
 * names keys the source lacks: only one of them plans, yet both summaries name the missing keys, and so does the
 * run's report, whichever worker wrote it.
 */
class SharedFilesFromIT {
    private static final int FILES = 300;

    @TempDir
    Path tmp;

    @Test
    void everyWorkerAndTheReportNameTheListedKeysTheSourceLacks() throws Exception {
        Path src = tmp.resolve("src");
        Path dst = tmp.resolve("dst");
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < FILES; i++) {
            Path f = src.resolve("d" + (i % 10)).resolve("f" + i + ".bin");
            Files.createDirectories(f.getParent());
            Files.writeString(f, UUID.randomUUID().toString());
            if (i % 3 != 0) {
                keys.add(src.relativize(f).toString());
            }
        }
        String gone = "gone-" + UUID.randomUUID();
        keys.add(gone);
        Path list = tmp.resolve("list.txt");
        Files.write(list, keys);
        try (PgDatabase db = PgDatabase.create("caravan_ffworkers")) {
            List<Process> workers = new ArrayList<>();
            try {
                for (String w : List.of("w1", "w2")) {
                    workers.add(ChildCaravan.start("256m", log(w), List.of("-Dcaravan.lease.seconds=4"), "--home",
                            tmp.resolve("home-" + w).toString(), "--no-progress", "--journal", db.url(), "copy",
                            ChildCaravan.uri(src), ChildCaravan.uri(dst), "--worker", w, "--files-from",
                            list.toString()));
                }
                for (int i = 0; i < workers.size(); i++) {
                    assertThat(workers.get(i).waitFor(3, TimeUnit.MINUTES)).as("worker finished").isTrue();
                    assertThat(workers.get(i).exitValue()).as(ChildCaravan.tail(log("w" + (i + 1)))).isZero();
                }
            } finally {
                workers.forEach(Process::destroyForcibly);
            }
            String planner = SharedWorkersIT.string(db, "SELECT planner FROM caravan_run");
            assertThat(planner).isIn("w1", "w2");
            String warning = "warning   1 key of the --files-from list is not on " + ChildCaravan.uri(src);
            for (String w : List.of("w1", "w2")) {
                assertThat(Files.readString(log(w))).as("summary of %s (planner: %s)", w, planner)
                        .contains(warning).contains("'" + gone + "'");
            }
            List<Path> reports = new ArrayList<>();
            for (String w : List.of("w1", "w2")) {
                Path dir = tmp.resolve("home-" + w).resolve("reports");
                if (Files.isDirectory(dir)) {
                    try (Stream<Path> files = Files.list(dir)) {
                        files.filter(p -> p.toString().endsWith(".json")).forEach(reports::add);
                    }
                }
            }
            assertThat(reports).as("the report of the worker that ended the run").hasSize(1);
            assertThat(Files.readString(reports.get(0))).contains("'" + gone + "'");
        }
        assertThat(Files.exists(dst.resolve("d1/f1.bin"))).isTrue();
        assertThat(Files.exists(dst.resolve("d0/f0.bin"))).as("not listed").isFalse();
    }

    private Path log(String worker) throws IOException {
        return tmp.resolve(worker + ".log");
    }
}
