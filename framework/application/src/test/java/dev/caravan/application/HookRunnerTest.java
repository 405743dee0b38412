package dev.caravan.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.caravan.application.model.Hook;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Shell and HTTP hooks whose output, duration or failure is unusual. */
class HookRunnerTest {
    @TempDir
    Path tmp;
    private final HookRunner hooks = new HookRunner(null, Map.of("CARAVAN_APP", "app"));

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
