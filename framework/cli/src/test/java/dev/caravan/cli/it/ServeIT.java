package dev.caravan.cli.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.caravan.core.journal.JdbcJournal;
import dev.caravan.testkit.routes.TemplatedRouteYaml;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code caravan serve} as a process: SIGTERM during a scheduled run stops it within the timeout and a rerun
 * completes the migration with nothing lost; on a PostgreSQL journal two serve workers fire each schedule once for
 * the group (clustered Quartz) and share the runs.
 */
class ServeIT {
    private static final Pattern METRICS = Pattern.compile("metrics on http://127\\.0\\.0\\.1:(\\d+)/metrics");

    @TempDir
    Path tmp;

    private Path routes(String name, Path src, Path dst, String... params) throws IOException {
        return Files.writeString(tmp.resolve(name), TemplatedRouteYaml.ofLocations("scheduled-files", "nightly",
                ChildCaravan.uri(src), ChildCaravan.uri(dst), params));
    }

    @Test
    void sigtermDuringAScheduledRunStopsWithinTheTimeoutAndARerunCompletes() throws Exception {
        Path src = tmp.resolve("src");
        Path dst = tmp.resolve("dst");
        Path home = tmp.resolve("home");
        write(src, 120, 100_000);
        // fires at start, then hourly; 12 MB at 512 KiB/s (23 s): still running when SIGTERM comes, also on a
        // loaded machine where the checks below take seconds (at 1 MiB/s the copy once ended before them)
        Path slow = routes("slow.yaml", src, dst, "interval", "1h", "bandwidth", "512k");
        Process serve = ChildCaravan.start("256m", tmp.resolve("serve.log"), "--home", home.toString(), "serve",
                slow.toString(), "--metrics-port", "0", "--shutdown-timeout", "2s", "--worker", "solo");
        try {
            stopAndRerun(serve, src, dst, home);
        } finally {
            serve.destroyForcibly(); // never leave a server behind when an assertion failed
        }
    }

    private void stopAndRerun(Process serve, Path src, Path dst, Path home) throws Exception {
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(100)).until(() -> !serve.isAlive()
                || countFiles(dst) >= 15);
        assertThat(serve.isAlive()).as(ChildCaravan.tail(tmp.resolve("serve.log"))).isTrue();

        // while it runs: health, metrics and the schedule in 'caravan status'
        Matcher m = METRICS.matcher(Files.readString(tmp.resolve("serve.log")));
        assertThat(m.find()).as(ChildCaravan.tail(tmp.resolve("serve.log"))).isTrue();
        String base = "http://127.0.0.1:" + m.group(1);
        assertThat(get(base + "/health")).contains("UP");
        assertThat(get(base + "/metrics")).contains("caravan_bandwidth_limit_bytes{worker=\"solo\"} 524288.0")
                .contains("caravan_run_objects_planned{migration=\"nightly\",worker=\"solo\"} 120.0");
        var status = dev.caravan.cli.CliRunnerAccess.run("--home", home.toString(), "status");
        assertThat(status.code()).as(status.toString()).isZero();
        assertThat(status.out()).contains("SCHEDULE").containsPattern("nightly .*running")
                .contains("every PT1H (");

        long before = System.nanoTime();
        serve.destroy(); // SIGTERM
        assertThat(serve.waitFor(30, TimeUnit.SECONDS)).as("exits after SIGTERM").isTrue();
        assertThat(serve.exitValue()).as("the code of a process stopped by SIGTERM (it was 0 now and then)")
                .isEqualTo(143);
        double took = (System.nanoTime() - before) / 1e9;
        // the service's own events are on its output at the CLI's default level (docs/scheduling.md quotes them)
        assertThat(Files.readString(tmp.resolve("serve.log"))).contains("schedule nightly fired (scheduled ")
                .contains("stopping (up to PT2S for running migrations)")
                .doesNotContain("JobExecutionException"); // said once, in serve's words, not again by camel-quartz
        System.out.printf("serve stopped %.1f s after SIGTERM (timeout 2 s)%n", took);
        assertThat(took).as("stopped within the timeout plus start-stop overhead").isLessThan(12);
        assertThat(countFiles(dst)).as("interrupted mid-way").isLessThan(120);
        // stopped at a task boundary: the objects in flight were finished, none is left half-written
        try (Stream<Path> all = Files.walk(dst)) {
            assertThat(all.filter(p -> p.getFileName().toString().endsWith(".partial"))).isEmpty();
        }
        var stopped = dev.caravan.cli.CliRunnerAccess.run("--home", home.toString(), "status");
        assertThat(stopped.out()).as("%s%n--- serve.log (took %.1f s)%n%s", stopped, took,
                ChildCaravan.tail(tmp.resolve("serve.log"))).containsPattern("nightly .*STOPPED").contains("UNFINISHED")
                .as("the clean stop is seen at once").contains("(no worker serving it: the last serve stopped at ");

