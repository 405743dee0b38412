package dev.caravan.connector.local;

import com.sun.jna.Native;
import com.sun.jna.Platform;
import dev.caravan.api.store.ByteRange;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a file has data, asked from the file system with {@code lseek(SEEK_DATA)} / {@code lseek(SEEK_HOLE)}
 * (Linux, through JNA direct mapping: Java has no API for it). This costs two system calls per extent instead of
 * reading the holes: reading a hole is not free, the kernel fills page-cache pages with zeros for it (measured
 * here: 4 to 12 s for the first read of a 2 GiB image under load). Used only when JNA and Linux are there; every
 * caller has a fallback ({@link LocalSparse} scans the content). File systems without hole support report the
 * whole file as data, which is correct. Stateless; thread-safe.
 */
final class LocalHoles {
    private static final int O_RDONLY = 0;
    private static final int O_CLOEXEC = 0x80000;
    private static final int SEEK_DATA = 3;
    private static final int SEEK_HOLE = 4;
    private static final int ENXIO = 6;
    private static final boolean AVAILABLE = register();

    private LocalHoles() {
    }

    private static boolean register() {
        try {
            if (!Platform.isLinux()) {
                return false;
            }
            Native.register(LocalHoles.class, Platform.C_LIBRARY_NAME);
            return true;
        } catch (LinkageError | RuntimeException e) {
            return false; // no JNA on the class path, or no native access: callers scan the content
        }
    }

    private static native int open(byte[] path, int flags);

    private static native long lseek(int fd, long offset, int whence);

    private static native int close(int fd);

    /**
     * The data ranges of the first {@code size} bytes of a file, or {@code null} when the file system cannot
     * tell (not Linux, no JNA, an error): the caller then falls back.
     */
    static List<ByteRange> dataRanges(Path file, long size) {
        if (!AVAILABLE) {
            return null;
        }
        String encoding = System.getProperty("sun.jnu.encoding", "UTF-8");
        byte[] name = (file.toString() + '\0').getBytes(Charset.forName(encoding));
        int fd = open(name, O_RDONLY | O_CLOEXEC);
        if (fd < 0) {
            return null;
        }
        try {
            List<ByteRange> ranges = new ArrayList<>();
            long position = 0;
            while (position < size) {
                long data = lseek(fd, position, SEEK_DATA);
                if (data < 0) {
                    if (Native.getLastError() == ENXIO) {
                        break; // only a hole from here on
                    }
                    return null;
                }
                if (data >= size) {
                    break;
                }
                long hole = lseek(fd, data, SEEK_HOLE);
                if (hole < 0) {
                    return null;
                }
                long end = Math.min(hole, size);
                ranges.add(new ByteRange(data, end - data));
                position = end;
            }
            return ranges;
        } finally {
            close(fd);
        }
    }

    /** Whether holes can be asked from the file system here. */
    static boolean available() {
        return AVAILABLE;
    }
}
