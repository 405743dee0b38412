package dev.caravan.connector.sftp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.api.journal.RunOutcome;
import dev.caravan.core.engine.EngineSettings;
import dev.caravan.core.engine.MigrationEngine;
import dev.caravan.core.engine.ProgressListener;
import dev.caravan.core.engine.RunResult;
import dev.caravan.core.plan.MigrationSpec;
import dev.caravan.core.verify.VerifyMode;
import dev.caravan.testkit.contract.ContractSupport;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A physical migration of a raw disk image through the real engine: a 2 GiB sparse image holding 10 MiB of data
 * is copied local -> local and local -> SFTP (in-JVM server on loopback). Holes are neither written nor sent:
 * the targets allocate about 10 MiB, the SFTP server receives about 10 MiB, and the digests match. The time of
 * each copy is printed next to the time of copying the 10 MiB of data alone. The local copy uses the default
 * verification (SHA-256 of the copy read back); the SFTP copy verifies sizes, and the test compares digests.
 */
class SparseImageIT {
    private static final long IMAGE = 2L << 30;
    private static final int CHUNK = 1 << 20;
    private static final int CHUNKS = 10;

    @TempDir
    static Path tmp;

    private static SftpTestServer server;
    private static Path source;
    private static String sourceDigest;

    @BeforeAll
    static void setUp() throws Exception {
        server = new SftpTestServer(Files.createDirectories(tmp.resolve("served")));
        source = Files.createDirectories(tmp.resolve("src"));
        Path dataOnly = Files.createDirectories(tmp.resolve("data-only"));
        try (RandomAccessFile image = new RandomAccessFile(source.resolve("disk.img").toFile(), "rw");
                RandomAccessFile dense = new RandomAccessFile(dataOnly.resolve("data.bin").toFile(), "rw")) {
            image.setLength(IMAGE);
            for (int i = 0; i < CHUNKS; i++) {
                byte[] chunk = ContractSupport.randomBytes(CHUNK, i);
                image.seek(i * (IMAGE / CHUNKS) + (i == 0 ? 0 : 12_345)); // unaligned starts too
                image.write(chunk);
                dense.write(chunk);
            }
        }
        sourceDigest = sha256(source.resolve("disk.img"));
    }

    @AfterAll
    static void tearDown() throws IOException {
        server.close();
    }

    @Test
    void sparseImageLocalToLocal() throws Exception {
        Path target = tmp.resolve("dst-local");
        Duration data = copy("local:" + tmp.resolve("data-only"), "local:" + tmp.resolve("dst-data"), false);
        Duration image = copy("local:" + source, "local:" + target, false);
        Path copy = target.resolve("disk.img");
        assertThat(Files.size(copy)).isEqualTo(IMAGE);
        assertThat(allocated(copy)).as("bytes allocated by the copy").isLessThan(3L * CHUNKS * CHUNK);
        assertThat(sha256(copy)).isEqualTo(sourceDigest);
        System.out.printf("sparse image local->local: 2 GiB image with 10 MiB of data in %d ms; the 10 MiB "
                + "alone in %d ms; target allocates %d bytes%n", image.toMillis(), data.toMillis(), allocated(copy));
        assertThat(image).as("copy of the sparse image").isLessThan(Duration.ofSeconds(60));
    }

    @Test
    void sparseImageLocalToSftp() throws Exception {
        String root = server.newRoot();
        long before = server.bytesWritten();
        // verify=size: the default sha256 verification would read the 2 GiB back over SSH (holes included, as
        // SFTP has no way to skip them); the digest is checked here on the server's own disk instead
        Duration image = copy("local:" + source, "sftp:" + server.location(root), true);
        long sent = server.bytesWritten() - before;
        Path copy = server.served().resolve(root.substring(1)).resolve("disk.img");
        assertThat(Files.size(copy)).isEqualTo(IMAGE);
        assertThat(sent).as("bytes sent over SFTP for the image").isLessThan(3L * CHUNKS * CHUNK);
        assertThat(allocated(copy)).as("bytes allocated on the server").isLessThan(3L * CHUNKS * CHUNK);
        assertThat(sha256(copy)).isEqualTo(sourceDigest);
        System.out.printf("sparse image local->sftp: 2 GiB image with 10 MiB of data in %d ms, %d bytes sent, "
                + "%d bytes allocated on the server%n", image.toMillis(), sent, allocated(copy));
        assertThat(image).as("copy of the sparse image").isLessThan(Duration.ofSeconds(120));
    }

    private static Duration copy(String from, String to, boolean sftpTarget) {
        Path home = tmp.resolve("home-" + Math.abs((from + to).hashCode()));
        try (MigrationEngine engine = MigrationEngine.open(EngineSettings.defaults().withHome(home)
                .withJournalUrl("jdbc:h2:file:" + home.resolve("journal")))) {
            MigrationSpec.Builder spec = MigrationSpec.builder(from, to);
            if (sftpTarget) {
                spec.targetOptions(server.options()).verify(VerifyMode.SIZE);
            }
            long start = System.nanoTime();
            RunResult result = engine.run(spec.build(), ProgressListener.NONE);
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertThat(result.outcome()).as("outcome of %s -> %s: %s", from, to, result.errors())
                    .isEqualTo(RunOutcome.COMPLETE);
            return took;
        }
    }

    static String sha256(Path file) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        byte[] buffer = new byte[1 << 20];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    static long allocated(Path file) throws IOException, InterruptedException {
        return SftpWritesIT.allocated(file);
    }
}
