package dev.caravan.connector.s3;

import dev.caravan.api.error.MigrationException;
import java.util.concurrent.Semaphore;

/**
 * The memory budget for part buffers of one store ({@code bufferMemory}): every buffer that holds bytes of an
 * upload is taken from here and given back when its request is done, so the heap used by uploads stays bounded
 * however many transfers run at once. A taker waits (fairly) for memory. Deadlock-free because a buffer is only
 * taken by a reader that holds no other waiting buffer; buffers in flight are released by their upload.
 */
final class PartBuffers {
    private static final int UNIT = 64 * 1024;

    private final Semaphore units;
    private final int totalUnits;

    PartBuffers(long bytes) {
        this.totalUnits = (int) Math.max(1, Math.min(Integer.MAX_VALUE, bytes / UNIT));
        this.units = new Semaphore(totalUnits, true);
    }

    /** A buffer of {@code size} bytes whose memory is accounted for until {@link Buffer#release()}. */
    Buffer take(int size) {
        int n = Math.min(totalUnits, (size + UNIT - 1) / UNIT);
        try {
            units.acquire(n);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw MigrationException.transientError("interrupted while waiting for upload buffer memory", e);
        }
        try {
            return new Buffer(new byte[size], n);
        } catch (OutOfMemoryError e) {
            units.release(n);
            throw e;
        }
    }

    /** Bytes not currently taken (for tests). */
    long available() {
        return (long) units.availablePermits() * UNIT;
    }

    /** One accounted buffer; {@link #release()} is idempotent. */
    final class Buffer {
        final byte[] bytes;
        private final int held;
        private boolean released;

        private Buffer(byte[] bytes, int held) {
            this.bytes = bytes;
            this.held = held;
        }

        synchronized void release() {
            if (!released) {
                released = true;
                units.release(held);
            }
        }
    }
}
