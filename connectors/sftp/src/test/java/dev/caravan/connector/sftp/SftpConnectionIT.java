package dev.caravan.connector.sftp;

import static dev.caravan.testkit.contract.ContractSupport.assertFailsWith;
import static dev.caravan.testkit.contract.ContractSupport.assertSameBytes;
import static dev.caravan.testkit.contract.ContractSupport.randomBytes;
import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import dev.caravan.api.store.ByteRange;
import dev.caravan.api.store.ObjectStore;
import dev.caravan.api.store.PutRequest;
import dev.caravan.testkit.contract.ContractSupport;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.Map;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyEncryptionContext;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Connecting and logging in against a real SSH server on loopback (Apache MINA SSHD in this JVM): host-key
 * checking (pinned fingerprint, known_hosts, mismatch, unknown host), password and key logins, and the errors a
 * user sees for each mistake, with the kind the runner acts on.
 */
class SftpConnectionIT {

    @TempDir
    static Path served;

    @TempDir
    Path local;

    private static SftpTestServer server;

    @BeforeAll
    static void startServer() throws Exception {
        server = new SftpTestServer(served);
    }

    @AfterAll
    static void stopServer() throws IOException {
        server.close();
    }

    private static ObjectStore open(String path, Map<String, String> options) {
        SftpStoreProvider provider = new SftpStoreProvider();
        return provider.open(server.location(path), provider.options().resolve(options));
    }

    /** Writes one object and reads it back: proves the connection and login work. */
    private static void roundTrip(ObjectStore store) {
        byte[] data = randomBytes(1000, 1);
        store.put("probe/file", new ByteArrayInputStream(data), PutRequest.ofSize(data.length));
        assertSameBytes(ContractSupport.read(store, "probe/file", ByteRange.ALL), data, "probe/file");
    }

    @Test
    void hostKeyMismatchIsRefusedNamingTheFingerprintSeen() throws Exception {
        String wrong = "SHA256:" + "A".repeat(43);
        try (ObjectStore store = open(server.newRoot(), Map.of("password", SftpTestServer.PASSWORD,
                "hostKeyFingerprint", wrong))) {
            MigrationException e = assertFailsWith(ErrorKind.USER_CONFIG, "connect with a wrong fingerprint",
                    () -> store.stat("x"));
            assertThat(e.getMessage()).contains(server.fingerprint()).contains(wrong).contains("does not match");
        }
    }

    @Test
    void changedKeyInKnownHostsIsRefused() throws Exception {
        Path knownHosts = local.resolve("known_hosts");
        KeyPair other = SftpTestServer.ecKeyPair();
        Files.writeString(knownHosts, "# an old key of this server\n" + server.knownHostsLine(other.getPublic())
                + "\n");
        try (ObjectStore store = open(server.newRoot(), Map.of("password", SftpTestServer.PASSWORD,
                "knownHosts", knownHosts.toString()))) {
            MigrationException e = assertFailsWith(ErrorKind.USER_CONFIG, "connect with a changed host key",
                    () -> store.stat("x"));
            assertThat(e.getMessage()).contains("CHANGED").contains(server.fingerprint());
        }
    }

    @Test
    void unknownHostIsRefusedByDefaultAndAcceptedWhenNotStrict() throws Exception {
        Path knownHosts = local.resolve("known_hosts");
        Files.writeString(knownHosts, "other.example.com " + server.knownHostsLine().split(" ", 2)[1] + "\n");
        String root = server.newRoot();
        try (ObjectStore store = open(root, Map.of("password", SftpTestServer.PASSWORD,
                "knownHosts", knownHosts.toString()))) {
            MigrationException e = assertFailsWith(ErrorKind.USER_CONFIG, "connect to an unknown host",
                    () -> store.list("").close());
            assertThat(e.getMessage()).contains("unknown host").contains(server.fingerprint())
                    .contains("127.0.0.1:" + server.port());
        }
        try (ObjectStore store = open(root, Map.of("password", SftpTestServer.PASSWORD,
                "knownHosts", knownHosts.toString(), "strictHostKeyChecking", "false"))) {
            roundTrip(store);
        }
    }

    @Test
    void missingKnownHostsFileIsAConfigurationError() {
        MigrationException e = assertFailsWith(ErrorKind.USER_CONFIG, "open without known_hosts",
                () -> open(server.newRoot(), Map.of("password", SftpTestServer.PASSWORD,
                        "knownHosts", local.resolve("none").toString())));
        assertThat(e.getMessage()).contains("hostKeyFingerprint").contains("strictHostKeyChecking=false");
    }

    @Test
    void knownHostsEntryIsAccepted() throws Exception {
        Path knownHosts = local.resolve("known_hosts");
        Files.writeString(knownHosts, server.knownHostsLine() + "\n");
        try (ObjectStore store = open(server.newRoot(), Map.of("password", SftpTestServer.PASSWORD,
                "knownHosts", knownHosts.toString()))) {
            roundTrip(store);
        }
    }

    @Test
    void wrongPasswordIsAConfigurationError() {
        try (ObjectStore store = open(server.newRoot(), server.options("password", "not the password"))) {
            MigrationException e = assertFailsWith(ErrorKind.USER_CONFIG, "login with a wrong password",
                    () -> store.stat("x"));
            assertThat(e.getMessage()).contains("authentication failed").contains("caravan@127.0.0.1:")
                    .doesNotContain("not the password");
        }
    }

