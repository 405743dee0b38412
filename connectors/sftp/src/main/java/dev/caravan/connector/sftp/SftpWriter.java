package dev.caravan.connector.sftp;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClient.CloseableHandle;
import org.apache.sshd.sftp.client.SftpClient.OpenMode;
import org.apache.sshd.sftp.client.impl.AbstractSftpClient;
import org.apache.sshd.sftp.client.impl.SftpOutputStreamAsync;

/**
 * Streams bytes into a remote file with pipelined SSH_FXP_WRITE requests (as many in flight as the SSH window
 * allows), creating missing parent directories on demand. With {@code sparse}, every 64 KiB block at a 64 KiB
 * offset that is all zeros is skipped instead of sent: the next write lands at a higher offset, which leaves a
 * hole in the server's file on every file system that has holes; a file that ends in a hole gets its last byte
 * written so its size is right. Stateless; thread-safe.
 */
final class SftpWriter {
    /** Granularity of hole detection: the block that must be all zeros to be skipped. */
    static final int BLOCK = 64 * 1024;
    private static final byte[] ZEROS = new byte[BLOCK];
    /** How often a write retries when a concurrent delete removed the (empty) directory it is writing into. */
    private static final int RACE_ATTEMPTS = 10;
    private static final Set<OpenMode> CREATE = EnumSet.of(OpenMode.Write, OpenMode.Create, OpenMode.Truncate);
    private static final Set<OpenMode> CONTINUE = EnumSet.of(OpenMode.Write);

    private final SftpDirectories directories;
    private final int bufferSize;
    private final boolean sparse;

    SftpWriter(SftpDirectories directories, int bufferSize, boolean sparse) {
        this.directories = directories;
        this.bufferSize = bufferSize;
        this.sparse = sparse;
    }

    /**
     * Writes {@code data} to the end into {@code remote}: from byte 0 of a new or truncated file, or (offset above
     * zero) into an existing file cut to {@code offset} bytes.
     *
     * @return the size of the file afterwards
     */
    long write(SftpClient sftp, String key, String remote, long offset, InputStream data) throws IOException {
        CloseableHandle handle = open(sftp, key, remote, offset == 0);
        if (offset > 0) {
            try {
                sftp.setStat(handle, new SftpClient.Attributes().size(offset));
            } catch (IOException e) {
                handle.close();
                throw e;
            }
        }
        try (SftpOutputStreamAsync out = new SftpOutputStreamAsync((AbstractSftpClient) sftp, bufferSize, remote,
                handle)) {
            out.setOffset(offset);
            return copy(key, data, out, offset);
        }
    }

    private CloseableHandle open(SftpClient sftp, String key, String remote, boolean create) throws IOException {
        for (int attempt = 1; ; attempt++) {
            try {
                return sftp.open(remote, create ? CREATE : CONTINUE);
            } catch (IOException e) {
                if (!create || !SftpErrors.isMissing(e) || attempt == RACE_ATTEMPTS) {
                    throw e;
                }
                directories.createParents(sftp, key);
            }
        }
    }

    private long copy(String key, InputStream data, SftpOutputStreamAsync out, long offset) throws IOException {
        byte[] block = new byte[BLOCK];
        long position = offset;
        boolean endsInHole = false;
        while (true) {
            int want = (int) (BLOCK - position % BLOCK); // align blocks to offsets, as holes are
            int n;
            try {
                n = data.readNBytes(block, 0, want);
            } catch (IOException e) {
                throw SftpErrors.readingSource(key, e);
            }
            if (n == 0) {
                break;
            }
            if (sparse && n == BLOCK && Arrays.mismatch(block, 0, BLOCK, ZEROS, 0, BLOCK) < 0) {
                out.flush(); // send what is buffered at the current offset, then jump over the zeros
                position += n;
                out.setOffset(position);
                endsInHole = true;
            } else {
                out.write(block, 0, n);
                position += n;
                endsInHole = false;
            }
            if (n < want) {
                break;
            }
        }
        if (endsInHole) {
            out.flush();
            out.setOffset(position - 1);
            out.write(0); // gives the file its full size; the hole before it stays a hole
        }
        return position;
    }
}
