package dev.caravan.connector.sftp;

import static dev.caravan.testkit.contract.ContractSupport.assertFailsWith;
import static dev.caravan.testkit.contract.ContractSupport.assertSameBytes;
import static dev.caravan.testkit.contract.ContractSupport.randomBytes;
import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.store.ByteRange;
import dev.caravan.api.store.ObjectInfo;
import dev.caravan.api.store.ObjectStore;
import dev.caravan.api.store.PutRequest;
import dev.caravan.api.store.ResumableWrite;
import dev.caravan.testkit.contract.ContractSupport;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the SFTP store writes on the server, looked at on the server's own disk: resumed uploads, holes for zero
 * blocks (and the bytes that crossed the connection), kept times and modes, and the bounded connection pool.
 */
class SftpWritesIT {

    @TempDir
    static Path served;

    private static SftpTestServer server;

    @BeforeAll
    static void startServer() throws Exception {
        server = new SftpTestServer(served);
    }

    @AfterAll
    static void stopServer() throws IOException {
        server.close();
    }

    private static ObjectStore open(String root, String... options) {
        return server.open(root, options);
    }

    private static Path onServer(String root, String key) {
        return served.resolve(root.substring(1)).resolve(key);
    }

    @Test
    void resumesAPartialUploadFromItsSize() throws Exception {
        String root = server.newRoot();
        byte[] whole = randomBytes(1_000_000, 5);
        try (ObjectStore store = open(root)) {
            ResumableWrite resumable = store.capability(ResumableWrite.class).orElseThrow();
            // an interrupted upload left 300,000 good bytes and some garbage after them
            byte[] partial = Arrays.copyOf(whole, 310_000);
            Arrays.fill(partial, 300_000, 310_000, (byte) 0x55);
            store.put("big.part", new ByteArrayInputStream(partial), PutRequest.ofSize(-1));
            long before = server.bytesWritten();
            ObjectInfo done = resumable.writeFrom("big.part", 300_000,
                    new ByteArrayInputStream(whole, 300_000, whole.length - 300_000), PutRequest.ofSize(whole.length));
            assertThat(done.size()).isEqualTo(whole.length);
            assertThat(server.bytesWritten() - before).as("bytes sent by the resumed upload")
                    .isEqualTo(whole.length - 300_000);
            assertSameBytes(Files.readAllBytes(onServer(root, "big.part")), whole, "resumed file on the server");
            assertSameBytes(ContractSupport.read(store, "big.part", ByteRange.ALL), whole, "resumed file read back");

            assertFailsWith(ErrorKind.USER_DATA, "resume beyond the end", () -> resumable.writeFrom("big.part",
                    whole.length + 1, InputStream.nullInputStream(), PutRequest.ofSize(-1)));
            assertFailsWith(ErrorKind.NOT_FOUND, "resume of a missing upload", () -> resumable.writeFrom("none",
                    10, InputStream.nullInputStream(), PutRequest.ofSize(-1)));
            assertSameBytes(Files.readAllBytes(onServer(root, "big.part")), whole, "after refused resumes");
        }
    }

    @Test
    void zeroBlocksAreNotSentAndBecomeHoles() throws Exception {
        String root = server.newRoot();
        int block = SftpWriter.BLOCK;
        byte[] image = new byte[64 * block]; // 4 MiB: data at the start and in the middle, zeros to the end
        System.arraycopy(randomBytes(block, 6), 0, image, 0, block);
        System.arraycopy(randomBytes(block + 10, 7), 0, image, 20 * block + 3, block + 10);
        try (ObjectStore store = open(root)) {
            long before = server.bytesWritten();
            store.put("disk.img", new ByteArrayInputStream(image), PutRequest.ofSize(image.length));
            long sent = server.bytesWritten() - before;
            assertThat(sent).as("bytes sent for a 4 MiB image with 3 data blocks").isEqualTo(3L * block + 1);
            Path file = onServer(root, "disk.img");
            assertThat(Files.size(file)).isEqualTo(image.length);
            assertSameBytes(Files.readAllBytes(file), image, "sparse image on the server");
            assertThat(allocated(file)).as("bytes allocated on the server").isLessThan(image.length / 4);
        }
        try (ObjectStore store = open(root, "sparse", "false")) {
            long before = server.bytesWritten();
            store.put("dense.img", new ByteArrayInputStream(image), PutRequest.ofSize(image.length));
            assertThat(server.bytesWritten() - before).as("bytes sent with sparse=false").isEqualTo(image.length);
            assertSameBytes(Files.readAllBytes(onServer(root, "dense.img")), image, "dense image on the server");
        }
    }

