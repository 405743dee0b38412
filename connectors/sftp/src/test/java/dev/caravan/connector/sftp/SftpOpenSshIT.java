package dev.caravan.connector.sftp;

import static dev.caravan.testkit.contract.ContractSupport.assertFailsWith;
import static dev.caravan.testkit.contract.ContractSupport.assertSameBytes;
import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import dev.caravan.api.store.ByteRange;
import dev.caravan.api.store.KeyNotes;
import dev.caravan.api.store.ObjectStore;
import dev.caravan.api.store.PutRequest;
import dev.caravan.api.store.SkippedEntries;
import dev.caravan.api.journal.RunOutcome;
import dev.caravan.api.verify.VerificationOutcome;
import dev.caravan.api.verify.VerificationReport;
import dev.caravan.core.engine.EngineSettings;
import dev.caravan.core.engine.MigrationEngine;
import dev.caravan.core.engine.ProgressListener;
import dev.caravan.core.engine.RunResult;
import dev.caravan.core.plan.MigrationSpec;
import dev.caravan.core.plan.Mode;
import dev.caravan.testkit.contract.ContractSupport;
import dev.caravan.testkit.contract.ObjectStoreContract;
import java.io.ByteArrayInputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the {@link ObjectStoreContract} against Debian's OpenSSH server (SFTP v3, internal-sftp,
 * posix-rename@openssh.com) started by {@code scripts/servers/sshd.sh start} on 127.0.0.1:18022, logging in with
 * the test user's key and checking the host key against the known_hosts file the script writes. Coordinates come
 * from system properties or the environment ({@code scripts/servers/sshd.sh env}), with the script's defaults.
 */
class SftpOpenSshIT extends ObjectStoreContract {
    static final String STATE = setting("caravan.it.sftp.state", "CARAVAN_SFTP_STATE",
            "/tmp/caravan-servers/sshd-18022");
    static final String PORT = setting("caravan.it.sftp.port", "CARAVAN_SFTP_PORT", "18022");
    static final String USER = setting("caravan.it.sftp.user", "CARAVAN_SFTP_USER", "caravan-sftp");
    static final String KEY = setting("caravan.it.sftp.key", "CARAVAN_SFTP_KEY", STATE + "/client/id_ecdsa");
    static final String KNOWN_HOSTS = setting("caravan.it.sftp.knownHosts", "CARAVAN_SFTP_KNOWN_HOSTS",
            STATE + "/client/known_hosts");
    static final String DATA = setting("caravan.it.sftp.data", "CARAVAN_SFTP_DATA", STATE + "/home");

    /** One directory per run of this class in the login directory; each test gets {@code RUN/tN}. */
    private static final String RUN = "it-" + UUID.randomUUID();
    private static final java.util.concurrent.atomic.AtomicInteger ROOTS = new java.util.concurrent.atomic.AtomicInteger();
    private static java.util.Set<String> before;

    private String root;

    @BeforeAll
    static void snapshotLoginDirectory() throws java.io.IOException {
        try (var all = Files.list(Path.of(DATA))) {
            before = all.map(p -> p.getFileName().toString()).collect(java.util.stream.Collectors.toSet());
        }
    }

