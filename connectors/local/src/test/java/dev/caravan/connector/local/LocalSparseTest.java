package dev.caravan.connector.local;

import static dev.caravan.testkit.contract.ContractSupport.assertSameBytes;
import static dev.caravan.testkit.contract.ContractSupport.randomBytes;
import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.store.ByteRange;
import dev.caravan.api.store.PutRequest;
import dev.caravan.api.store.SparseRead;
import dev.caravan.testkit.contract.ContractSupport;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sparse writes (holes for all-zero blocks) and {@link SparseRead} of the local store, on real files. */
class LocalSparseTest {
    private static final int BLOCK = LocalSparse.BLOCK;

    @TempDir
    Path tmp;

    private LocalObjectStore store(boolean sparse) {
        return store(tmp, sparse);
    }

    /** A local store under {@code dir}/sparse or {@code dir}/dense with option {@code sparse} set accordingly. */
    static LocalObjectStore store(Path dir, boolean sparse) {
        LocalStoreProvider provider = new LocalStoreProvider();
        return (LocalObjectStore) provider.open(dir.resolve(sparse ? "sparse" : "dense").toString(),
                provider.options().resolve(Map.of("sparse", String.valueOf(sparse))));
    }

    /** 4 MiB: data block at 0, zeros, a data run of 1.5 blocks at 1 MiB, zeros to the end (a trailing hole). */
    private static byte[] image() {
        byte[] image = new byte[4 << 20];
        System.arraycopy(randomBytes(BLOCK, 1), 0, image, 0, BLOCK);
        System.arraycopy(randomBytes(BLOCK + BLOCK / 2, 2), 0, image, 1 << 20, BLOCK + BLOCK / 2);
        return image;
    }

    /** Bytes the file system allocated for a file ({@code stat %b} blocks of 512 bytes). */
    static long allocated(Path file) throws IOException, InterruptedException {
        Process stat = new ProcessBuilder("stat", "-c", "%b", file.toString()).redirectErrorStream(true).start();
        String out = new String(stat.getInputStream().readAllBytes()).trim();
        assertThat(stat.waitFor()).as("stat -c %%b %s: %s", file, out).isZero();
        return Long.parseLong(out) * 512;
    }

    @Test
    void zeroBlocksBecomeHolesAndReadBackAsZeros() throws Exception {
        byte[] image = image();
        LocalObjectStore sparse = store(true);
        assertThat(sparse.put("disk.img", new ByteArrayInputStream(image), PutRequest.ofSize(-1)).size())
                .isEqualTo(image.length);
        Path file = sparse.root().resolve("disk.img");
        assertThat(Files.size(file)).isEqualTo(image.length);
        assertSameBytes(ContractSupport.read(sparse, "disk.img", ByteRange.ALL), image, "sparse copy");
        long holes = allocated(file);
        assertThat(holes).as("allocated bytes of the sparse copy").isLessThanOrEqualTo(4L * BLOCK + 64 * 1024);

        LocalObjectStore dense = store(false);
        dense.put("disk.img", new ByteArrayInputStream(image), PutRequest.ofSize(image.length));
        assertSameBytes(ContractSupport.read(dense, "disk.img", ByteRange.ALL), image, "dense copy");
        assertThat(allocated(dense.root().resolve("disk.img"))).as("allocated bytes with sparse=false")
                .isGreaterThanOrEqualTo(image.length);
    }

    /** Every non-zero byte lies in a range; ranges are ascending, disjoint and cover at most {@code most} bytes. */
    private static void assertRangesCover(List<ByteRange> ranges, byte[] content, long most) {
        long previousEnd = 0;
        long total = 0;
        for (ByteRange r : ranges) {
            assertThat(r.offset()).as("ranges ascending and disjoint: %s", ranges).isGreaterThanOrEqualTo(previousEnd);
            assertThat(r.length()).isPositive();
            previousEnd = r.offset() + r.length();
            total += r.length();
        }
        assertThat(total).as("bytes in %s", ranges).isLessThanOrEqualTo(most);
        for (int i = 0; i < content.length; i++) {
            if (content[i] != 0) {
                int at = i;
                assertThat(ranges).as("a range holding the non-zero byte at %d", at)
                        .anyMatch(r -> r.offset() <= at && at < r.offset() + r.length());
            }
        }
    }

