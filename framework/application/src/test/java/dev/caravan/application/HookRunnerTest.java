package dev.caravan.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.caravan.application.model.Hook;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Shell and HTTP hooks whose output, duration or failure is unusual; where a shell hook's output is kept while it
 * runs (owner only, in the run's directory) and that it is gone afterwards, or after a kill by the next run.
 */
class HookRunnerTest {
    @TempDir
    Path tmp;
    private HookRunner hooks;

    @BeforeEach
    void runner() {
        hooks = new HookRunner(null, Map.of("CARAVAN_APP", "app"), tmp.resolve("run"));
    }

    @Test
    void aShellHooksOutputIsKeptOwnerOnlyInTheRunDirectoryAndDeletedWhenItEnds() throws Exception {
        String out = hooks.run(shell("f=$(readlink /proc/$$/fd/1); echo \"$f $(stat -c %a \"$f\") "
                + "$(stat -c %a \"$(dirname \"$f\")\")\"", null), "freeze #1");

        String[] seen = out.strip().split(" ");
        Path file = Path.of(seen[0]);
        assertThat(file.getParent()).isEqualTo(tmp.resolve("run").resolve(HookRunner.OUTPUT_DIR));
        assertThat(seen[1]).as("file mode").isEqualTo("600");
        assertThat(seen[2]).as("directory mode").isEqualTo("700");
        assertThat(file).doesNotExist();
        assertThat(file.getParent()).doesNotExist();
    }

    @Test
    void theOutputAKilledRunLeftIsSweptAwayAndOtherFilesStay() throws Exception {
        Path app = tmp.resolve("work/app");
        Path left = Files.createDirectories(app.resolve("20261101-000000-000").resolve(HookRunner.OUTPUT_DIR))
                .resolve("hook-1.out");
        Files.writeString(left, "secret output of a killed run");
        Path report = Files.writeString(app.resolve("20261101-000000-000/report.txt"), "kept");

        HookRunner.sweep(app);

        assertThat(left.getParent()).doesNotExist();
        assertThat(report).exists();
    }

    private static Hook shell(String command, Duration timeout) {
        return new Hook(Hook.Kind.SHELL, command, null, null, null, null, null, null, 0, timeout, null, "app.yaml:1:1");
    }

    @Test
    void aHookThatPrintsBytesThatAreNotUtf8PassesWithThemReplaced() {
        String out = hooks.run(shell("printf 'caf\\351 au lait\\n'; exit 0", null), "freeze #1");

        assertThat(out).isEqualTo("caf\uFFFD au lait\n");
    }

    @Test
    void aHookThatPrintsALotKeepsTheEndOfItsOutput() {
        String out = hooks.run(shell("head -c 20000000 /dev/zero | tr '\\0' x; echo; echo the end", null), "switch #1");

        assertThat(out).startsWith("...").endsWith("x\nthe end\n").hasSizeLessThanOrEqualTo(2003);
    }

    @Test
    void aHookThatTimesOutIsKilledWithTheProcessesItStarted() throws Exception {
        Path pid = tmp.resolve("child.pid");
        Hook hook = shell("sleep 60 & echo $! > " + pid + "; wait", Duration.ofMillis(1500));

        assertThatThrownBy(() -> hooks.run(hook, "freeze #1")).hasMessageContaining("still running after 1 s");

        long child = Long.parseLong(Files.readString(pid).strip());
        ProcessHandle.of(child).ifPresent(h -> h.onExit().orTimeout(10, java.util.concurrent.TimeUnit.SECONDS)
                .join());
        assertThat(ProcessHandle.of(child).map(ProcessHandle::isAlive).orElse(false)).as("sleep %d", child)
                .isFalse();
    }

    @Test
    void anHttpHookNobodyAnswersSaysWhy() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort(); // closed again: nothing listens there
        }
        Hook hook = new Hook(Hook.Kind.HTTP, "http://127.0.0.1:" + port + "/notice", null, null, null, "GET", null,
                null, Hook.ANY_2XX, Duration.ofSeconds(5), null, "app.yaml:9:9");

        assertThatThrownBy(() -> hooks.run(hook, "freeze #1")).hasMessageContaining("ConnectException")
                .hasMessageNotContaining("failed: null");
    }
}