    @AfterAll
    static void removeRunDirectory() throws java.io.IOException {
        Path run = Path.of(DATA, RUN);
        if (Files.exists(run)) {
            try (var walk = Files.walk(run)) {
                for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    private static String setting(String property, String env, String fallback) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            value = System.getenv(env);
        }
        return value == null || value.isBlank() ? fallback : value;
    }

    @Override
    protected ObjectStore newStore() {
        root = RUN + "/t" + ROOTS.incrementAndGet();
        SftpStoreProvider provider = new SftpStoreProvider();
        // a path relative to the login directory (the data directory) through /~/
        ObjectStore store = provider.open(USER + "@127.0.0.1:" + PORT + "/~/" + root, provider.options().resolve(
                Map.of("privateKey", KEY, "knownHosts", KNOWN_HOSTS)));
        store.probeWrite(".probe"); // creates the (empty) root directory as the SFTP user
        return store;
    }

    @Override
    protected void assertNothingWrittenOutside() {
        try (var all = Files.list(Path.of(DATA)); var run = Files.walk(Path.of(DATA, RUN))) {
            assertThat(all.map(p -> p.getFileName().toString()).filter(name -> !before.contains(name)))
                    .as("new entries of the login directory %s", DATA).containsOnly(RUN);
            assertThat(run.filter(Files::isRegularFile).map(p -> Path.of(DATA, RUN).relativize(p).toString())
                    .filter(rel -> !rel.matches("t[0-9]+/.*"))).as("files outside the store roots").isEmpty();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void zeroBlocksBecomeHolesOnTheServer() throws Exception {
        byte[] image = new byte[16 * SftpWriter.BLOCK];
        System.arraycopy(ContractSupport.randomBytes(1000, 4), 0, image, 5 * SftpWriter.BLOCK + 17, 1000);
        store().put("disk.img", new ByteArrayInputStream(image), PutRequest.ofSize(image.length));
        Path file = Path.of(DATA, root, "disk.img");
        assertSameBytes(Files.readAllBytes(file), image, "image on the OpenSSH server");
        assertSameBytes(ContractSupport.read(store(), "disk.img", ByteRange.ALL), image, "image read back");
        assertThat(SftpWritesIT.allocated(file)).as("bytes allocated on the server").isLessThan(image.length / 4);
    }

    @Test
    void entriesThatAreNotFilesAreLeftOutAndNamed() throws Exception {
        write("a.txt", new byte[] {1});
        Path dir = Path.of(DATA, root);
        Files.createSymbolicLink(dir.resolve("link"), dir.resolve("a.txt"));
        try (ServerSocketChannel socket = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            socket.bind(UnixDomainSocketAddress.of(dir.resolve("sock")));

            assertThat(keys("")).containsExactly("a.txt");
            KeyNotes skipped = store().capability(SkippedEntries.class).orElseThrow().skipped();
            assertThat(skipped.shown()).containsExactlyInAnyOrder("'link' (a symbolic link)",
                    "'sock' (not a file or directory: a pipe, socket or device)");
        }
    }

    @Test
    void aSubdirectoryTheServerDoesNotLetUsReadIsNotedAsUnlistedAndTheListingGoesOn() throws Exception {
        write("a.txt", new byte[] {1});
        write("locked/in.txt", new byte[] {2});
        write("z/b.txt", new byte[] {3});
        Path locked = Path.of(DATA, root, "locked");
        Files.setPosixFilePermissions(locked, java.util.Set.of()); // the SFTP user, its owner, may not read it
        try {
            assertThat(keys("")).containsExactly("a.txt", "z/b.txt");
            KeyNotes unlisted = store().capability(SkippedEntries.class).orElseThrow().unlisted();
            assertThat(unlisted.shown()).containsExactly("'locked/' (permission denied)");
        } finally {
            Files.setPosixFilePermissions(locked, java.nio.file.attribute.PosixFilePermissions.fromString(
                    "rwxr-xr-x"));
        }
        assertFailsWith(ErrorKind.USER_CONFIG, "an unreadable root still fails its listing", () -> {
            Files.setPosixFilePermissions(Path.of(DATA, root), java.util.Set.of());
            try {
                store().list("").count();
            } finally {
                Files.setPosixFilePermissions(Path.of(DATA, root), java.nio.file.attribute.PosixFilePermissions
                        .fromString("rwxr-xr-x"));
            }
        });
    }

    @Test
    void namesWhoseBytesAreNotUtf8AreObjectsThatFailSayingWhyNeverLeftOutUnseen() throws Exception {
        write("a.txt", new byte[] {1});
        Path dir = Path.of(DATA, root);
        // as a Latin-1 system leaves them: the server sends the bytes, the client reads U+FFFD, which names nothing;
        // bad\377.txt and bad\376.txt read alike
        Process p = new ProcessBuilder("sh", "-c", "printf x > \"$(printf 'bad\\377.txt')\" && printf z > \"$(printf "
                + "'bad\\376.txt')\" && mkdir \"$(printf 'dir\\376')\" && printf y > \"$(printf 'dir\\376')/in.txt\"")
                .directory(dir.toFile()).inheritIO().start();
        assertThat(p.waitFor()).isZero();

        // listed (a sync's target plans their deletion, verify --exact sees them), not left out in silence
        assertThat(keys("")).containsExactly("a.txt", "bad\uFFFD.txt", "dir\uFFFD");
        KeyNotes skipped = store().capability(SkippedEntries.class).orElseThrow().skipped();
        assertThat(skipped.shown()).containsExactly("'bad\uFFFD.txt' (a name whose bytes are not UTF-8 and read as"
                + " the name of another entry)");

        MigrationException read = assertFailsWith(ErrorKind.USER_DATA, "reading a name that is not UTF-8",
                () -> store().open("bad\uFFFD.txt", ByteRange.ALL).close());
        assertThat(read).hasMessageContaining("'bad\uFFFD.txt' cannot be read").hasMessageContaining("not UTF-8")
                .hasMessageContaining("rename it").hasMessageContaining(USER + "@127.0.0.1:" + PORT);
        assertFailsWith(ErrorKind.USER_DATA, "stat of it", () -> store().stat("bad\uFFFD.txt"));
        MigrationException deleteFile = assertFailsWith(ErrorKind.USER_DATA, "deleting it",
                () -> store().delete("bad\uFFFD.txt"));
        assertThat(deleteFile).hasMessageContaining("cannot be deleted").hasMessageContaining("the file");
        MigrationException deleteDir = assertFailsWith(ErrorKind.USER_DATA, "deleting the directory",
                () -> store().delete("dir\uFFFD"));
        assertThat(deleteDir).hasMessageContaining("the directory").hasMessageContaining("anything in it");
        try (var left = Files.list(dir)) {
            assertThat(left.count()).as("entries still on the server").isEqualTo(4);
        }
        assertThat(store().stat("other\uFFFD.txt")).as("a key with U+FFFD that names no entry").isEmpty();
    }

    @Test
    void aSyncDoesNotPassOverATargetNameThatIsNotUtf8AndVerifyExactSeesIt(@TempDir Path local) throws Exception {
        write("keep.txt", new byte[] {1});
        Path dir = Path.of(DATA, root);
        Process p = new ProcessBuilder("sh", "-c", "printf latin > \"$(printf 'caf\\351.txt')\"")
                .directory(dir.toFile()).inheritIO().start();
        assertThat(p.waitFor()).isZero();
        Path source = Files.createDirectories(local.resolve("src"));
        Files.writeString(source.resolve("new.txt"), "new");
        MigrationSpec spec = MigrationSpec.builder("local:" + source, "sftp:" + USER + "@127.0.0.1:" + PORT + "/~/"
                + root).targetOptions(Map.of("privateKey", KEY, "knownHosts", KNOWN_HOSTS)).mode(Mode.SYNC)
                .maxDelete("100%").build();
        Path home = local.resolve("home");
        try (MigrationEngine engine = MigrationEngine.open(EngineSettings.defaults().withHome(home)
                .withJournalUrl("jdbc:h2:file:" + home.resolve("journal")))) {
            RunResult result = engine.run(spec, ProgressListener.NONE);
            assertThat(result.outcome()).as("a sync that could not delete a target file").isEqualTo(RunOutcome.FAILED);
            assertThat(result.failed()).isEqualTo(1);
            assertThat(result.errors()).singleElement().asString().contains("caf\uFFFD.txt")
                    .contains("cannot be deleted").contains("not UTF-8");
            assertThat(keys("")).containsExactly("caf\uFFFD.txt", "new.txt");

            VerificationReport exact = engine.verify(spec);
            assertThat(exact.clean()).as("verify --exact with a target file the source lacks").isFalse();
            assertThat(exact.problems()).singleElement().satisfies(item -> {
                assertThat(item.item()).isEqualTo("caf\uFFFD.txt");
                assertThat(item.outcome()).isEqualTo(VerificationOutcome.MISSING_ON_SOURCE);
            });
        }
    }
}
