package dev.caravan.formats.parquet;

import dev.caravan.formats.ByteSource;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.SeekableInputStream;

/**
 * A Parquet {@link InputFile} over a {@link ByteSource}: a seek closes the current stream and opens a new one at
 * the target offset (a short forward seek skips instead), so a store object is read with ranged requests and
 * never downloaded whole.
 */
final class ByteSourceInputFile implements InputFile {
    private static final long SKIP_LIMIT = 256 * 1024;

    private final ByteSource source;
    private final long length;

    ByteSourceInputFile(ByteSource source) {
        this.source = source;
        this.length = source.length();
    }

    @Override
    public long getLength() throws IOException {
        if (length < 0) {
            throw new IOException(source.name() + ": size unknown, Parquet needs it to find the footer");
        }
        return length;
    }

    @Override
    public SeekableInputStream newStream() {
        return new RangeStream();
    }

    @Override
    public String toString() {
        return source.name();
    }

    private final class RangeStream extends SeekableInputStream {
        private InputStream current;
        private long currentPos;
        private long pos;

        @Override
        public long getPos() {
            return pos;
        }

        @Override
        public void seek(long newPos) throws IOException {
            if (current != null && newPos >= currentPos && newPos - currentPos <= SKIP_LIMIT) {
                current.skipNBytes(newPos - currentPos);
                currentPos = newPos;
            } else if (current != null && newPos != currentPos) {
                current.close();
                current = null;
            }
            pos = newPos;
        }

        private InputStream stream() {
            if (current == null) {
                current = source.open(pos);
                currentPos = pos;
            }
            return current;
        }

        @Override
        public int read() throws IOException {
            int b = stream().read();
            if (b >= 0) {
                pos++;
                currentPos++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = stream().read(b, off, len);
            if (n > 0) {
                pos += n;
                currentPos += n;
            }
            return n;
        }

        @Override
        public void readFully(byte[] bytes) throws IOException {
            readFully(bytes, 0, bytes.length);
        }

        @Override
        public void readFully(byte[] bytes, int start, int len) throws IOException {
            int done = 0;
            while (done < len) {
                int n = read(bytes, start + done, len - done);
                if (n < 0) {
                    throw new EOFException(source.name() + ": unexpected end at byte " + pos);
                }
                done += n;
            }
        }

        @Override
        public int read(ByteBuffer buf) throws IOException {
            byte[] tmp = new byte[Math.min(buf.remaining(), 64 * 1024)];
            int n = read(tmp, 0, tmp.length);
            if (n > 0) {
                buf.put(tmp, 0, n);
            }
            return n;
        }

        @Override
        public void readFully(ByteBuffer buf) throws IOException {
            if (buf.hasArray()) {
                int n = buf.remaining();
                readFully(buf.array(), buf.arrayOffset() + buf.position(), n);
                buf.position(buf.position() + n);
                return;
            }
            byte[] tmp = new byte[buf.remaining()];
            readFully(tmp, 0, tmp.length);
            buf.put(tmp);
        }

        @Override
        public void close() throws IOException {
            if (current != null) {
                current.close();
                current = null;
            }
        }
    }
}
