package dev.caravan.connector.local;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;

/**
 * The bytes of a file (or of a range of it), checked when the reader reaches their end or closes the stream after
 * reading them all: if the file's size or modification time is not what it was when it was opened, something wrote to
 * it meanwhile (a database or disk image written in place, a log appended to), the bytes read may mix two versions,
 * and the read or the close fails with an {@link IOException}. The copy is then made again (a TRANSIENT error,
 * retried with backoff), so a verified copy is never one of a mixture. rclone makes the same check ("source file is
 * being updated"). A change within one tick of the file system's clock cannot be seen.
 */
final class ChangeCheckingInputStream extends FilterInputStream {
    private final Path file;
    private final long size;
    private final Instant modTime;
    private final long expected;
    private final LinkOption[] linkOptions;
    private long count;
    private boolean checked;

    /**
     * Reads {@code in}, {@code expected} bytes of {@code file} opened when it had {@code size} bytes and
     * {@code modTime}.
     */
    ChangeCheckingInputStream(InputStream in, Path file, long size, Instant modTime, long expected,
            LinkOption... linkOptions) {
        super(in);
        this.file = file;
        this.size = size;
        this.modTime = modTime;
        this.expected = expected;
        this.linkOptions = linkOptions;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b < 0) {
            checkUnchanged();
        } else {
            count++;
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = super.read(buffer, offset, length);
        if (n < 0) {
            checkUnchanged();
        } else {
            count += n;
        }
        return n;
    }

    /** Closes the file; a reader that took every byte without reading the end gets the check here. */
    @Override
    public void close() throws IOException {
        try {
            if (count >= expected) {
                checkUnchanged();
            }
        } finally {
            super.close();
        }
    }

    private void checkUnchanged() throws IOException {
        if (checked) {
            return;
        }
        checked = true;
        BasicFileAttributes now = Files.readAttributes(file, BasicFileAttributes.class, linkOptions);
        Instant nowModified = now.lastModifiedTime().toInstant();
        if (now.size() != size || !nowModified.equals(modTime)) {
            throw new IOException("the file changed while it was read (" + size + " bytes modified at " + modTime
                    + " when opened, now " + now.size() + " bytes modified at " + nowModified + ")");
        }
    }
}