    @Test
    void keepsTimesToTheSecondAndModes() throws Exception {
        String root = server.newRoot();
        Instant time = Instant.parse("2020-02-03T04:05:06.789Z");
        try (ObjectStore store = open(root)) {
            ObjectInfo put = store.put("a/b.txt", new ByteArrayInputStream(new byte[] {1, 2}),
                    new PutRequest(2, time, null, Map.of(), 0640));
            assertThat(put.modTime()).isEqualTo(Instant.parse("2020-02-03T04:05:06Z"));
            Path file = onServer(root, "a/b.txt");
            assertThat(Files.getLastModifiedTime(file).toInstant()).isEqualTo(Instant.parse("2020-02-03T04:05:06Z"));
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-r-----");
            assertThat(store.stat("a/b.txt").orElseThrow().posixMode()).isEqualTo(0640);
        }
    }

    @Test
    void reportsTheContentTypeAFilesNameImpliesUnlessGuessingIsOff() throws Exception {
        String root = server.newRoot();
        try (ObjectStore store = open(root); ObjectStore off = open(root, "guessContentType", "false")) {
            store.put("site/index.html", new ByteArrayInputStream(new byte[] {1}), PutRequest.ofSize(1));
            store.put("site/README", new ByteArrayInputStream(new byte[] {1}), PutRequest.ofSize(1));

            assertThat(store.stat("site/index.html").orElseThrow().contentType()).isEqualTo("text/html");
            assertThat(store.stat("site/README").orElseThrow().contentType()).isNull();
            assertThat(store.impliedContentType("a.json")).isEqualTo("application/json");
            assertThat(off.stat("site/index.html").orElseThrow().contentType()).isNull();
            assertThat(off.impliedContentType("a.json")).isNull();
        }
    }

    @Test
    void parallelTransfersShareABoundedPool() throws Exception {
        String root = server.newRoot();
        Map<String, byte[]> written = new ConcurrentHashMap<>();
        try (ObjectStore store = open(root, "sessions", "2")) {
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(6);
            try {
                java.util.List<java.util.concurrent.Future<?>> futures = new java.util.ArrayList<>();
                for (int t = 0; t < 6; t++) {
                    int thread = t;
                    futures.add(pool.submit(() -> {
                        for (int i = 0; i < 10; i++) {
                            String key = "p/t" + thread + "/o" + i;
                            byte[] data = randomBytes(20_000 + thread * 1000 + i, thread * 100L + i);
                            written.put(key, data);
                            store.put(key, new ByteArrayInputStream(data), PutRequest.ofSize(data.length));
                            assertThat(server.activeSessions()).as("open SSH connections").isLessThanOrEqualTo(2);
                        }
                        return null;
                    }));
                }
                for (var f : futures) {
                    f.get();
                }
            } finally {
                pool.shutdownNow();
            }
            assertThat(ContractSupport.keys(store, "p/")).containsExactlyElementsOf(
                    ContractSupport.sorted(written.keySet()));
            written.forEach((key, data) -> assertSameBytes(ContractSupport.read(store, key, ByteRange.ALL), data, key));
        }
    }

    /** Bytes the file system allocated for a file ({@code stat %b} blocks of 512 bytes). */
    static long allocated(Path file) throws IOException, InterruptedException {
        Process stat = new ProcessBuilder("stat", "-c", "%b", file.toString()).redirectErrorStream(true).start();
        String out = new String(stat.getInputStream().readAllBytes()).trim();
        assertThat(stat.waitFor()).as("stat -c %%b %s: %s", file, out).isZero();
        return Long.parseLong(out) * 512;
    }
}
