package dev.caravan.examples.cloud;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.api.journal.RunOutcome;
import dev.caravan.api.journal.TaskRecord;
import dev.caravan.api.journal.TaskState;
import dev.caravan.core.journal.JdbcJournal;
import dev.caravan.core.journal.RunSummary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.stream.Stream;

/**
 * The kill loop of the chaos tests: one {@code caravan} command run in a child JVM again and again, each run stopped
 * after a seeded random delay (SIGKILL, or SIGTERM as Ctrl-C or a service stop sends it), then run to its end. Between
 * runs the journal is read ({@link Snapshot}) and each rerun is checked against what the run before it recorded:
 * a task done stays done and is not begun again, and a multipart upload with recorded parts is continued (same
 * upload id, those parts kept), not begun anew. The seed is printed, so a failure can be replayed with
 * {@code -Dcaravan.it.chaosSeed=N}.
 */
final class ChaosRuns {
    /** What the journal says of one task between two runs. */
    record TaskFacts(TaskState state, int attempts, long size, long bytesCheckpointed, String uploadId,
            long recordedBytes) {
    }

    /** The tasks of the newest run of a journal, by item. */
    record Snapshot(String runId, Map<String, TaskFacts> tasks) {
    }

    private final Path home;
    private final Path logs;
    private final Random random;
    private final long seed;

    ChaosRuns(Path home, Path logs, String name) {
        this.home = home;
        this.logs = logs;
        this.seed = Long.getLong("caravan.it.chaosSeed", System.nanoTime());
        this.random = new Random(seed);
        System.out.printf("%s: chaos seed %d (replay with -Dcaravan.it.chaosSeed=%d)%n", name, seed, seed);
    }

    /**
     * Runs {@code args} {@code kills} times, each stopped (every {@code termEvery}-th with SIGTERM, else SIGKILL):
     * odd runs after a random delay between {@code minMillis} and {@code maxMillis}, even ones a random 0 to 1 s
     * after {@code partsHeld} (the parts of unfinished uploads the server holds) first grows in the run (polled every
     * 100 ms; at {@code maxMillis} when it does not), so that some kills land mid-object whatever the machine's
     * speed. The journal is checked between runs ({@link #checkNothingRedone}, {@link #checkResumable} for objects
     * above {@code resumableAbove} bytes); returns its state before the last, unbroken, run (the caller runs it).
     */
    Snapshot killRepeatedly(List<String> args, int kills, long minMillis, long maxMillis, int termEvery,
            LongSupplier partsHeld, long resumableAbove) throws Exception {
        Snapshot before = snapshot();
        for (int k = 1; k <= kills; k++) {
            boolean term = termEvery > 0 && k % termEvery == 0;
            boolean midUpload = k % 2 == 0;
            long delay = midUpload ? random.nextInt(1000)
                    : minMillis + (long) (random.nextDouble() * (maxMillis - minMillis));
            Path log = logs.resolve("run" + k + ".log");
            long heldBefore = midUpload ? partsHeld.getAsLong() : 0;
            Process p = child(args, log);
            long started = System.nanoTime();
            if (midUpload) {
                while (p.isAlive() && partsHeld.getAsLong() <= heldBefore
                        && System.nanoTime() - started < maxMillis * 1_000_000) {
                    p.waitFor(100, TimeUnit.MILLISECONDS);
                }
            }
            boolean ended = p.waitFor(delay, TimeUnit.MILLISECONDS);
            if (!ended) {
                if (term) {
                    p.destroy();
                } else {
                    p.destroyForcibly();
                }
                p.waitFor();
            }
            System.out.printf("run %d: %s %d ms after %s (%d ms after its start), exit %d%n", k,
                    ended ? "ended by itself" : term ? "SIGTERM" : "SIGKILL", delay,
                    midUpload ? "a new part was seen on the server" : "its start",
                    (System.nanoTime() - started) / 1_000_000, p.exitValue());
            if (ended) {
                assertThat(p.exitValue()).as("a run that ended by itself:\n%s", tail(log)).isZero();
            }
            Snapshot after = snapshot();
            checkNothingRedone(before, after);
            checkResumable(after, resumableAbove);
            before = after;
        }
        return before;
    }

