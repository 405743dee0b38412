package dev.caravan.core.throttle;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * An input stream whose reads pass through a shared {@link BandwidthLimiter}. For a target that leaves holes instead
 * of writing zeros (a hole block, see {@code SparseWrite}), a block of that size at an offset that is a multiple of it
 * and holds only zeros is not charged: it crosses no network (a sparse disk image through SFTP was charged for its
 * holes, twelve times slower than its data needed). Not thread-safe.
 */
public final class ThrottledInputStream extends FilterInputStream {
    private static final byte[] ZEROS = new byte[64 * 1024];

    private final BandwidthLimiter limiter;
    /** The target's hole block, or 0 when every byte is charged. */
    private final int holeBlock;
    /** The object offset of the next byte read. */
    private long position;
    /** Bytes of the current block read and not charged, all zeros so far. */
    private long pendingZeros;
    /** Whether the current block holds only zeros so far. */
    private boolean blockZero = true;

    public ThrottledInputStream(InputStream in, BandwidthLimiter limiter) {
        this(in, limiter, 0, 0);
    }

    /**
     * @param holeBlock the target's hole block (every byte charged when 0)
     * @param offset    the object offset of the stream's first byte (a resumed copy's)
     */
    public ThrottledInputStream(InputStream in, BandwidthLimiter limiter, int holeBlock, long offset) {
        super(in);
        this.limiter = limiter;
        this.holeBlock = holeBlock;
        this.position = offset;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
        // Keep single reads small when limited so one transfer cannot take a large burst at once.
        int n = super.read(buf, off, limiter.rate() > 0 ? Math.min(len, 64 * 1024) : len);
        if (n > 0) {
            charge(buf, off, n);
        } else if (n < 0 && pendingZeros > 0) { // a last block shorter than a hole block is written
            limiter.acquire(pendingZeros);
            pendingZeros = 0;
        }
        return n;
    }

    private void charge(byte[] buf, int off, int n) {
        if (holeBlock <= 0) {
            limiter.acquire(n);
            return;
        }
        for (int i = 0; i < n; ) {
            int take = (int) Math.min(n - i, holeBlock - position % holeBlock);
            if (blockZero && zeros(buf, off + i, take)) {
                pendingZeros += take;
            } else {
                limiter.acquire(pendingZeros + take); // the block is written: its zeros so far too
                pendingZeros = 0;
                blockZero = false;
            }
            i += take;
            position += take;
            if (position % holeBlock == 0) { // a whole block of zeros is a hole: not charged
                pendingZeros = 0;
                blockZero = true;
            }
        }
    }

    private static boolean zeros(byte[] buf, int off, int len) {
        for (int at = 0; at < len; at += ZEROS.length) {
            int piece = Math.min(ZEROS.length, len - at);
            if (Arrays.mismatch(buf, off + at, off + at + piece, ZEROS, 0, piece) >= 0) {
                return false;
            }
        }
        return true;
    }
}
