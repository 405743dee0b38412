package dev.caravan.core.engine;

import java.util.concurrent.Semaphore;

/**
 * Bounds the memory held by multipart part buffers across every transfer of the process, so heap use stays
 * flat whatever the number and size of objects. Permits are counted in KiB.
 */
final class PartBuffers {
    private final Semaphore kib;
    private final int totalKib;

    PartBuffers(long totalBytes) {
        this.totalKib = (int) Math.max(1, totalBytes >> 10);
        this.kib = new Semaphore(totalKib, true);
    }

    /** Blocks until {@code size} bytes may be held, then allocates them. */
    byte[] acquire(int size) {
        kib.acquireUninterruptibly(permits(size));
        try {
            return new byte[size];
        } catch (OutOfMemoryError e) {
            kib.release(permits(size));
            throw e;
        }
    }

    void release(byte[] buffer) {
        kib.release(permits(buffer.length));
    }

    private int permits(int size) {
        return Math.min(totalKib, Math.max(1, (size + 1023) >> 10));
    }
}
