package dev.caravan.connector.local;

import dev.caravan.api.store.ByteRange;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Arrays;
import java.util.List;

/**
 * Reads a byte range of a sparse file: data ranges come from the file (positional reads), holes are zeros made in
 * memory, so the holes cost neither system calls nor page cache. The data ranges were taken when the stream was
 * opened; a hole filled while the stream is read reads as zeros (as with any copy of a file being written).
 * Closing it closes the channel. Not thread-safe.
 */
final class LocalSparseStream extends InputStream {
    private final FileChannel channel;
    private final List<ByteRange> data;
    private final long end;
    private long position;
    private int range;

    /**
     * @param data data ranges of the file, ascending
     * @param from first byte to read
     * @param end  one past the last byte to read (at most the file size)
     */
    LocalSparseStream(FileChannel channel, List<ByteRange> data, long from, long end) {
        this.channel = channel;
        this.data = data;
        this.position = from;
        this.end = end;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (position >= end) {
            return -1;
        }
        while (range < data.size() && data.get(range).offset() + data.get(range).length() <= position) {
            range++;
        }
        long want = Math.min(len, end - position);
        if (range < data.size() && data.get(range).offset() <= position) {
            ByteRange current = data.get(range);
            int n = (int) Math.min(want, current.offset() + current.length() - position);
            int read = channel.read(ByteBuffer.wrap(b, off, n), position);
            if (read < 0) { // the file shrank: the rest reads as its end
                position = end;
                return -1;
            }
            position += read;
            return read;
        }
        long nextData = range < data.size() ? data.get(range).offset() : end;
        int n = (int) Math.min(want, nextData - position);
        Arrays.fill(b, off, off + n, (byte) 0);
        position += n;
        return n;
    }

    @Override
    public long skip(long n) {
        long skipped = Math.max(0, Math.min(n, end - position));
        position += skipped;
        return skipped;
    }

    @Override
    public int available() {
        return 0;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
