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
 * The bytes of a file, and a check when the reader reaches their end: if the file's size or modification time is not
 * what it was when it was opened, something wrote to it meanwhile (a database or disk image written in place, a log
 * appended to), the bytes read may mix two versions, and the read fails with an {@link IOException} instead of
 * ending. The copy is then made again (a TRANSIENT error, retried with backoff), so a verified copy is never one of a
 * mixture. rclone makes the same check ("source file is being updated"). A change within one tick of the file
 * system's clock cannot be seen.
 */
final class ChangeCheckingInputStream extends FilterInputStream {
    private final Path file;
    private final long size;
    private final Instant modTime;
    private final LinkOption[] linkOptions;
    private boolean checked;

    /** Reads {@code in}, the bytes of {@code file} opened when it had {@code size} bytes and {@code modTime}. */
    ChangeCheckingInputStream(InputStream in, Path file, long size, Instant modTime, LinkOption... linkOptions) {
        super(in);
        this.file = file;
        this.size = size;
        this.modTime = modTime;
        this.linkOptions = linkOptions;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b < 0) {
            checkUnchanged();
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = super.read(buffer, offset, length);
        if (n < 0) {
            checkUnchanged();
        }
        return n;
    }

    private void checkUnchanged() throws IOException {
        if (checked) {
            return;
        }
        BasicFileAttributes now = Files.readAttributes(file, BasicFileAttributes.class, linkOptions);
        Instant nowModified = now.lastModifiedTime().toInstant();
        if (now.size() != size || !nowModified.equals(modTime)) {
            throw new IOException("the file changed while it was read (" + size + " bytes modified at " + modTime
                    + " when opened, now " + now.size() + " bytes modified at " + nowModified + ")");
        }
        checked = true;
    }
}
