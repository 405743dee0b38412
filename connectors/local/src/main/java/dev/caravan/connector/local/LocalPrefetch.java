package dev.caravan.connector.local;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;

/**
 * Reads files into the page cache ahead of the copies that read them ({@link dev.caravan.api.store.Prefetch}), through
 * a direct buffer of the calling thread that is then dropped. Not with {@code transferTo} to {@code /dev/null}: a
 * sendfile(2) that fails once (a directory in place of a file) turns the JDK's direct transfers off for the whole
 * process, and its fallback maps the file without reading it. Thread-safe.
 */
final class LocalPrefetch {
    /** Larger files are left to the kernel's own read-ahead of a sequential read. */
    static final long MAX_SIZE = 1L << 20;

    private static final ThreadLocal<ByteBuffer> BUFFER = ThreadLocal.withInitial(() ->
            ByteBuffer.allocateDirect(128 * 1024));

    private LocalPrefetch() {
    }

    /**
     * Reads up to {@code size} bytes of {@code file}, opened with {@code options} (the store's read options: no
     * following of a link unless the store follows them). Ignores files above {@link #MAX_SIZE} and every error.
     */
    static void load(Path file, long size, OpenOption[] options) {
        if (size <= 0 || size > MAX_SIZE) {
            return;
        }
        ByteBuffer buffer = BUFFER.get();
        try (FileChannel in = FileChannel.open(file, options)) {
            for (long at = 0; at < size; ) {
                buffer.clear();
                int n = in.read(buffer, at);
                if (n <= 0) {
                    return; // shorter than listed: the copy finds out
                }
                at += n;
            }
        } catch (IOException | RuntimeException e) {
            // a hint only: the copy reads the file itself and reports what is wrong with it
        }
    }
}
