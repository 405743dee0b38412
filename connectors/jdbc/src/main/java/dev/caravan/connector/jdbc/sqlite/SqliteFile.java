package dev.caravan.connector.jdbc.sqlite;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;

/**
 * One SQLite database file opened for reading its pages without SQLite (the file format:
 * https://www.sqlite.org/fileformat2.html). The pages are only meaningful while a SQLite connection of this process
 * holds a read transaction on the database in rollback-journal mode: then no writer can change the file.
 *
 * <p>The file stays open for the life of the process, one channel per file (by device and inode). Closing a
 * descriptor of a file drops every POSIX lock this process holds on it, including those of SQLite's own connections
 * (a reader's SHARED lock, or a writer's EXCLUSIVE one, which would let another process write at the same time); SQLite
 * itself defers closing its descriptors for this reason. Only a file no longer at its path is closed (see
 * {@link #open}). Thread-safe: reads are positional.
 */
public final class SqliteFile {
    /** Size of the database header at the start of page 1. */
    public static final int HEADER_SIZE = 100;
    private static final byte[] MAGIC = "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII);
    private static final Map<Object, SqliteFile> OPEN = new HashMap<>();

    private final Path path;
    private final FileChannel channel;

    private SqliteFile(Path path, FileChannel channel) {
        this.path = path;
        this.channel = channel;
    }

    /**
     * What the header of the database says.
     *
     * @param pageSize   bytes per page
     * @param usableSize bytes of each page the b-tree may use (the page size less the reserved bytes at its end)
     * @param wal        whether the database is in WAL mode (then the file alone may be behind the database)
     * @param utf8       whether text is stored as UTF-8
     */
    public record Header(int pageSize, int usableSize, boolean wal, boolean utf8) {
    }

    /**
     * The file at {@code path}, opened once per process. Files that are gone from their path (deleted, or replaced by
     * another file) are closed here: no other process can open them any more, so no lock can be lost that matters.
     */
    public static SqliteFile open(Path path) throws IOException {
        Path real = path.toRealPath();
        Object key = identity(real);
        synchronized (OPEN) {
            OPEN.entrySet().removeIf(e -> e.getValue().gone(e.getKey()));
            SqliteFile f = OPEN.get(key);
            if (f == null) {
                f = new SqliteFile(real, FileChannel.open(real, StandardOpenOption.READ));
                OPEN.put(key, f);
            }
            return f;
        }
    }

    /** Device and inode of the file at {@code path} (its path where the file system has no inode numbers). */
    private static Object identity(Path path) throws IOException {
        try {
            return Files.readAttributes(path, "unix:dev,ino").values().toString();
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            return path.toString();
        }
    }

    /** Whether this file is no longer the one at its path; then it is closed. */
    private boolean gone(Object key) {
        try {
            if (identity(path).equals(key)) {
                return false;
            }
        } catch (IOException e) {
            // deleted (or unreadable): gone from its path
        }
        try {
            channel.close();
        } catch (IOException e) {
            // a read-only descriptor: nothing to flush
        }
        return true;
    }

    /** How many database files this process holds open (for tests). */
    static int openFiles() {
        synchronized (OPEN) {
            return OPEN.size();
        }
    }

    /** The header as it is now in the file. */
    public Header header() throws IOException {
        byte[] h = new byte[HEADER_SIZE];
        readFully(0, h, 0, h.length);
        for (int i = 0; i < MAGIC.length; i++) {
            if (h[i] != MAGIC[i]) {
                throw new IOException(path + " is not a SQLite 3 database file");
            }
        }
        int pageSize = ((h[16] & 0xff) << 8) | (h[17] & 0xff);
        if (pageSize == 1) {
            pageSize = 65_536;
        }
        if (pageSize < 512 || Integer.bitCount(pageSize) != 1) {
            throw new IOException(path + ": page size " + pageSize + " in its header is not one SQLite writes");
        }
        boolean wal = h[18] == 2 || h[19] == 2;
        int encoding = ((h[56] & 0xff) << 24) | ((h[57] & 0xff) << 16) | ((h[58] & 0xff) << 8) | (h[59] & 0xff);
        return new Header(pageSize, pageSize - (h[20] & 0xff), wal, encoding == 1);
    }

    /** Reads {@code length} bytes at {@code position}; fewer only at the end of the file (returns how many). */
    int read(long position, byte[] into, int offset, int length) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(into, offset, length);
        long p = position;
        while (b.hasRemaining()) {
            int n = channel.read(b, p);
            if (n < 0) {
                break;
            }
            p += n;
        }
        return length - b.remaining();
    }

    void readFully(long position, byte[] into, int offset, int length) throws IOException {
        if (read(position, into, offset, length) != length) {
            throw new IOException(path + " ends before byte " + (position + length) + " (truncated, or changed while"
                    + " read)");
        }
    }

    @Override
    public String toString() {
        return path.toString();
    }
}
