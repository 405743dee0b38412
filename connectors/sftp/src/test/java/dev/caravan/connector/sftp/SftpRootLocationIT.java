package dev.caravan.connector.sftp;

import static dev.caravan.testkit.contract.ContractSupport.assertFailsWith;
import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import dev.caravan.api.store.LocalDisk;
import dev.caravan.api.store.ObjectStore;
import dev.caravan.api.store.PutRequest;
import dev.caravan.api.store.ServerIdentity;
import dev.caravan.core.engine.EngineSettings;
import dev.caravan.core.engine.MigrationEngine;
import dev.caravan.core.engine.ProgressListener;
import dev.caravan.core.plan.MigrationSpec;
import dev.caravan.core.plan.Mode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link SftpObjectStore#rootLocation()}, which the engine compares to refuse a copy, sync or move between
 * overlapping locations: the home-relative and the absolute form of one directory are one location, a root not
 * created yet lies where it will be, other directories and other servers differ. Against the in-JVM MINA SSHD server
 * and Debian's OpenSSH from {@code scripts/servers/sshd.sh} (whose realpath fails for a missing path).
 */
class SftpRootLocationIT {
    private static final String RUN = "root-it-" + UUID.randomUUID();

    @TempDir
    static Path tmp;

    private static SftpTestServer server;
    private static SftpTestServer otherServer;

    @BeforeAll
    static void startServers() throws Exception {
        server = new SftpTestServer(Files.createDirectories(tmp.resolve("served")));
        otherServer = new SftpTestServer(Files.createDirectories(tmp.resolve("other")));
    }

