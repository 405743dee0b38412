package dev.caravan.connector.sftp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.caravan.api.journal.RunOutcome;
import dev.caravan.api.store.HashType;
import dev.caravan.api.store.ComputedDigest;
import dev.caravan.api.store.ObjectInfo;
import dev.caravan.api.store.ObjectStore;
import dev.caravan.api.store.PutRequest;
import dev.caravan.core.engine.EngineSettings;
import dev.caravan.core.engine.MigrationEngine;
import dev.caravan.core.engine.ProgressListener;
import dev.caravan.core.engine.RunResult;
import dev.caravan.core.plan.MigrationSpec;
import dev.caravan.testkit.contract.ContractSupport;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SHA-256 a put returns as computed by the server ({@link SftpRemoteHash}), against real servers: Debian's
 * OpenSSH from {@code scripts/servers/sshd.sh} (commands allowed), a second OpenSSH started here on a free port
 * from the same keys with {@code ForceCommand internal-sftp} (SFTP only: every exec runs the SFTP server), and
 * the in-JVM MINA SSHD server (no command support). Where the server cannot hash, a put returns no digest and the
 * engine reads the file back.
 */
class SftpRemoteHashIT {
    private static final int SIZE = (int) SftpObjectStore.REMOTE_HASH_MIN_SIZE + 4321;
    private static final String RUN = "hash-it-" + UUID.randomUUID();

    @TempDir
    static Path tmp;

    private static Process sftpOnly;
    private static int sftpOnlyPort;
    private static Path sftpOnlyKnownHosts;

