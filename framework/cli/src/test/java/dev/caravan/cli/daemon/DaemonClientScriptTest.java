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
 * does, starts one when none listens (one, whatever the number of clients arriving together), speaks
 * {@link DaemonProtocol} with it, and exits 96 (no daemon can be started from the script: the Java client's turn), 97
 * (run it in a fresh JVM) or with the command's exit code.
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
    void noDaemonListeningTheScriptStartsOneInASessionOfItsOwnAndTheCommandGoesToIt() throws Exception {
        List<String> daemon = fakeDaemon(0);
        env.put("CARAVAN_DAEMON_IDLE", "5");
        String id = DaemonClient.identity(daemon, jar.toRealPath(), tmp.toRealPath(), env);
        try {
            Result first = perl(env, daemon, "run", "copy", "local:a", "local:b");

            assertThat(first.exit()).as(first.stderr()).isEqualTo(7);
            assertThat(first.stdout()).isEqualTo("ran copy local:a local:b\n");
            List<String> starts = Files.readAllLines(tmp.resolve("starts"));
            assertThat(starts).hasSize(1);
            String[] start = starts.get(0).split(" ");
            assertThat(start[1]).as("setsid: the daemon leads a process group of its own").isEqualTo(start[0]);
            assertThat(List.of(start).subList(2, start.length)).containsExactly(
                    dir.resolve(id + ".sock").toString(), "5", jar.toString());
            assertThat(dir.resolve(id + ".log")).content().contains("fake daemon listening");

            Result second = perl(env, daemon, "run", "status");
            assertThat(second.exit()).isEqualTo(7);
            assertThat(second.stdout()).isEqualTo("ran status\n");
            assertThat(Files.readAllLines(tmp.resolve("starts"))).as("the daemon that listens").hasSize(1);
        } finally {
            stopFakeDaemons();
        }
    }

    @Test
    void clientsArrivingTogetherStartOneDaemon() throws Exception {
        List<String> daemon = fakeDaemon(0.5); // it binds its socket half a second after it started
        try {
            List<Process> clients = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                clients.add(process(env, daemon, "run", "status").start());
            }
            for (Process p : clients) {
                assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
                assertThat(p.exitValue()).as(new String(p.getErrorStream().readAllBytes())).isEqualTo(7);
            }
            assertThat(Files.readAllLines(tmp.resolve("starts"))).hasSize(1);
        } finally {
            stopFakeDaemons();
        }
    }

    @Test
    void aDaemonThatDoesNotComeUpLeavesTheCommandToAFreshJvmAtOnce() throws Exception {
        long start = System.nanoTime();
        Result r = perl(env, List.of("perl", "-e", "print qq(no such class\\n); exit 1"), "run", "status");

        assertThat(r.exit()).isEqualTo(97);
        assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start)).isLessThan(10);
        try (var logs = Files.list(dir)) {
            assertThat(logs.filter(f -> f.toString().endsWith(".log")).findFirst().orElseThrow())
                    .content().isEqualTo("no such class\n");
        }
    }

    @Test
    void noUsableSocketDirectoryIsTheJavaClientsTurnAndABusyDaemonIsAFreshJvms() throws Exception {
        env.put("CARAVAN_DAEMON_DIR", tmp.resolve("no/such/parent").toString());
        assertThat(perl(env, "run", "status").exit()).isEqualTo(96);
        env.put("CARAVAN_DAEMON_DIR", dir.toString());

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

    /**
     * A stand-in for DaemonServer, started as the script starts one: it notes its pid, process group and last three
     * arguments (socket, idle seconds, jar) in {@code starts}, binds the socket after {@code delay} seconds and
     * answers every command with "ran ARGS" and exit code 7.
     */
    private List<String> fakeDaemon(double delay) throws IOException {
        Path script = tmp.resolve("fake-daemon.pl");
        Files.writeString(script, """
                use strict; use Socket;
                my @args = @ARGV[-3 .. -1];
                open(my $starts, '>>', '%s') or die; print $starts "$$ " . getpgrp() . " @args\\n"; close $starts;
                select(undef, undef, undef, %s);
                socket(my $srv, AF_UNIX, SOCK_STREAM, 0) or die "socket: $!";
                bind($srv, pack_sockaddr_un($args[0])) or exit 0;
                listen($srv, 8) or die "listen: $!";
                $| = 1; print "fake daemon listening\\n";
                while (accept(my $c, $srv)) {
                    my ($head, $body) = ('', '');
                    read($c, $head, 5); my ($type, $len) = unpack('a N', $head); read($c, $body, $len);
                    my ($version, $tty, $n, @words) = unpack('N C N (N/a*)*', $body);
                    my $out = "ran @words\\n";
                    syswrite($c, pack('a N', 'O', 0) . pack('a N', 'O', length $out) . $out . pack('a N N', 'X', 4, 7));
                    close($c);
                }
                """.formatted(tmp.resolve("starts"), delay));
        return List.of("perl", script.toString());
    }

    private void stopFakeDaemons() throws IOException {
        Path starts = tmp.resolve("starts");
        if (Files.exists(starts)) {
            for (String line : Files.readAllLines(starts)) {
                ProcessHandle.of(Long.parseLong(line.split(" ")[0])).ifPresent(ProcessHandle::destroy);
            }
        }
    }

    /** Runs the script in {@link #tmp} with exactly {@code environment}; "run" passes the jar and daemon command. */
    private Result perl(Map<String, String> environment, String mode, String... args) throws Exception {
        return perl(environment, DAEMON, mode, args);
    }

    private Result perl(Map<String, String> environment, List<String> daemon, String mode, String... args)
            throws Exception {
        Process p = process(environment, daemon, mode, args).start();
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

    private ProcessBuilder process(Map<String, String> environment, List<String> daemon, String mode, String... args) {
        List<String> cmd = new ArrayList<>(List.of("perl", SCRIPT.toString()));
        if (mode.equals("--identity")) {
            cmd.add("--identity");
        }
        cmd.add(jar.toString());
        cmd.add(String.valueOf(daemon.size()));
        cmd.addAll(daemon);
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(tmp.toFile()).redirectInput(
                ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().clear();
        pb.environment().putAll(environment);
        return pb;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
