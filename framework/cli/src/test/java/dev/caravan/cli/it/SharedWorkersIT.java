package dev.caravan.cli.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.caravan.core.journal.JdbcJournal;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three worker processes ({@code caravan copy ... --journal postgres --worker wN}) share one migration of 20,000
 * small files; one is killed with SIGKILL halfway. Every file must arrive once and verified, the killed worker's
 * partitions must be finished by the others (their leases expire), and each worker must have done a share.
 */
class SharedWorkersIT {
    private static final int FILES = 20_000;

    @TempDir
    Path tmp;

    @Test
    void threeWorkersShareAMigrationAndTakeOverTheKilledOnesPartitions() throws Exception {
        Path src = tmp.resolve("src");
        Path dst = tmp.resolve("dst");
        long t0 = System.nanoTime();
        writeSource(src);
        long t1 = System.nanoTime();
        try (PgDatabase db = PgDatabase.create("caravan_workers")) {
            List<Process> workers = new ArrayList<>();
            try {
                for (int i = 1; i <= 3; i++) {
                    workers.add(start(db.url(), "w" + i, src, dst));
                }
                shareAndKill(db, workers, src, dst, t0, t1);
            } finally {
                workers.forEach(Process::destroyForcibly); // never leave a worker behind when an assertion failed
            }
        }
    }

    private void shareAndKill(PgDatabase db, List<Process> workers, Path src, Path dst, long t0, long t1)
            throws Exception {
        Process victim = workers.get(1);

        // halfway, w2 is frozen (SIGSTOP) at a moment it holds an unfinished partition, then killed (SIGKILL). Frozen,
        // it cannot finish that partition between the test's look at the journal and the kill; its completions are
        // written to the journal up to 200 ms late, so the journal alone cannot tell how much of a partition is left.
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(100)).until(() ->
                !victim.isAlive() || count(db, "SELECT COUNT(*) FROM caravan_task WHERE state = 'DONE'") >= FILES / 2);
        Set<Integer> held = Set.of();
        for (int attempt = 0; held.isEmpty(); attempt++) {
            assertThat(victim.isAlive()).as("w2 still running when frozen: " + ChildCaravan.tail(log("w2"))).isTrue();
            assertThat(attempt).as("w2 found holding a partition while frozen").isLessThan(200);
            signal(victim, "STOP");
            Thread.sleep(200); // a commit w2 sent before it stopped is done by then
            held = ints(db, "SELECT part FROM caravan_partition WHERE owner = 'w2' AND done = FALSE"
                    + " AND part < 1000000");
            if (held.isEmpty()) { // between two partitions
                signal(victim, "CONT");
                Thread.sleep(30);
            }
        }
        victim.destroyForcibly().waitFor(); // SIGKILL on Linux
        long t2 = System.nanoTime();
        Map<String, Object> inodesOfDone = inodes(db, dst);
        assertThat(inodesOfDone.size()).isBetween(FILES / 3, FILES - 1);

        // then the two others finish the run
        for (Process p : List.of(workers.get(0), workers.get(2))) {
            assertThat(p.waitFor(3, TimeUnit.MINUTES)).as("worker finished").isTrue();
        }
        long t3 = System.nanoTime();
        System.out.printf("source written in %.1f s; w2 killed after %.1f s; run finished after %.1f s%n",
                (t1 - t0) / 1e9, (t2 - t1) / 1e9, (t3 - t1) / 1e9);
        assertThat(workers.get(0).exitValue()).as(ChildCaravan.tail(log("w1"))).isZero();
        assertThat(workers.get(2).exitValue()).as(ChildCaravan.tail(log("w3"))).isZero();