    @AfterAll
    static void stopServersAndCleanUp() throws IOException {
        server.close();
        otherServer.close();
        Path run = Path.of(SftpOpenSshIT.DATA, RUN);
        if (Files.exists(run)) {
            try (var walk = Files.walk(run)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    /** The root location of a store on the MINA server at {@code path}. */
    private static String rootLocation(SftpTestServer on, String path) {
        SftpStoreProvider provider = new SftpStoreProvider();
        try (ObjectStore store = provider.open(on.location(path), provider.options().resolve(on.options()))) {
            return store.rootLocation();
        }
    }

    /** The root location of a store on the OpenSSH server at {@code path}. */
    private static String openSshRootLocation(String path) {
        SftpStoreProvider provider = new SftpStoreProvider();
        try (ObjectStore store = provider.open(SftpOpenSshIT.USER + "@127.0.0.1:" + SftpOpenSshIT.PORT + path,
                provider.options().resolve(Map.of("privateKey", SftpOpenSshIT.KEY, "knownHosts",
                        SftpOpenSshIT.KNOWN_HOSTS)))) {
            return store.rootLocation();
        }
    }

    @Test
    void homeRelativeAndAbsoluteFormsAreOneLocation() {
        String root = server.newRoot(); // the login directory of the MINA server is its served "/"
        String absolute = rootLocation(server, root);
        assertThat(absolute).isEqualTo("sftp://" + ServerIdentity.THIS_MACHINE + ":" + server.port() + root);
        assertThat(rootLocation(server, "/~" + root)).isEqualTo(absolute);
        assertThat(rootLocation(server, root + "/./")).isEqualTo(absolute);
    }

    @Test
    void aRootNotCreatedYetLiesWhereItWillBe() {
        String root = server.newRoot();
        assertThat(rootLocation(server, "/~" + root + "/sub/deeper"))
                .isEqualTo(rootLocation(server, root) + "/sub/deeper");
        assertThat(server.served().resolve(root.substring(1)).resolve("sub")).as("asking created nothing")
                .doesNotExist();
    }

    @Test
    void otherDirectoriesAndServersDiffer() {
        String root = server.newRoot();
        String location = rootLocation(server, root);
        String sibling = rootLocation(server, root + "x");
        assertThat(sibling).isNotEqualTo(location).doesNotStartWith(location + "/");
        assertThat(location).doesNotStartWith(sibling + "/");
        assertThat(rootLocation(otherServer, root)).as("the same path on another port").isNotEqualTo(location);
    }

    @Test
    void anUnreachableServerFallsBackToTheUriAndTheOperationReportsTheConnection() throws IOException {
        int closedPort;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = free.getLocalPort();
        }
        SftpStoreProvider provider = new SftpStoreProvider();
        try (ObjectStore store = provider.open(SftpTestServer.USER + "@127.0.0.1:" + closedPort + "/~/data",
                provider.options().resolve(server.options()))) {
            assertThat(store.rootLocation()).isEqualTo(store.uri());
            MigrationException e = assertFailsWith(ErrorKind.USER_CONFIG, "list on a closed port",
                    () -> store.list("").close());
            assertThat(e.getMessage()).contains("cannot reach an SSH server at");
        }
    }

    @Test
    void theEngineRefusesAMoveBetweenTheTwoFormsOfOneDirectory() {
        String root = server.newRoot();
        SftpStoreProvider provider = new SftpStoreProvider();
        try (ObjectStore store = provider.open(server.location(root), provider.options().resolve(server.options()))) {
            store.put("a.txt", new ByteArrayInputStream(new byte[] {1, 2, 3}), PutRequest.ofSize(3));
        }
        Path home = tmp.resolve("engine-home");
        try (MigrationEngine engine = MigrationEngine.open(EngineSettings.defaults().withHome(home)
                .withJournalUrl("jdbc:h2:file:" + home.resolve("journal")))) {
            MigrationSpec spec = MigrationSpec.builder("sftp:" + server.location("/~" + root),
                    "sftp:" + server.location(root)).mode(Mode.MOVE).sourceOptions(server.options())
                    .targetOptions(server.options()).build();
            MigrationException e = assertFailsWith(ErrorKind.USER_CONFIG, "move onto itself",
                    () -> engine.run(spec, ProgressListener.NONE));
            assertThat(e.getMessage()).contains("overlapping locations").contains("same location");
        }
        assertThat(server.served().resolve(root.substring(1)).resolve("a.txt")).as("nothing deleted").exists();
    }

    @Test
    void openSshResolvesHomeRelativeLinkedAndMissingPaths() throws IOException {
        Path real = Files.createDirectories(Path.of(SftpOpenSshIT.DATA, RUN, "real")).toRealPath();
        Files.createSymbolicLink(Path.of(SftpOpenSshIT.DATA, RUN, "link"), real);
        // this machine's OpenSSH serves this machine's files: the location is the local store's for that path
        String expected = "local:" + LocalDisk.location(real);
        assertThat(openSshRootLocation("/~/" + RUN + "/real")).isEqualTo(expected);
        assertThat(openSshRootLocation(real.toString())).isEqualTo(expected);
        assertThat(openSshRootLocation("/~/" + RUN + "/link")).as("through a symbolic link").isEqualTo(expected);
        assertThat(openSshRootLocation("/~/" + RUN + "/link/sub/deeper")).as("missing below a symbolic link")
                .isEqualTo(expected + "/sub/deeper");
        assertThat(openSshRootLocation("/~/" + RUN + "/missing/../real/sub")).as("'..' below a missing directory")
                .isEqualTo(expected + "/sub");
        assertThat(openSshRootLocation("/~/" + RUN + "/real2")).isNotEqualTo(expected)
                .doesNotStartWith(expected + "/");
    }

    /**
     * local:D and sftp:u@127.0.0.1/D name one directory when the server is this machine's OpenSSH: a move between
     * them removed every file (found by exploratory testing); refused as overlapping, nothing touched.
     */
    @Test
    void aMoveBetweenTheLocalAndTheSftpNameOfOneDirectoryIsRefused() throws IOException {
        Path real = Files.createDirectories(Path.of(SftpOpenSshIT.DATA, RUN, "both")).toRealPath();
        Files.writeString(real.resolve("precious.txt"), "only copy");
        Path home = tmp.resolve("alias-home");
        try (MigrationEngine engine = MigrationEngine.open(EngineSettings.defaults().withHome(home)
                .withJournalUrl("jdbc:h2:file:" + home.resolve("journal")))) {
            MigrationSpec spec = MigrationSpec.builder("local:" + real, "sftp:" + SftpOpenSshIT.USER + "@127.0.0.1:"
                    + SftpOpenSshIT.PORT + real).mode(Mode.MOVE).targetOptions(Map.of("privateKey",
                    SftpOpenSshIT.KEY, "knownHosts", SftpOpenSshIT.KNOWN_HOSTS)).build();
            MigrationException e = assertFailsWith(ErrorKind.USER_CONFIG, "move onto itself",
                    () -> engine.run(spec, ProgressListener.NONE));
            assertThat(e.getMessage()).contains("overlapping locations");
        }
        assertThat(real.resolve("precious.txt")).as("nothing removed").hasContent("only copy");
    }
}
