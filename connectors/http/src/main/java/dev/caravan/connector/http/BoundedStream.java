package dev.caravan.connector.http;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * At most {@code limit} bytes of a response body, after skipping {@code skip} bytes of it (for servers that
 * answer a Range request with the whole object). Closing it closes the body. Not thread-safe.
 */
final class BoundedStream extends FilterInputStream {
    private long remaining;
    private long toSkip;

    BoundedStream(InputStream in, long limit) {
        this(in, limit, 0);
    }

    BoundedStream(InputStream in, long limit, long skip) {
        super(in);
        this.remaining = limit;
        this.toSkip = skip;
    }

    private void skipPrefix() throws IOException {
        while (toSkip > 0) {
            long n = in.skip(toSkip);
            if (n <= 0) {
                if (in.read() < 0) {
                    toSkip = 0;
                    remaining = 0;
                    return;
                }
                n = 1;
            }
            toSkip -= n;
        }
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        skipPrefix();
        if (len == 0) {
            return 0;
        }
        if (remaining <= 0) {
            return -1;
        }
        int n = in.read(b, off, (int) Math.min(len, remaining));
        if (n > 0) {
            remaining -= n;
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        skipPrefix();
        long skipped = in.skip(Math.min(n, remaining));
        remaining -= skipped;
        return skipped;
    }

    @Override
    public int available() {
        return 0;
    }

    @Override
    public boolean markSupported() {
        return false;
    }
}