    @Test
    void unreachablePortIsAConfigurationErrorNamingHostAndPort() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        SftpStoreProvider provider = new SftpStoreProvider();
        try (ObjectStore store = provider.open("caravan@127.0.0.1:" + port + "/x",
                provider.options().resolve(server.options("connectTimeout", "5s")))) {
            MigrationException e = assertFailsWith(ErrorKind.USER_CONFIG, "connect to a closed port",
                    () -> store.stat("x"));
            assertThat(e.getMessage()).contains("127.0.0.1:" + port);
        }
    }

    @Test
    void aServerThatNeverAnsweredIsNotWaitedForTwiceWithinTheConnectTimeout() throws Exception {
        java.util.concurrent.atomic.AtomicInteger accepted = new java.util.concurrent.atomic.AtomicInteger();
        java.util.List<java.net.Socket> held = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (ServerSocket silent = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        held.add(silent.accept()); // a TCP peer that never says a word of SSH
                        accepted.incrementAndGet();
                    }
                } catch (IOException closed) {
                    // the test is over
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            SftpStoreProvider provider = new SftpStoreProvider();
            try (ObjectStore store = provider.open("caravan@127.0.0.1:" + silent.getLocalPort() + "/x",
                    provider.options().resolve(server.options("connectTimeout", "2s")))) {
                MigrationException first = assertFailsWith(ErrorKind.TRANSIENT, "a silent server",
                        () -> store.stat("x"));
                assertThat(first).hasMessageContaining("timed out connecting");
                long start = System.nanoTime();
                MigrationException again = assertFailsWith(ErrorKind.TRANSIENT, "the same server at once",
                        () -> store.list(""));
                assertThat((System.nanoTime() - start) / 1_000_000).as("ms for the second failure").isLessThan(1500);
                assertThat(again).hasMessage(first.getMessage());
                assertThat(store.rootLocation()).as("the overlap check falls back to the URI").isEqualTo(store.uri());
                assertThat(accepted.get()).as("connections made").isEqualTo(1);
                Thread.sleep(2_100);
                assertFailsWith(ErrorKind.TRANSIENT, "once the timeout has passed", () -> store.stat("x"));
                assertThat(accepted.get()).as("a new attempt after the timeout").isEqualTo(2);
            }
        } finally {
            for (java.net.Socket s : held) {
                s.close();
            }
        }
    }

    @Test
    void logsInWithAnEncryptedPrivateKey() throws Exception {
        Path key = local.resolve("id_ecdsa");
        OpenSSHKeyEncryptionContext encryption = new OpenSSHKeyEncryptionContext();
        encryption.setPassword("key phrase");
        encryption.setCipherName("AES");
        encryption.setCipherType("256");
        encryption.setKdfRounds(4);
        try (OutputStream out = Files.newOutputStream(key)) {
            OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(server.clientKey(), "test key", encryption, out);
        }
        String root = server.newRoot();
        try (ObjectStore store = open(root, Map.of("privateKey", key.toString(), "privateKeyPassphrase",
                "key phrase", "hostKeyFingerprint", server.fingerprint()))) {
            roundTrip(store);
        }
        MigrationException e = assertFailsWith(ErrorKind.USER_CONFIG, "a wrong passphrase",
                () -> open(root, Map.of("privateKey", key.toString(), "privateKeyPassphrase", "wrong",
                        "hostKeyFingerprint", server.fingerprint())));
        assertThat(e.getMessage()).contains(key.toString()).doesNotContain("wrong\"");
    }

    @Test
    void keyNotAcceptedByTheServerIsAConfigurationError() throws Exception {
        Path key = local.resolve("id_other");
        try (OutputStream out = Files.newOutputStream(key)) {
            OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(SftpTestServer.ecKeyPair(), "other", null, out);
        }
        try (ObjectStore store = open(server.newRoot(), Map.of("privateKey", key.toString(),
                "hostKeyFingerprint", server.fingerprint()))) {
            assertFailsWith(ErrorKind.USER_CONFIG, "login with an unknown key", () -> store.stat("x"));
        }
    }

    @Test
    void keysWithSpacesAndUnicodeAreFileNamesOnTheServer() throws Exception {
        String root = server.newRoot();
        String[] keys = {"dir with space/file name.txt", "\u00e9t\u00e9/\u65e5\u672c\u8a9e.txt",
            "\uD83D\uDE00/emoji \uD83D\uDE00.bin"};
        try (ObjectStore store = open(root, server.options())) {
            for (String key : keys) {
                byte[] data = key.getBytes(StandardCharsets.UTF_8);
                store.put(key, new ByteArrayInputStream(data), PutRequest.ofSize(data.length));
            }
            for (String key : keys) {
                Path onServer = served.resolve(root.substring(1)).resolve(key);
                assertSameBytes(Files.readAllBytes(onServer), key.getBytes(StandardCharsets.UTF_8), key);
            }
            assertThat(ContractSupport.keys(store, "")).containsExactlyElementsOf(
                    ContractSupport.sorted(java.util.List.of(keys)));
        }
    }

    @Test
    void noCredentialsIsAConfigurationError() {
        MigrationException e = assertFailsWith(ErrorKind.USER_CONFIG, "open without credentials",
                () -> open(server.newRoot(), Map.of("hostKeyFingerprint", server.fingerprint())));
        assertThat(e.getMessage()).contains("password").contains("privateKey");
    }

    @Test
    void missingRootIsNotFoundForListingAndCreatedOnWrite() {
        String root = server.newRoot() + "/not/yet";
        try (ObjectStore store = open(root, server.options())) {
            assertFailsWith(ErrorKind.NOT_FOUND, "list of a missing root", () -> store.list("").close());
            roundTrip(store);
        }
        try (ObjectStore store = open(server.newRoot() + "/absent", server.options("createRoot", "false"))) {
            assertFailsWith(ErrorKind.USER_CONFIG, "write into a missing root with createRoot=false",
                    () -> store.put("a", new ByteArrayInputStream(new byte[1]), PutRequest.ofSize(1)));
        }
    }
}