    /**
     * What {@code later} may say after {@code earlier} of the same run: a task done stays done, begun no more; an
     * upload with recorded parts is the same upload with at least those parts, unless the task is done now.
     */
    static void checkNothingRedone(Snapshot earlier, Snapshot later) {
        if (earlier.runId() == null || !earlier.runId().equals(later.runId())) {
            return; // a first run, or a new one (the previous completed)
        }
        earlier.tasks().forEach((item, was) -> {
            TaskFacts now = later.tasks().get(item);
            assertThat(now).as("task of %s still planned", item).isNotNull();
            if (was.state() == TaskState.DONE) {
                assertThat(now.state()).as("%s was done", item).isEqualTo(TaskState.DONE);
                assertThat(now.attempts()).as("%s was done: not begun again", item).isEqualTo(was.attempts());
            } else if (was.uploadId() != null && was.recordedBytes() > 0 && now.state() != TaskState.DONE
                    && now.uploadId() != null) {
                assertThat(now.uploadId()).as("%s: the upload with recorded parts is continued", item)
                        .isEqualTo(was.uploadId());
                assertThat(now.recordedBytes()).as("%s: recorded parts kept", item)
                        .isGreaterThanOrEqualTo(was.recordedBytes());
            }
        });
    }

    /**
     * Every object above {@code resumableAbove} bytes (what the target's put would send in parts) that a killed run
     * had begun to send is recorded as a multipart upload to go on from, not as bytes sent that a rerun cannot use.
     */
    static void checkResumable(Snapshot snapshot, long resumableAbove) {
        snapshot.tasks().forEach((item, t) -> {
            if (t.state() == TaskState.RUNNING && t.size() > resumableAbove && t.bytesCheckpointed() > 0) {
                assertThat(t.uploadId()).as("%s (%d bytes) was being sent: its upload is recorded", item, t.size())
                        .isNotNull();
            }
        });
    }

    /** The tasks of the newest run of the journal (none before the first run). */
    Snapshot snapshot() {
        if (!Files.exists(home.resolve("journal.mv.db"))) {
            return new Snapshot(null, Map.of());
        }
        try (JdbcJournal journal = JdbcJournal.open(url())) {
            List<RunSummary> runs = journal.runs(1);
            if (runs.isEmpty()) {
                return new Snapshot(null, Map.of());
            }
            Map<String, TaskFacts> tasks = new TreeMap<>();
            try (Stream<TaskRecord> s = journal.tasks(runs.get(0).runId(), EnumSet.allOf(TaskState.class))) {
                s.forEach(t -> tasks.put(t.spec().item(), new TaskFacts(t.state(), t.attempts(),
                        t.spec().size(), Long.parseLong(t.checkpoint().values().getOrDefault("copy.bytes", "0")),
                        t.checkpoint().get("mpu.uploadId"), recorded(t))));
            }
            return new Snapshot(runs.get(0).runId(), tasks);
        }
    }

    private static long recorded(TaskRecord t) {
        String b = t.checkpoint().get("mpu.uploadId") == null ? null : t.checkpoint().get("copy.bytes");
        return b == null ? 0 : Long.parseLong(b);
    }

    /**
     * The bytes the last run sent for each object ({@code copy.bytesSent} of the reports of the tasks it
     * completed), checked against {@code before}: an upload resumed from recorded parts sends at most the rest.
     * Returns the total sent.
     */
    long checkLastRunSentOnlyTheRest(Snapshot before) {
        try (JdbcJournal journal = JdbcJournal.open(url())) {
            RunSummary last = journal.runs(1).get(0);
            assertThat(last.outcome()).isEqualTo(RunOutcome.COMPLETE);
            long total = 0;
            try (Stream<TaskRecord> done = journal.completedBy(last.runId())) {
                for (TaskRecord t : done.toList()) {
                    TaskFacts was = before.tasks().get(t.spec().item());
                    if (was != null && was.state() == TaskState.DONE) {
                        continue; // done by a killed run of the same run id
                    }
                    String sentText = t.report().values().get("copy.bytesSent");
                    long sent = sentText == null ? t.spec().size() : Long.parseLong(sentText);
                    long recordedBefore = was == null ? 0 : was.recordedBytes();
                    assertThat(sent).as("%s: sent by the last run, with %d bytes recorded before it", t.spec().item(),
                            recordedBefore).isLessThanOrEqualTo(Math.max(0, t.spec().size() - recordedBefore));
                    total += sent;
                }
            }
            return total;
        }
    }

    private String url() {
        return "jdbc:h2:file:" + home.toAbsolutePath().resolve("journal");
    }

    /** {@code caravan ARGS} in a child JVM, its output into {@code log}. */
    static Process child(List<String> args, Path log) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+ExitOnOutOfMemoryError", "-XX:TieredStopAtLevel=1", "-cp",
                System.getProperty("java.class.path"), "dev.caravan.cli.Main"));
        cmd.addAll(args);
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** The end of a log, for assertion messages. */
    static String tail(Path log) {
        try {
            String s = Files.readString(log);
            return s.length() > 4000 ? s.substring(s.length() - 4000) : s;
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }
}
