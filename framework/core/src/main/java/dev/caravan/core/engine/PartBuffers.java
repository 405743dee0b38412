package dev.caravan.core.engine;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * Bounds the memory held by multipart part buffers across every transfer of the process, so heap use stays
 * flat whatever the number and size of objects, and reuses the buffers: a part buffer is larger than the young
 * generation, so a new one per part went straight to the old generation and filled it (a 1 GiB upload with a
 * 256 MiB heap made 28 full collections) besides zeroing every buffer once more. Buffers in use and buffers kept
 * for reuse count together against the budget; a free buffer is dropped when a taker needs the room for another size.
 * A request larger than the whole budget is served alone.
 */
final class PartBuffers {
    private final long budget;
    private final ArrayDeque<byte[]> free = new ArrayDeque<>();
    private long held;

    PartBuffers(long totalBytes) {
        this.budget = Math.max(1, totalBytes);
    }

    /**
     * Blocks until a buffer of at least {@code size} bytes may be held and returns it (a reused buffer holds old
     * bytes: callers use only the length they fill). A free buffer is reused when it is no more than twice
     * {@code size}, so the short last part of an object reuses a full part's buffer.
     */
    synchronized byte[] acquire(int size) {
        while (true) {
            for (Iterator<byte[]> it = free.iterator(); it.hasNext(); ) {
                byte[] b = it.next();
                if (b.length >= size && b.length / 2 <= size) {
                    it.remove();
                    return b;
                }
            }
            if (held + size <= budget || held == 0) {
                held += size;
                try {
                    return new byte[size];
                } catch (OutOfMemoryError e) {
                    held -= size;
                    throw e;
                }
            }
            if (!free.isEmpty()) {
                held -= free.removeLast().length; // make room: the least recently used free buffer goes
                continue;
            }
            try {
                wait();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new MigrationException(ErrorKind.FATAL, "interrupted while waiting for part buffer memory", e);
            }
        }
    }

    /** Gives a buffer from {@link #acquire} back for reuse. */
    synchronized void release(byte[] buffer) {
        free.addFirst(buffer);
        notifyAll();
    }

    /** Bytes allocated by this pool, in use or free (for tests). */
    synchronized long held() {
        return held;
    }
}
