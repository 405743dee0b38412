package dev.caravan.cli.it;

import static java.nio.file.LinkOption.NOFOLLOW_LINKS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ./caravan} launcher's daemon, run as users run it: object-store commands after the first run in one
 * resident JVM per directory and environment, with their own output and exit codes; a busy daemon leaves a command to
 * a fresh JVM; an interrupted client ends its daemon as an interrupted JVM would end, and the run resumes; a new build
 * is never served by the old daemon.
 */
class DaemonIT {
    private static final Path ROOT = Path.of("").toAbsolutePath().resolve("../..").normalize();

    @TempDir
    Path tmp;
    private Path daemons;
    private Path cli;
    private Path src;

    @BeforeEach
    void setUp() throws IOException {
        daemons = tmp.resolve("d");
        cli = builtCli();
        src = Files.createDirectories(tmp.resolve("src/docs"));
        Random random = new Random(7);
        for (int i = 0; i < 20; i++) {
            byte[] bytes = new byte[1000 + random.nextInt(5000)];
            random.nextBytes(bytes);
            Files.write(src.resolve("f" + i + ".bin"), bytes);
        }
        src = src.getParent();
    }

    @AfterEach
    void stopDaemons() throws IOException {
        // a daemon whose socket is gone exits within 5 s; do not leave it that long
        for (Path log : logs()) {
            for (String line : Files.readAllLines(log)) {
                int at = line.indexOf("(pid ");
                if (at >= 0) {
                    long pid = Long.parseLong(line.substring(at + 5, line.indexOf(',', at)));
                    ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
                }
            }
        }
    }

    @Test
    void commandsAfterTheFirstRunInOneDaemonEachWithItsOwnOutputAndExitCode() throws Exception {
        Map<String, String> debug = Map.of("CARAVAN_DAEMON_DEBUG", "1");
        Run first = launch(debug, "copy", "local:src", "local:dst1");
        Run second = launch(debug, "copy", "local:src", "local:dst2");
        Run noChange = launch(debug, "-q", "copy", "local:src", "local:dst2");
        Run bad = launch(debug, "copy", "local:missing", "local:dst3");

        assertThat(first.exit()).as(first.output()).isZero();
        assertThat(first.output()).contains("local:src -> local:dst1: complete and verified", "20 objects");
        // the first command finds no daemon (nor its directory) and the perl client starts one; the others reach it
        assertThat(first.output()).contains("caravan: daemon client: starting a daemon at");
        assertThat(Files.getPosixFilePermissions(daemons)).isEqualTo(PosixFilePermissions.fromString("rwx------"));
        assertThat(second.exit()).as(second.output()).isZero();
        assertThat(second.output()).contains("local:src -> local:dst2: complete and verified",
                "caravan: daemon client: daemon at");
        assertThat(noChange.exit()).isZero();
        assertThat(noChange.output().lines()).singleElement().asString().startsWith("caravan: daemon client: daemon at");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.output()).contains("caravan: error:", "missing", "does not exist");
        assertThat(tmp.resolve("dst3")).doesNotExist();
        assertSameTree(src, tmp.resolve("dst1"));
        assertSameTree(src, tmp.resolve("dst2"));

