package dev.caravan.connector.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link LocalObjectStore#prefetch}: a small file is read (the kernel counts the bytes in the reading thread's
 * {@code /proc/thread-self/io}, sendfile included), nothing else is, and no key makes it throw.
 */
class LocalPrefetchTest {
    @TempDir
    Path tmp;

    private static long bytesReadByThisThread() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/thread-self/io"))) {
            if (line.startsWith("rchar:")) {
                return Long.parseLong(line.substring(6).trim());
            }
        }
        throw new IllegalStateException("no rchar in /proc/thread-self/io");
    }

    private static Path file(Path path, int size) throws IOException {
        Files.createDirectories(path.getParent());
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return Files.write(path, bytes);
    }

    private long readWhile(Runnable prefetch) throws IOException {
        long before = bytesReadByThisThread();
        prefetch.run();
        // less the line read back from /proc itself, which counts too
        return bytesReadByThisThread() - before;
    }

    @Test
    void readsASmallFileWholeAndLeavesItAsItWas() throws IOException {
        Path root = tmp.resolve("root");
        Path small = file(root.resolve("dir/small.bin"), 300_000);
        byte[] before = Files.readAllBytes(small);
        var modified = Files.getLastModifiedTime(small);
        LocalObjectStore store = LocalObjectStore.open(root, LocalStoreSettings.DEFAULTS);

        assertThat(readWhile(() -> store.prefetch("dir/small.bin", 300_000))).isGreaterThanOrEqualTo(300_000);
        assertThat(Files.readAllBytes(small)).isEqualTo(before);
        assertThat(Files.getLastModifiedTime(small)).isEqualTo(modified);
    }

    @Test
    void leavesLargeFilesToTheKernelsReadAhead() throws IOException {
        Path root = tmp.resolve("root");
        int size = (int) LocalPrefetch.MAX_SIZE + 1;
        file(root.resolve("large.bin"), size);
        LocalObjectStore store = LocalObjectStore.open(root, LocalStoreSettings.DEFAULTS);

        assertThat(readWhile(() -> store.prefetch("large.bin", size))).isLessThan(64 * 1024);
    }

    @Test
    void neverFollowsALinkNorThrowsForAKeyTheStoreRefuses() throws IOException {
        Path root = tmp.resolve("root");
        file(root.resolve("a.bin"), 10);
        Path outside = file(tmp.resolve("outside/secret.bin"), 200_000);
        Files.createSymbolicLink(root.resolve("link.bin"), outside);
        Files.createDirectories(root.resolve("dir"));
        LocalObjectStore store = LocalObjectStore.open(root, LocalStoreSettings.DEFAULTS);

        assertThat(readWhile(() -> store.prefetch("link.bin", 200_000))).isLessThan(64 * 1024);
        assertThat(readWhile(() -> {
            store.prefetch("../outside/secret.bin", 200_000);
            store.prefetch("/etc/passwd", 1000);
            store.prefetch("missing.bin", 1000);
            store.prefetch("dir", 4096);
        })).isLessThan(64 * 1024);
    }
}