        // every file arrived, byte for byte, and no temporary is left
        ResumeAfterKillIT.assertSameTree(src, dst);
        try (Stream<Path> all = Files.walk(dst)) {
            assertThat(all.filter(p -> p.getFileName().toString().endsWith(".partial"))).isEmpty();
        }
        String runId = string(db, "SELECT run_id FROM caravan_run");
        assertThat(string(db, "SELECT outcome FROM caravan_run WHERE run_id = '" + runId + "'")).isEqualTo("COMPLETE");
        // journal: every task DONE once, each verified before it was published
        assertThat(count(db, "SELECT COUNT(*) FROM caravan_task")).isEqualTo(FILES);
        assertThat(count(db, "SELECT COUNT(DISTINCT item) FROM caravan_task WHERE state = 'DONE' AND run_id = '"
                + runId + "'")).isEqualTo(FILES);
        assertThat(count(db, "SELECT COUNT(*) FROM caravan_task WHERE report LIKE '%\"verify.method\":\"sha256\"%'"))
                .isEqualTo(FILES);
        // what was recorded done when w2 died was never written again
        int rewritten = 0;
        for (Map.Entry<String, Object> e : inodesOfDone.entrySet()) {
            if (!Files.getAttribute(dst.resolve(e.getKey()), "unix:ino").equals(e.getValue())) {
                rewritten++;
            }
        }
        assertThat(rewritten).as("files rewritten after they were recorded done").isZero();
        // the killed worker's partitions were taken over and finished by the others
        for (int part : held) {
            assertThat(string(db, "SELECT owner FROM caravan_partition WHERE part = " + part)).isIn("w1", "w3");
            assertThat(count(db, "SELECT claims FROM caravan_partition WHERE part = " + part)).isGreaterThanOrEqualTo(2);
        }
        assertThat(count(db, "SELECT COUNT(*) FROM caravan_partition WHERE done = FALSE")).isZero();
        // only tasks of the taken-over partitions were begun more than once
        Set<Integer> retried = ints(db, "SELECT DISTINCT part FROM caravan_task WHERE attempts > 1");
        assertThat(held).containsAll(retried);
        // each worker did a share
        try (JdbcJournal journal = JdbcJournal.open(db.url())) {
            Map<String, Integer> claims = journal.leases().claimsByWorker(runId);
            assertThat(claims).containsOnlyKeys("w1", "w2", "w3");
            claims.values().forEach(n -> assertThat(n).isPositive());
        }
    }

    private static void signal(Process p, String signal) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).inheritIO().start();
        assertThat(kill.waitFor()).as("kill -" + signal).isZero();
    }

    private Path log(String worker) {
        return tmp.resolve(worker + ".log");
    }

    private Process start(String url, String worker, Path src, Path dst) throws IOException {
        return ChildCaravan.start("256m", log(worker), List.of("-Dcaravan.lease.seconds=4"), "--home",
                tmp.resolve("home-" + worker).toString(), "--no-progress", "--journal", url, "copy",
                ChildCaravan.uri(src), ChildCaravan.uri(dst), "--worker", worker, "--transfers", "4");
    }

    private static void writeSource(Path src) throws IOException {
        Random random = new Random(6);
        byte[] buf = new byte[1200];
        for (int i = 0; i < FILES; i++) {
            Path f = src.resolve("d" + (i % 100)).resolve("f" + i + ".bin");
            if (i < 100) {
                Files.createDirectories(f.getParent());
            }
            random.nextBytes(buf);
            Files.write(f, java.util.Arrays.copyOf(buf, 200 + random.nextInt(1000)));
        }
    }

    private static Map<String, Object> inodes(PgDatabase db, Path dst) throws SQLException, IOException {
        Map<String, Object> out = new HashMap<>();
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement(
                "SELECT item FROM caravan_task WHERE state = 'DONE'"); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.put(rs.getString(1), Files.getAttribute(dst.resolve(rs.getString(1)), "unix:ino"));
            }
        }
        return out;
    }

    static long count(PgDatabase db, String sql) throws SQLException {
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getLong(1) : 0;
        } catch (SQLException e) {
            if ("42P01".equals(e.getSQLState())) {
                return 0; // the first worker has not created the journal yet
            }
            throw e;
        }
    }

    static String string(PgDatabase db, String sql) throws SQLException {
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    private static Set<Integer> ints(PgDatabase db, String sql) throws SQLException {
        Set<Integer> out = new HashSet<>();
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(rs.getInt(1));
            }
        }
        return out;
    }
}
