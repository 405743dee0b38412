package dev.caravan.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.caravan.cli.Main;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the VM example as its README says, from the repository root: {@code examples/vm/guest.sh start}, then
 * {@code caravan run examples/vm/live.yaml} (in-process, through the CLI's main class) and back with
 * {@code live-back.yaml}, on the two libvirt hosts of {@code scripts/servers/libvirt.sh} (started by the test
 * script). The guest's serial counter proves it kept running; {@code caravan status} lists both moves. The example
 * guest has a fixed name, so concurrent runs of this test on the same hosts take turns (a file lock in the hosts'
 * directory).
 */
class VmExampleIT {
    static final Path DIR = Path.of(System.getenv().getOrDefault("CARAVAN_LIBVIRT_DIR", "/tmp/caravan-libvirt"));
    static final String VM = "caravan-example";

    @TempDir
    Path home;

    record Result(int code, String out, String err) {
        @Override
        public String toString() {
            return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    Result caravan(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] all = Stream.concat(Stream.of("--home", home.toString(), "--no-progress"), Stream.of(args))
                .toArray(String[]::new);
        int code = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), all);
        return new Result(code, out.toString(), err.toString());
    }

    static String guest(String action) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("bash", "examples/vm/guest.sh", action).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("guest.sh " + action).isTrue();
        assertThat(p.exitValue()).as("guest.sh " + action + ": " + out).isZero();
        return out;
    }

    static List<Long> counters(String host) throws IOException {
        Path log = DIR.resolve(host).resolve("log/qemu").resolve(VM + "-serial.log");
        return Files.exists(log) ? Files.readAllLines(log).stream().map(String::trim)
                .filter(s -> s.matches("[0-9a-f]{8}")).map(s -> Long.parseLong(s, 16)).toList() : List.of();
    }

    static List<String> bootLines(String host) throws IOException {
        Path log = DIR.resolve(host).resolve("log/qemu").resolve(VM + "-serial.log");
        return Files.readAllLines(log).stream().filter(s -> s.startsWith("BOOT")).toList();
    }

    /** After a live move from {@code from} to {@code to}: the counter goes on above its last value, no reboot. */
    static void assertContinued(String from, String to) throws IOException {
        List<Long> before = counters(from);
        await().atMost(60, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(100)).until(() -> counters(to).size() >= 3);
        assertThat(counters(to).get(0)).isGreaterThan(before.get(before.size() - 1));
        assertThat(bootLines(to)).isEmpty();
    }

    @Test
    @Timeout(300)
    void theExampleMovesTheRunningGuestToHostBAndBack() throws Exception {
        assertThat(Path.of("examples/vm/live.yaml")).as("working directory must be the repository root").exists();
        try (FileChannel lockFile = FileChannel.open(DIR.resolve("caravan-example.lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE); FileLock lock = lockFile.lock()) {
            try {
                guest("stop");
                guest("start");
                assertThat(guest("where")).contains("host A: running", "host B: absent");

                Result there = caravan("run", "examples/vm/live.yaml");

                assertThat(there.code()).as(there.toString()).isZero();
                assertThat(guest("where")).contains("host A: absent", "host B: running");
                assertContinued("A", "B");
                Files.writeString(DIR.resolve("A/log/qemu/" + VM + "-serial.log"), "");

                Result back = caravan("run", "examples/vm/live-back.yaml");

                assertThat(back.code()).as(back.toString()).isZero();
                assertThat(guest("where")).contains("host A: running", "host B: absent");
                assertContinued("B", "A");
                Result status = caravan("status");
                assertThat(status.code()).as(status.toString()).isZero();
                assertThat(status.out()).contains("vm-live " + VM, "COMPLETE");
                assertThat(status.out().lines().filter(l -> l.contains("vm-live " + VM))).hasSize(2)
                        .allMatch(l -> l.contains("COMPLETE") && l.contains("1/1"));
            } finally {
                guest("stop");
            }
        }
    }
}
