package dev.caravan.core.throttle;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** An input stream whose reads pass through a shared {@link BandwidthLimiter}. */
public final class ThrottledInputStream extends FilterInputStream {
    private final BandwidthLimiter limiter;

    public ThrottledInputStream(InputStream in, BandwidthLimiter limiter) {
        super(in);
        this.limiter = limiter;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            limiter.acquire(1);
        }
        return b;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
        // Keep single reads small when limited so one transfer cannot take a large burst at once.
        int n = super.read(buf, off, limiter.rate() > 0 ? Math.min(len, 64 * 1024) : len);
        if (n > 0) {
            limiter.acquire(n);
        }
        return n;
    }
}
