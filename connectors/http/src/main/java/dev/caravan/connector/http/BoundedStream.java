package dev.caravan.connector.http;

import dev.caravan.api.store.BoundedInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * At most {@code limit} bytes of a response body, after skipping {@code skip} bytes of it (for servers that
 * answer a Range request with the whole object). Closing it closes the body. Not thread-safe.
 */
final class BoundedStream extends BoundedInputStream {
    private long toSkip;

    BoundedStream(InputStream in, long limit) {
        this(in, limit, 0);
    }

    BoundedStream(InputStream in, long limit, long skip) {
        super(in, limit);
        this.toSkip = skip;
    }

    /** Skips what comes before the range; a body that ends first leaves nothing to read. */
    private boolean skipPrefix() throws IOException {
        while (toSkip > 0) {
            long n = in.skip(toSkip);
            if (n <= 0) {
                if (in.read() < 0) {
                    toSkip = 0;
                    return false;
                }
                n = 1;
            }
            toSkip -= n;
        }
        return true;
    }

    @Override
    public int read() throws IOException {
        return skipPrefix() ? super.read() : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (!skipPrefix()) {
            return len == 0 ? 0 : -1;
        }
        return super.read(b, off, len);
    }

    @Override
    public long skip(long n) throws IOException {
        return skipPrefix() ? super.skip(n) : 0;
    }

    @Override
    public int available() {
        return 0;
    }
}
