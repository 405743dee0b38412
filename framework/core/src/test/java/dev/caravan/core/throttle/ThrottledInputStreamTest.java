package dev.caravan.core.throttle;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * What a throttled read charges the bandwidth limit: every byte, or, for a target that leaves holes, every byte but
 * the whole blocks of zeros at block offsets (a sparse image's holes cross no network).
 */
class ThrottledInputStreamTest {
    private static final int BLOCK = 64 * 1024;
    private static final long FAST = 1L << 40; // a limit that never waits: only the charges are looked at

    /** Zeros, with data at {@code dataAt} (each 10 bytes long). */
    private static byte[] image(int length, int... dataAt) {
        byte[] b = new byte[length];
        for (int at : dataAt) {
            Arrays.fill(b, at, at + 10, (byte) 7);
        }
        return b;
    }

    private static long charged(byte[] data, int holeBlock, long offset, int readSize) throws IOException {
        BandwidthLimiter limiter = new BandwidthLimiter(FAST);
        try (InputStream in = new ThrottledInputStream(new ByteArrayInputStream(data), limiter, holeBlock, offset)) {
            byte[] buf = new byte[readSize];
            long total = 0;
            for (int n; (n = in.read(buf)) >= 0; ) {
                total += n;
            }
            assertThat(total).isEqualTo(data.length);
        }
        return limiter.charged();
    }

    @Test
    void withoutHolesEveryByteIsCharged() throws IOException {
        byte[] data = image(4 * BLOCK + 123, BLOCK + 5);
        assertThat(charged(data, 0, 0, 8192)).isEqualTo(data.length);
    }

    @Test
    void wholeBlocksOfZerosAtBlockOffsetsAreNotCharged() throws IOException {
        // blocks: 0 zeros, 1 data, 2 zeros, 3 data at its very end, then a short last block of zeros
        byte[] data = image(4 * BLOCK + 100, BLOCK + 5, 4 * BLOCK - 10);
        for (int readSize : new int[] {1000, 8192, BLOCK, 3 * BLOCK}) { // reads that straddle blocks, or do not
            assertThat(charged(data, BLOCK, 0, readSize)).as("reads of %d", readSize)
                    .isEqualTo(2L * BLOCK + 100); // blocks 1 and 3, and the short last block (written)
        }
        assertThat(charged(new byte[8 * BLOCK], BLOCK, 0, 8192)).as("an image of zeros").isZero();
    }

    @Test
    void aResumedCopyCountsBlocksFromItsOffset() throws IOException {
        // the stream starts at object offset BLOCK / 2: its first BLOCK / 2 bytes end a block of the object
        byte[] data = image(2 * BLOCK + BLOCK / 2, BLOCK / 2 + 3);
        assertThat(charged(data, BLOCK, BLOCK / 2, 4096)).as("the block holding the data, the rest holes")
                .isEqualTo(BLOCK);
        assertThat(charged(data, BLOCK, 0, 4096)).as("read as if from 0, the blocks fall elsewhere")
                .isEqualTo(BLOCK + BLOCK / 2); // block 0 holds the data; block 2 (half) is short, written
    }

    @Test
    void singleByteReadsAreChargedAlike() throws IOException {
        byte[] data = image(2 * BLOCK, BLOCK + 1);
        BandwidthLimiter limiter = new BandwidthLimiter(FAST);
        try (InputStream in = new ThrottledInputStream(new ByteArrayInputStream(data), limiter, BLOCK, 0)) {
            while (in.read() >= 0) {
                continue;
            }
        }
        assertThat(limiter.charged()).isEqualTo(BLOCK);
    }
}
