package dev.caravan.api.store;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.Objects;

/**
 * The bytes of a file (or of a range of it), checked when the reader reaches their end or closes the stream after
 * reading them all: if the file's size or modification time is not what it was when it was opened, something wrote to
 * it meanwhile (a database or disk image written in place, a log appended to), the bytes read may mix two versions,
 * and the read or the close fails with an {@link IOException}. The copy is then made again (a TRANSIENT error,
 * retried with backoff), so a verified copy is never one of a mixture. rclone makes the same check ("source file is
 * being updated"). A change within one tick of the file's clock (a second over SFTP) cannot be seen. For connectors
 * of file systems (local, SFTP); not thread-safe.
 */
public final class ChangeCheckingInputStream extends FilterInputStream {
    /** What the file is now, asked once all bytes were read (one {@code stat} of it). */
    @FunctionalInterface
    public interface FileState {
        /** The file's size and modification time now. */
        Snapshot now() throws IOException;
    }

    /**
     * A file's size and modification time.
     *
     * @param size    bytes
     * @param modTime modification time, at the precision the file system gives
     */
    public record Snapshot(long size, Instant modTime) {
        public Snapshot {
            Objects.requireNonNull(modTime, "modTime");
        }
    }

    private final Snapshot opened;
    private final long expected;
    private final FileState state;
    private long count;
    private boolean checked;

    /**
     * @param in       the file's bytes
     * @param opened   its size and modification time when it was opened
     * @param expected how many bytes the reader is to get from {@code in}
     * @param state    asks what the file is now
     */
    public ChangeCheckingInputStream(InputStream in, Snapshot opened, long expected, FileState state) {
        super(in);
        this.opened = opened;
        this.expected = expected;
        this.state = state;
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
        Snapshot now = state.now();
        if (now.size() != opened.size() || !now.modTime().equals(opened.modTime())) {
            throw new IOException("the file changed while it was read (" + opened.size() + " bytes modified at "
                    + opened.modTime() + " when opened, now " + now.size() + " bytes modified at " + now.modTime()
                    + ")");
        }
    }
}