    @BeforeAll
    static void startSftpOnlyServer() throws Exception {
        Path state = Path.of(SftpOpenSshIT.STATE);
        try (ServerSocket free = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            sftpOnlyPort = free.getLocalPort();
        }
        String config = Files.readAllLines(state.resolve("sshd_config")).stream()
                .filter(line -> !line.startsWith("Port ") && !line.startsWith("PidFile "))
                .collect(Collectors.joining("\n"))
                + "\nPort " + sftpOnlyPort + "\nPidFile " + tmp.resolve("sftp-only.pid")
                + "\nForceCommand internal-sftp\n";
        Path configFile = Files.writeString(tmp.resolve("sshd_config"), config);
        sftpOnlyKnownHosts = Files.writeString(tmp.resolve("known_hosts"),
                Files.readString(Path.of(SftpOpenSshIT.KNOWN_HOSTS)).replace("]:" + SftpOpenSshIT.PORT + " ",
                        "]:" + sftpOnlyPort + " "));
        sftpOnly = new ProcessBuilder("/usr/sbin/sshd", "-D", "-e", "-f", configFile.toString())
                .redirectErrorStream(true).redirectOutput(tmp.resolve("sshd.log").toFile()).start();
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            if (!sftpOnly.isAlive()) {
                throw new IllegalStateException("sshd (ForceCommand internal-sftp) exited: "
                        + Files.readString(tmp.resolve("sshd.log")));
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", sftpOnlyPort), 500);
                return true;
            } catch (IOException e) {
                return false;
            }
        });
    }

    @AfterAll
    static void stopSftpOnlyServer() throws IOException {
        if (sftpOnly != null) {
            sftpOnly.destroy();
        }
        Path run = Path.of(SftpOpenSshIT.DATA, RUN);
        if (Files.exists(run)) {
            try (var walk = Files.walk(run)) {
                for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    /** A store on the OpenSSH server of sshd.sh, in a fresh directory of this run, with extra options. */
    private static ObjectStore openSsh(String dir, String... options) {
        return openSsh(Integer.parseInt(SftpOpenSshIT.PORT), SftpOpenSshIT.KNOWN_HOSTS, dir, options);
    }

    private static ObjectStore openSsh(int port, String knownHosts, String dir, String... options) {
        SftpStoreProvider provider = new SftpStoreProvider();
        Map<String, String> values = new HashMap<>(Map.of("privateKey", SftpOpenSshIT.KEY, "knownHosts", knownHosts));
        for (int i = 0; i + 1 < options.length; i += 2) {
            values.put(options[i], options[i + 1]);
        }
        return provider.open(SftpOpenSshIT.USER + "@127.0.0.1:" + port + "/~/" + RUN + "/" + dir,
                provider.options().resolve(values));
    }

    /** Writes an object (a put runs no command: it returns no digest) and asks the server for its SHA-256. */
    private static Optional<String> put(ObjectStore store, String key, byte[] data) {
        ObjectInfo written = store.put(key, new ByteArrayInputStream(data), PutRequest.ofSize(data.length));
        assertThat(written.hashes()).as("a put leaves hashing to whoever wants a digest").isEmpty();
        return store.capability(ComputedDigest.class).orElseThrow().sha256(key);
    }

    @Test
    void theServerHashesFilesWithHostileNames() throws Exception {
        List<String> keys = List.of("it's a \"quoted\" $HOME `id` $(id) ;&|<>*?[a] ~ name.bin", "-n leading dash",
                "line one\nline two", "'", "dir with space/\t tab and ünïcødé 文件", "trailing space ");
        try (ObjectStore store = openSsh("hostile")) {
            int i = 0;
            for (String key : keys) {
                byte[] data = ContractSupport.randomBytes(SIZE, ++i);
                assertThat(put(store, key, data)).as("server's SHA-256 of %s", key).contains(sha256(data));
                assertThat(Files.readAllBytes(Path.of(SftpOpenSshIT.DATA, RUN, "hostile", key))).isEqualTo(data);
            }
            // a large file goes to 'openssl dgst -sha256 -r' under auto (the test server has it)
            byte[] large = ContractSupport.randomBytes((int) SftpRemoteHash.BULK_SIZE + 17, 99);
            assertThat(put(store, "large $(id) 'x'", large)).contains(sha256(large));
            assertThat(store.list("").map(ObjectInfo::key).filter(keys::contains).toList())
                    .containsExactlyInAnyOrderElementsOf(keys);
        }
    }

    @Test
    void smallFilesAndHashCommandNoneLeaveVerificationToTheEngine() {
        try (ObjectStore store = openSsh("small"); ObjectStore none = openSsh("none", "hashCommand", "none")) {
            byte[] small = ContractSupport.randomBytes((int) SftpObjectStore.REMOTE_HASH_MIN_SIZE - 1, 7);
            assertThat(put(store, "small.bin", small)).as("below the size the server hashes").isEmpty();
            assertThat(put(none, "large.bin", ContractSupport.randomBytes(SIZE, 8))).isEmpty();
        }
    }

    @Test
    void aGivenCommandIsUsedAndOneThatDoesNotHashIsRefused() throws Exception {
        byte[] data = ContractSupport.randomBytes(SIZE, 9);
        try (ObjectStore openssl = openSsh("openssl", "hashCommand", "openssl dgst -sha256 -r");
                ObjectStore cat = openSsh("cat", "hashCommand", "cat");
                ObjectStore missing = openSsh("missing", "hashCommand", "no-such-command-here --sha256")) {
            assertThat(put(openssl, "a.bin", data)).contains(sha256(data));
            // the probe hashes an empty input: cat prints nothing, a missing command fails; the puts still work
            assertThat(put(cat, "a.bin", data)).isEmpty();
            assertThat(put(missing, "a.bin", data)).isEmpty();
            assertThat(Files.readAllBytes(Path.of(SftpOpenSshIT.DATA, RUN, "missing", "a.bin"))).isEqualTo(data);
        }
    }

    @Test
    void anSftpOnlyServerGetsNoCommandsAndTheFileIsStillWritten() throws Exception {
        byte[] data = ContractSupport.randomBytes(SIZE, 10);
        long start = System.nanoTime();
        try (ObjectStore store = openSsh(sftpOnlyPort, sftpOnlyKnownHosts.toString(), "sftp-only")) {
            assertThat(put(store, "a b.bin", data)).as("no digest from a ForceCommand internal-sftp server")
                    .isEmpty();
            assertThat(put(store, "c.bin", data)).isEmpty();
        }
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("detection does not hang").isLessThan(
                Duration.ofSeconds(20));
        assertThat(Files.readAllBytes(Path.of(SftpOpenSshIT.DATA, RUN, "sftp-only", "a b.bin"))).isEqualTo(data);
    }

    @Test
    void aServerWithoutCommandsGetsNoCommands() throws Exception {
        try (SftpTestServer server = new SftpTestServer(Files.createDirectories(tmp.resolve("served")))) {
            SftpStoreProvider provider = new SftpStoreProvider();
            String root = server.newRoot();
            byte[] data = ContractSupport.randomBytes(SIZE, 11);
            try (ObjectStore store = provider.open(server.location(root),
                    provider.options().resolve(server.options()))) {
                assertThat(put(store, "a.bin", data)).isEmpty();
            }
            assertThat(Files.readAllBytes(server.served().resolve(root.substring(1)).resolve("a.bin")))
                    .isEqualTo(data);
        }
    }

    /**
     * Through the engine: a command that passes the probe (the right digest of an empty input) but lies about
     * every file makes the copy fail verification, so the engine verified with the server's digest and did not
     * read the file back; the same copy with the real command completes.
     */
    @Test
    void theEngineVerifiesWithTheServersDigest() throws Exception {
        Path source = Files.createDirectories(tmp.resolve("engine-src"));
        Files.write(source.resolve("big.bin"), ContractSupport.randomBytes(SIZE, 12));
        String liar = "cat >/dev/null; echo " + SftpRemoteHash.EMPTY_SHA256 + " #";
        RunResult lied = copy(source, "engine-liar", liar);
        assertThat(lied.outcome()).as("errors %s", lied.errors()).isNotEqualTo(RunOutcome.COMPLETE);
        assertThat(String.join(" ", lied.errors())).contains(SftpRemoteHash.EMPTY_SHA256);
        RunResult honest = copy(source, "engine-ok", SftpRemoteHash.AUTO);
        assertThat(honest.outcome()).as("errors %s", honest.errors()).isEqualTo(RunOutcome.COMPLETE);
        assertThat(Files.readAllBytes(Path.of(SftpOpenSshIT.DATA, RUN, "engine-ok", "big.bin")))
                .isEqualTo(Files.readAllBytes(source.resolve("big.bin")));
    }

    private static RunResult copy(Path source, String dir, String hashCommand) {
        Path home = tmp.resolve("home-" + dir);
        try (MigrationEngine engine = MigrationEngine.open(EngineSettings.defaults().withHome(home)
                .withJournalUrl("jdbc:h2:file:" + home.resolve("journal")))) {
            String target = "sftp:" + SftpOpenSshIT.USER + "@127.0.0.1:" + SftpOpenSshIT.PORT + "/~/" + RUN + "/" + dir;
            return engine.run(MigrationSpec.builder("local:" + source, target).retries(0)
                    .targetOptions(Map.of("privateKey", SftpOpenSshIT.KEY, "knownHosts", SftpOpenSshIT.KNOWN_HOSTS,
                            "hashCommand", hashCommand)).build(), ProgressListener.NONE);
        }
    }

    private static String sha256(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }
}
