package dev.caravan.connector.http;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A response body of unknown length (chunked) that must hold exactly the {@code expected} bytes its HEAD announced:
 * a read fails as soon as more arrive, or when the body ends short. So a target's put fails while writing (and removes
 * what it wrote) instead of completing a copy of the wrong length. Closing it closes the body. Not thread-safe.
 */
final class AnnouncedLengthStream extends FilterInputStream {
    private final long expected;
    private final String what;
    private long count;

    /** @param what the object, for messages ({@code 'key' (URL)}) */
    AnnouncedLengthStream(InputStream in, long expected, String what) {
        super(in);
        this.expected = expected;
        this.what = what;
    }

    @Override
    public int read() throws IOException {
        int b = in.read();
        counted(b < 0 ? -1 : 1);
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = in.read(b, off, len);
        counted(n);
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long skipped = in.skip(n);
        counted(skipped);
        return skipped;
    }

    private void counted(long n) throws IOException {
        if (n < 0 && count < expected) {
            throw new IOException(what + " ended after " + count + " of the " + expected + " bytes its HEAD announced:"
                    + " it changed on the server, or its HEAD and GET disagree");
        }
        if (n > 0) {
            count += n;
            if (count > expected) {
                throw new IOException(what + " sent more than the " + expected + " bytes its HEAD announced: it changed"
                        + " on the server, or its HEAD and GET disagree");
            }
        }
    }

    @Override
    public boolean markSupported() {
        return false;
    }
}