        // a rerun (once, now, without the bandwidth limit) resumes the run and completes it
        Path fast = routes("fast.yaml", src, dst, "interval", "1h");
        int exit = ChildCaravan.run("256m", tmp.resolve("rerun.log"), "--home", home.toString(), "--no-progress",
                "run", fast.toString());
        assertThat(exit).as(ChildCaravan.tail(tmp.resolve("rerun.log"))).isZero();
        assertThat(Files.readString(tmp.resolve("rerun.log"))).contains("resumed");
        ResumeAfterKillIT.assertSameTree(src, dst);
        try (Stream<Path> all = Files.walk(dst)) {
            assertThat(all.filter(p -> p.getFileName().toString().endsWith(".partial"))).isEmpty();
        }
    }

    /**
     * A second serve of the same file on the same home started without a word and fired the schedule too (its runs
     * refused every time): it now refuses to start, exit code 2, naming the serve process that runs the schedule.
     */
    @Test
    void aSecondServeOfTheSameScheduleOnTheSameHomeExitsWith2() throws Exception {
        Path src = tmp.resolve("src");
        write(src, 3, 100);
        Path yaml = routes("twice.yaml", src, tmp.resolve("dst"), "interval", "1h");
        Path home = tmp.resolve("home");
        Process first = ChildCaravan.start("256m", tmp.resolve("first.log"), "--home", home.toString(), "serve",
                yaml.toString(), "--metrics-port", "-1");
        try {
            await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(100)).until(() -> !first.isAlive()
                    || Files.readString(tmp.resolve("first.log")).contains("SIGTERM or Ctrl-C stops"));
            assertThat(first.isAlive()).as(ChildCaravan.tail(tmp.resolve("first.log"))).isTrue();

            int exit = ChildCaravan.run("256m", tmp.resolve("second.log"), "--home", home.toString(), "serve",
                    yaml.toString(), "--metrics-port", "-1");

            String second = Files.readString(tmp.resolve("second.log"));
            assertThat(exit).as(second).isEqualTo(2);
            assertThat(second).contains("schedule 'nightly' is served by another caravan serve on this journal now (")
                    .contains(" pid " + first.pid() + ")").doesNotContain("Exception");
        } finally {
            first.destroy();
            first.waitFor(30, TimeUnit.SECONDS);
            first.destroyForcibly();
        }
    }

    @Test
    void twoServeWorkersFireEachScheduleOnceAndShareTheRuns() throws Exception {
        Path src = tmp.resolve("src");
        Path dst = tmp.resolve("dst");
        write(src, 2000, 1500);
        // every 3 s; the first run (3 MB at 300 kB/s per worker) lasts long enough for the other worker to join
        Path yaml = routes("group.yaml", src, dst, "interval", "3s", "bandwidth", "300k");
        try (PgDatabase db = PgDatabase.create("caravan_serve")) {
            List<Process> workers = new ArrayList<>();
            for (String w : List.of("s1", "s2")) {
                workers.add(ChildCaravan.start("256m", tmp.resolve(w + ".log"), List.of("-Dcaravan.lease.seconds=5"),
                        "--journal", db.url(), "--home", tmp.resolve("home-" + w).toString(), "serve", yaml.toString(),
                        "--metrics-port", "-1", "--worker", w, "--shutdown-timeout", "5s"));
            }
            int statusCode;
            String statusOut;
            try {
                await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200)).until(() ->
                        workers.stream().anyMatch(p -> !p.isAlive()) || SharedWorkersIT.count(db,
                                "SELECT COUNT(*) FROM caravan_schedule_fire WHERE finished_at IS NOT NULL") >= 4);
                var status = dev.caravan.cli.CliRunnerAccess.run("--journal", db.url(), "status");
                statusCode = status.code();
                statusOut = status.toString();
                for (Process p : workers) {
                    p.destroy();
                }
                for (Process p : workers) {
                    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
                }
            } finally {
                workers.forEach(Process::destroyForcibly);
            }
            String logs = Files.readString(tmp.resolve("s1.log")) + Files.readString(tmp.resolve("s2.log"));
            assertThat(SharedWorkersIT.count(db, "SELECT COUNT(*) FROM caravan_schedule_fire")).as(logs)
                    .isGreaterThanOrEqualTo(4);
            assertThat(logs).doesNotContain("fired a second time").doesNotContain("Exception");
            assertThat(statusCode).as(statusOut).isZero();
            assertThat(statusOut).contains("SCHEDULE").contains("nightly").contains("COMPLETE");

            // one fire per scheduled time for the whole group: scheduled times are whole intervals apart
            List<long[]> fires = new ArrayList<>();
            List<String> runIds = new ArrayList<>();
            try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement("SELECT scheduled_at, run_id,"
                    + " outcome FROM caravan_schedule_fire WHERE finished_at IS NOT NULL ORDER BY scheduled_at");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    fires.add(new long[] {rs.getLong(1)});
                    runIds.add(rs.getString(2));
                    assertThat(rs.getString(3)).isEqualTo("COMPLETE");
                }
            }
            assertThat(fires).hasSizeGreaterThanOrEqualTo(4);
            for (int i = 1; i < fires.size(); i++) {
                long gap = fires.get(i)[0] - fires.get(i - 1)[0];
                assertThat(gap).as("gap between scheduled fire times").isPositive();
                assertThat(gap % 3000).as("whole intervals apart: " + gap).isZero();
            }
            assertThat(SharedWorkersIT.count(db, "SELECT COUNT(*) FROM caravan_run")).as("one run per fire")
                    .isEqualTo(SharedWorkersIT.count(db, "SELECT COUNT(*) FROM caravan_schedule_fire"));
            // the first run copied everything, and both workers took part
            try (JdbcJournal journal = JdbcJournal.open(db.url())) {
                Map<String, Integer> claims = journal.leases().claimsByWorker(runIds.get(0));
                assertThat(claims).containsOnlyKeys("s1", "s2");
            }
            ResumeAfterKillIT.assertSameTree(src, dst);
        }
    }

    private static String get(String url) throws IOException, InterruptedException {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        return r.statusCode() + " " + r.body();
    }

    private static void write(Path dir, int files, int size) throws IOException {
        Random random = new Random(files);
        byte[] buf = new byte[size];
        for (int i = 0; i < files; i++) {
            Path f = dir.resolve("d" + i % 10).resolve("f" + i + ".bin");
            Files.createDirectories(f.getParent());
            random.nextBytes(buf);
            Files.write(f, buf);
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
}
