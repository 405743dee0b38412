package dev.caravan.connector.sftp;

import dev.caravan.api.error.FileTreeClashException;
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
        AbstractSftpClient client = (AbstractSftpClient) sftp;
        int request = requestSize(bufferSize, client.getChannel().getRemoteWindow().getPacketSize(),
                handle.getIdentifier().length);
        try (SftpOutputStreamAsync out = new SftpOutputStreamAsync(client, request, remote, handle)) {
            out.setOffset(offset);
            return copy(key, data, out, offset);
        }
    }

    /**
     * Bytes per SSH_FXP_WRITE: {@code bufferSize}, lowered so that the request with its header fits one SSH
     * packet of the server's maximum size. MINA then sends the request as it was built, while one a few bytes
     * larger is copied into two packets (32 KiB + 29 bytes with OpenSSH's 32 KiB packets and a 32k bufferSize):
     * twice the packets, encryptions and system calls. Unchanged when the packet size is unknown or tiny.
     *
     * @param packetSize   the server's maximum channel packet size
     * @param handleLength length of the file handle the requests carry
     */
    static int requestSize(int bufferSize, long packetSize, int handleLength) {
        // uint32 length, byte type, uint32 id, string handle, uint64 offset, uint32 data length
        long fits = packetSize - (4 + 1 + 4 + 4 + handleLength + 8 + 4);
        return fits >= 4096 && fits < bufferSize ? (int) fits : bufferSize;
    }

    private CloseableHandle open(SftpClient sftp, String key, String remote, boolean create) throws IOException {
        if (create) {
            directories.requireNoLinks(sftp, key);
        }
        for (int attempt = 1; ; attempt++) {
            try {
                return sftp.open(remote, create ? CREATE : CONTINUE);
            } catch (IOException e) {
                FileTreeClashException clash = create && SftpErrors.isStatus(e) && !SftpErrors.isMissing(e)
                        ? directories.clashFor(sftp, key, e) : null;
                if (clash != null) {
                    throw clash;
                }
                if (!create || !SftpErrors.isMissing(e) || attempt == SftpDirectories.RACE_ATTEMPTS) {
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