    @Test
    void dataRangesNameTheBlocksWithData() throws Exception {
        LocalObjectStore store = store(true);
        byte[] image = image();
        store.put("disk.img", new ByteArrayInputStream(image), PutRequest.ofSize(-1));
        assertThat(store.capability(SparseRead.class)).isPresent();
        assertRangesCover(store.dataRanges("disk.img"), image, 3L * BLOCK + 4096);

        Path made = store.root().resolve("made.img"); // a sparse file made by other means: setLength + one write
        try (RandomAccessFile file = new RandomAccessFile(made.toFile(), "rw")) {
            file.setLength(10L * BLOCK + 100);
            file.seek(3L * BLOCK + 5);
            file.write(new byte[] {1, 2, 3});
        }
        byte[] madeContent = Files.readAllBytes(made);
        assertRangesCover(store.dataRanges("made.img"), madeContent, BLOCK);
        store.put("zeros", InputStream.nullInputStream(), PutRequest.ofSize(0));
        assertThat(store.dataRanges("zeros")).isEmpty();
        ContractSupport.assertFailsWith(ErrorKind.NOT_FOUND, "dataRanges of a missing file",
                () -> store.dataRanges("missing"));
    }

    @Test
    void holesAreAskedFromTheFileSystemOnLinux() {
        if (System.getProperty("os.name").equals("Linux")) {
            assertThat(LocalHoles.available()).as("lseek(SEEK_DATA) through JNA").isTrue();
        }
    }

    @Test
    void rangesOfASparseFileReadHolesAndDataCorrectly() {
        LocalObjectStore store = store(true);
        byte[] image = image();
        store.put("disk.img", new ByteArrayInputStream(image), PutRequest.ofSize(-1));
        long[][] ranges = {{0, -1}, {5, 100}, {BLOCK - 10, 20}, {BLOCK, BLOCK}, {(1 << 20) - 7, BLOCK},
            {(1 << 20) + BLOCK + 3, 3 * BLOCK}, {image.length - 5, 10}, {image.length, -1}, {image.length + 9, 5}};
        for (long[] r : ranges) {
            int from = (int) Math.min(r[0], image.length);
            int to = r[1] < 0 ? image.length : (int) Math.min(image.length, r[0] + r[1]);
            byte[] expected = java.util.Arrays.copyOfRange(image, from, Math.max(from, to));
            assertSameBytes(ContractSupport.read(store, "disk.img", new ByteRange(r[0], r[1])), expected,
                    "range " + r[0] + "+" + r[1]);
        }
    }

    @Test
    void smallAndUnalignedFilesAreCopiedExactly() {
        LocalObjectStore store = store(true);
        for (int size : new int[] {0, 1, BLOCK - 1, BLOCK, BLOCK + 1, 3 * BLOCK + 17}) {
            for (boolean zeros : new boolean[] {true, false}) {
                byte[] data = zeros ? new byte[size] : randomBytes(size, size);
                String key = "f" + size + (zeros ? "z" : "r");
                for (long declared : new long[] {size, -1}) {
                    store.put(key, new ByteArrayInputStream(data), PutRequest.ofSize(declared));
                    assertSameBytes(ContractSupport.read(store, key, ByteRange.ALL), data, key);
                }
            }
        }
        assertThat(ContractSupport.keys(store, "")).hasSize(12);
        assertThat(List.of(store.dataRanges("f" + BLOCK + "r"))).hasSize(1);
    }
}