        assertThat(logs()).hasSize(1);
        String log = Files.readString(logs().get(0));
        assertThat(log).containsOnlyOnce("listening on");
        assertThat(log).contains("command 1 finished: exit 0", "command 2 finished: exit 0",
                "command 3 finished: exit 0", "command 4 finished: exit 2");
    }

    @Test
    void withoutPerlTheJavaClientStartsTheDaemonAndReachesIt() throws Exception {
        Path bin = Files.createDirectories(tmp.resolve("bin-without-perl"));
        for (String dir : List.of("/usr/bin", "/bin")) {
            try (Stream<Path> tools = Files.list(Path.of(dir))) {
                for (Path tool : tools.toList()) {
                    Path link = bin.resolve(tool.getFileName());
                    if (!tool.getFileName().toString().startsWith("perl") && !Files.exists(link, NOFOLLOW_LINKS)) {
                        Files.createSymbolicLink(link, tool);
                    }
                }
            }
        }
        Map<String, String> noPerl = Map.of("PATH", bin.toString(), "CARAVAN_DAEMON_DEBUG", "1");

        Run first = launch(noPerl, "copy", "local:src", "local:a");
        Run second = launch(noPerl, "copy", "local:src", "local:b");

        assertThat(first.exit()).as(first.output()).isZero();
        assertThat(second.exit()).as(second.output()).isZero();
        assertThat(first.output() + second.output()).doesNotContain("caravan: daemon client:"); // perl's debug lines
        assertSameTree(src, tmp.resolve("a"));
        assertSameTree(src, tmp.resolve("b"));
        assertThat(logs()).hasSize(1);
        assertThat(Files.readString(logs().get(0))).containsOnlyOnce("listening on")
                .contains("command 1 finished: exit 0", "command 2 finished: exit 0");
    }

    @Test
    void anotherEnvironmentOrDirectoryGetsAnotherDaemon() throws Exception {
        assertThat(launch(Map.of(), "copy", "local:src", "local:a").exit()).isZero();
        assertThat(launch(Map.of("AWS_PROFILE", "other"), "copy", "local:src", "local:b").exit()).isZero();
        Files.createDirectories(tmp.resolve("sub"));
        assertThat(launch(Map.of(), tmp.resolve("sub"), "copy", "local:../src", "local:c").exit()).isZero();

        assertThat(logs()).hasSize(3);
        assertSameTree(src, tmp.resolve("sub/c"));
    }

    @Test
    void aBusyDaemonLeavesTheCommandToAFreshJvmAndAnInterruptedOneEndsAndResumes() throws Exception {
        Path big = bigFile(3);
        Process slow = slowCopyInTheDaemon();
        CompletableFuture<String> slowOutput = CompletableFuture.supplyAsync(() -> readAll(slow));

        // (another journal: the embedded one is the running command's until it ends)
        Run meanwhile = launch(Map.of(), "--home", tmp.resolve("home2").toString(), "copy", "local:src", "local:other");

        assertThat(meanwhile.exit()).as(meanwhile.output()).isZero();
        assertThat(meanwhile.output()).contains("complete and verified");
        assertSameTree(src, tmp.resolve("other"));
        assertThat(Files.readString(logs().get(0))).doesNotContain("command 3"); // ran in a fresh JVM

        // Ctrl-C reaches the client (the launcher's child); its daemon ends as the command's own JVM would
        ProcessHandle client = slow.toHandle().descendants()
                .filter(h -> h.info().commandLine().orElse("").contains("daemon-client.pl")).findFirst().orElseThrow();
        Runtime.getRuntime().exec(new String[] {"kill", "-INT", Long.toString(client.pid())}).waitFor();
        assertThat(slow.waitFor()).isEqualTo(130);
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.readString(logs().get(0)).contains("interrupted"));
        assertThat(slowOutput.get()).doesNotContain("complete");
        assertThat(tmp.resolve("bigcopy/big.bin")).doesNotExist();

        Run resumed = launch(Map.of(), "copy", "local:big", "local:bigcopy");
        assertThat(resumed.exit()).as(resumed.output()).isZero();
        assertThat(resumed.output()).contains("(resumed run)");
        assertSameTree(big, tmp.resolve("bigcopy"));
        assertThat(logs()).hasSize(1); // the same daemon's log: a new daemon in its place
        assertThat(Files.readString(logs().get(0))).containsOnlyOnce("exiting").contains("command 1 finished: exit 0")
                .doesNotContain("command 2 finished");
    }

    /**
     * {@code kill PID} of the launcher (a script's timeout, a supervisor): the client the launcher started, and the
     * daemon's command with it, end too. Before, only the launcher's shell ended, and the command went on (a sync so
     * killed went on deleting).
     */
    @Test
    void aKillOfTheLauncherEndsTheCommandInTheDaemon() throws Exception {
        bigFile(5);
        Process slow = slowCopyInTheDaemon();
        CompletableFuture<String> slowOutput = CompletableFuture.supplyAsync(() -> readAll(slow));

        Runtime.getRuntime().exec(new String[] {"kill", "-TERM", Long.toString(slow.pid())}).waitFor();

        assertThat(slow.waitFor()).isEqualTo(143);
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.readString(logs().get(0)).contains("interrupted"));
        assertThat(slowOutput.get()).doesNotContain("complete");
        assertThat(tmp.resolve("bigcopy/big.bin")).doesNotExist();
        assertThat(ProcessHandle.allProcesses().filter(h -> h.info().commandLine().orElse("")
                .contains("daemon-client.pl") && h.info().commandLine().orElse("").contains(tmp.toString())))
                .as("no client left behind").isEmpty();
    }

    @Test
    void aNewBuildIsNeverServedByTheDaemonOfTheOldOne() throws Exception {
        assertThat(launch(Map.of(), "copy", "local:src", "local:a").exit()).isZero();
        Path old = logs().get(0);
        Path jar;
        try (Stream<Path> files = Files.list(cli)) {
            jar = files.filter(p -> p.getFileName().toString().endsWith(".jar")).findFirst().orElseThrow();
        }
        Files.setLastModifiedTime(jar, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 5000));

        Run rebuilt = launch(Map.of(), "copy", "local:src", "local:b");

        assertThat(rebuilt.exit()).isZero();
        assertSameTree(src, tmp.resolve("b"));
        assertThat(logs()).hasSize(2).contains(old);
        assertThat(read(old)).doesNotContain("command 2");
        await().atMost(Duration.ofSeconds(15)).until(() -> read(old).contains("exiting: rebuilt"));
    }

    @Test
    void anEngineOrConnectorRebuiltAloneIsNeverServedByTheOldDaemon() throws Exception {
        assertThat(launch(Map.of(), "copy", "local:src", "local:a").exit()).isZero();
        Path old = logs().get(0);
        Path core;
        try (Stream<Path> files = Files.list(cli.resolve("lib"))) {
            core = files.filter(p -> p.getFileName().toString().startsWith("caravan-core-")).findFirst().orElseThrow();
        }
        // what `mvn install` of the engine alone does: its jar in lib/ is new, the command line's jar is not
        Files.setLastModifiedTime(core, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 5000));

        Run rebuilt = launch(Map.of(), "copy", "local:src", "local:b");

        assertThat(rebuilt.exit()).as(rebuilt.output()).isZero();
        assertSameTree(src, tmp.resolve("b"));
        assertThat(read(old)).doesNotContain("command 2");
        await().atMost(Duration.ofSeconds(15)).until(() -> read(old).matches("(?s).*exiting: [^\n]*rebuilt.*"));
    }

    private record Run(int exit, String output) {
    }

    private Run launch(Map<String, String> env, String... args) throws IOException, InterruptedException {
        return launch(env, tmp, args);
    }

    private Run launch(Map<String, String> env, Path dir, String... args) throws IOException, InterruptedException {
        Process p = start(env, dir, args);
        String output = readAll(p);
        return new Run(p.waitFor(), output);
    }

    /** big/big.bin, 24 MiB of random bytes from {@code seed}; returns the directory. */
    private Path bigFile(long seed) throws IOException {
        Path big = Files.createDirectories(tmp.resolve("big"));
        byte[] block = new byte[1 << 20];
        new Random(seed).nextBytes(block);
        try (var out = Files.newOutputStream(big.resolve("big.bin"))) {
            for (int i = 0; i < 24; i++) {
                out.write(block);
            }
        }
        return big;
    }

    /** A copy of big/ at 2 MiB/s (about 12 s), started in the daemon as its second command, once it has begun. */
    private Process slowCopyInTheDaemon() throws Exception {
        assertThat(launch(Map.of(), "status").exit()).isZero(); // the daemon is up
        Process slow = start(Map.of(), tmp, "--no-progress", "copy", "--bwlimit", "2M", "local:big", "local:bigcopy");
        await().atMost(Duration.ofSeconds(30))
                .until(() -> Files.readString(logs().get(0)).contains("command 2 started"));
        return slow;
    }

    private Process start(Map<String, String> env, Path dir, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("bash", ROOT.resolve("caravan").toString()));
        if (!List.of(args).contains("--home")) {
            cmd.addAll(List.of("--home", tmp.resolve("home").toString()));
        }
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().put("CARAVAN_TARGET", cli.toString());
        pb.environment().put("CARAVAN_NO_CDS", "1");
        pb.environment().put("CARAVAN_DAEMON_DIR", daemons.toString());
        pb.environment().remove("CARAVAN_DAEMON");
        pb.environment().remove("CARAVAN_JOURNAL_URL");
        pb.environment().remove("CARAVAN_JAVA_OPTS");
        pb.environment().putAll(env);
        return pb.start();
    }

    private static String readAll(Process p) {
        try {
            return new String(p.getInputStream().readAllBytes());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private List<Path> logs() throws IOException {
        if (!Files.isDirectory(daemons)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(daemons)) {
            return files.filter(p -> p.toString().endsWith(".log")).sorted().toList();
        }
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void assertSameTree(Path expected, Path actual) throws IOException {
        try (Stream<Path> files = Files.walk(expected)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                assertThat(actual.resolve(expected.relativize(f))).hasSameBinaryContentAs(f);
            }
        }
        try (Stream<Path> files = Files.walk(actual)) {
            assertThat(files.filter(Files::isRegularFile).count())
                    .isEqualTo(Files.walk(expected).filter(Files::isRegularFile).count());
        }
    }

    /**
     * A CLI directory as the launcher's CARAVAN_TARGET expects it: a copy of this module's jar, and a lib/ of copies
     * of Caravan's jars (a test may touch them) and links to the others.
     */
    private Path builtCli() throws IOException {
        Path target = Path.of("target").toAbsolutePath();
        Path dir = Files.createDirectories(tmp.resolve("cli"));
        try (Stream<Path> jars = Files.list(target)) {
            Path jar = jars.filter(p -> p.getFileName().toString().matches("caravan-cli-.*\\.jar"))
                    .filter(p -> !p.getFileName().toString().contains("sources")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no caravan-cli jar in " + target + ": run package"));
            Files.copy(jar, dir.resolve(jar.getFileName()));
        }
        Path lib = Files.createDirectories(dir.resolve("lib"));
        try (Stream<Path> jars = Files.list(target.resolve("lib"))) {
            for (Path jar : (Iterable<Path>) jars::iterator) {
                if (jar.getFileName().toString().startsWith("caravan-")) {
                    Files.copy(jar, lib.resolve(jar.getFileName()), StandardCopyOption.COPY_ATTRIBUTES);
                } else {
                    Files.createSymbolicLink(lib.resolve(jar.getFileName()), jar);
                }
            }
        }
        return dir;
    }
}
