package dev.caravan.cli.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code scripts/daemon-client.pl}, the launcher's quick client: it names a daemon exactly as {@link DaemonClient}
 * does, speaks {@link DaemonProtocol} with a server, and exits 96 (no daemon: the Java client's turn), 97 (run it in a
 * fresh JVM) or with the command's exit code.
 */
class DaemonClientScriptTest {
    private static final Path SCRIPT = Path.of("").toAbsolutePath().resolve("../../scripts/daemon-client.pl")
            .normalize();
    private static final List<String> DAEMON = List.of("/usr/bin/java", "-Xshare:auto", "-cp", "/x/caravan.jar:/x/lib/*",
            "dev.caravan.cli.daemon.DaemonServer");

    @TempDir
    Path tmp;
    private Path jar;
    private Path dir;
    private Map<String, String> env;

    @BeforeEach
    void setUp() throws IOException {
        Path real = Files.createDirectories(tmp.resolve("real"));
        Files.write(real.resolve("caravan-cli.jar"), new byte[1234]);
        Files.createSymbolicLink(tmp.resolve("link"), real);
        jar = tmp.resolve("link/caravan-cli.jar"); // as the launcher may name it; the JVM names it by its real path
        dir = Files.createDirectory(tmp.resolve("d"), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwx------")));
        env = new HashMap<>();
        env.put("PATH", "/usr/bin:/bin");
        env.put("HOME", tmp.toString());
        env.put("AWS_SECRET_ACCESS_KEY", "a+b/c==");
        env.put("LANG", "C.UTF-8");
        env.put("CARAVAN_DAEMON_DIR", dir.toString());
        env.put("NOTE", "a=b c\td");
        env.put("_", "/usr/bin/perl"); // differs between the two clients; not part of the name
        env.put("SHLVL", "3");
    }

    @Test
    void theScriptNamesTheDaemonAsTheJavaClientDoes() throws Exception {
        String java = DaemonClient.identity(DAEMON, jar.toRealPath(), tmp.toRealPath(), env);

        assertThat(perl(env, "--identity").stdout().strip()).isEqualTo(java).hasSize(24);

        env.put("SHLVL", "4");
        assertThat(perl(env, "--identity").stdout().strip()).isEqualTo(java);
        env.put("AWS_PROFILE", "other");
        String other = perl(env, "--identity").stdout().strip();
        assertThat(other).isNotEqualTo(java)
                .isEqualTo(DaemonClient.identity(DAEMON, jar.toRealPath(), tmp.toRealPath(), env));
    }

    @Test
    void aCommandGoesToTheDaemonAndItsOutputAndExitCodeComeBack() throws Exception {
        try (ServerSocketChannel server = listen()) {
            CompletableFuture<DaemonProtocol.Request> received = CompletableFuture.supplyAsync(() -> serve(server,
                    (out, request) -> {
                        DaemonProtocol.frameStream(out, DaemonProtocol.STDOUT).write(bytes("plan: 3 new\n"));
                        DaemonProtocol.frameStream(out, DaemonProtocol.STDERR).write(bytes("warning: x\n"));
                        DaemonProtocol.frameStream(out, DaemonProtocol.STDOUT).write(bytes("done\n"));
                        DaemonProtocol.writeExit(out, 3);
                    }));

            Result r = perl(env, "run", "copy", "local:dir with spaces/x", "", "--x=a+b/c=");

            assertThat(r.exit()).isEqualTo(3);
            assertThat(r.stdout()).isEqualTo("plan: 3 new\ndone\n");
            assertThat(r.stderr()).isEqualTo("warning: x\n");
            DaemonProtocol.Request request = received.get(10, TimeUnit.SECONDS);
            assertThat(request.args()).containsExactly("copy", "local:dir with spaces/x", "",
                    "--x=a+b/c=");
            assertThat(request.terminal()).isFalse();
        }
    }

    @Test
    void noDaemonIsTheJavaClientsTurnAndABusyOneIsAFreshJvms() throws Exception {
        assertThat(perl(env, "run", "status").exit()).isEqualTo(96);

        try (ServerSocketChannel server = listen()) {
            CompletableFuture.runAsync(() -> serve(server,
                    (out, request) -> DaemonProtocol.writeFrame(out, DaemonProtocol.BUSY, new byte[0])));
            assertThat(perl(env, "run", "status").exit()).isEqualTo(97);
        }
    }

    @Test
    void aBusyDaemonThatClosesBeforeReadingTheRequestIsAFreshJvmsTurnNotABrokenPipe() throws Exception {
        try (ServerSocketChannel server = listen()) {
            CompletableFuture.runAsync(() -> {
                try (SocketChannel client = server.accept()) { // as DaemonServer.refuse: answer, close, read nothing
                    DaemonProtocol.writeFrame(new DataOutputStream(DaemonProtocol.channelOutput(client)),
                            DaemonProtocol.BUSY, new byte[0]);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            // a request larger than the socket's buffers: its write meets the closed socket
            String[] big = java.util.Collections.nCopies(15, "x".repeat(100_000)).toArray(String[]::new);
            assertThat(perl(env, "run", big).exit()).isEqualTo(97);
        }
    }

    @Test
    void outputNobodyReadsAnyMoreIsDroppedAndTheCommandStillEndsWithItsCode() throws Exception {
        try (ServerSocketChannel server = listen()) {
            CompletableFuture.runAsync(() -> serve(server, (out, request) -> {
                OutputStream stdout = DaemonProtocol.frameStream(out, DaemonProtocol.STDOUT);
                for (int i = 0; i < 64; i++) {
                    stdout.write(new byte[64 * 1024]); // far more than a pipe holds
                }
                DaemonProtocol.writeExit(out, 4);
            }));
            List<String> cmd = new ArrayList<>(List.of("perl", SCRIPT.toString(), jar.toString(),
                    String.valueOf(DAEMON.size())));
            cmd.addAll(DAEMON);
            cmd.add("status");
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(tmp.toFile())
                    .redirectError(ProcessBuilder.Redirect.DISCARD);
            pb.environment().clear();
            pb.environment().putAll(env);
            Process p = pb.start();
            p.getInputStream().close(); // like `caravan status | head -0`

            assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).isEqualTo(4);
        }
    }

    @Test
    void aDaemonThatEndsBeforeTheCommandStartsLeavesItToAFreshJvmAndOneThatEndsAfterIsAFailure() throws Exception {
        try (ServerSocketChannel server = listen()) {
            CompletableFuture.runAsync(() -> serve(server, (out, request) -> { }));
            assertThat(perl(env, "run", "status").exit()).isEqualTo(97);

            CompletableFuture.runAsync(() -> serve(server,
                    (out, request) -> DaemonProtocol.frameStream(out, DaemonProtocol.STDOUT).write(bytes("half"))));
            Result r = perl(env, "run", "copy", "local:a", "local:b");
            assertThat(r.exit()).isEqualTo(1);
            assertThat(r.stdout()).isEqualTo("half");
            assertThat(r.stderr()).contains("ended before it finished", "run the command again to resume it");
        }
    }

    @Test
    void aDirectoryOthersMayEnterIsNotUsed() throws Exception {
        try (ServerSocketChannel server = listen()) {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-x---"));
            assertThat(perl(env, "run", "status").exit()).isEqualTo(96);
        }
    }

    private interface Answer {
        void answer(DataOutputStream out, DaemonProtocol.Request request) throws IOException;
    }

    private ServerSocketChannel listen() throws IOException {
        String id = DaemonClient.identity(DAEMON, jar.toRealPath(), tmp.toRealPath(), env);
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(dir.resolve(id + ".sock")));
        return server;
    }

    private static DaemonProtocol.Request serve(ServerSocketChannel server, Answer answer) {
        try (SocketChannel client = server.accept()) {
            DaemonProtocol.Request request = DaemonProtocol.Request.readFrom(
                    new DataInputStream(Channels.newInputStream(client)));
            answer.answer(new DataOutputStream(DaemonProtocol.channelOutput(client)), request);
            return request;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private record Result(int exit, String stdout, String stderr) {
    }

    /** Runs the script in {@link #tmp} with exactly {@code environment}; "run" passes the jar and daemon command. */
    private Result perl(Map<String, String> environment, String mode, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("perl", SCRIPT.toString()));
        if (mode.equals("--identity")) {
            cmd.add("--identity");
        }
        cmd.add(jar.toString());
        cmd.add(String.valueOf(DAEMON.size()));
        cmd.addAll(DAEMON);
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(tmp.toFile()).redirectInput(
                ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().clear();
        pb.environment().putAll(environment);
        Process p = pb.start();
        CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> {
            try {
                return p.getErrorStream().readAllBytes();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), out, new String(err.get(), StandardCharsets.UTF_8));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
