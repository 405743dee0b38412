package dev.caravan.core.records;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import dev.caravan.api.journal.Checkpoint;
import dev.caravan.api.record.RecordBatch;
import dev.caravan.api.record.RecordReader;
import dev.caravan.core.Threads;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * Reads (and maps) a split's batches on a thread of its own, at most {@code depth} batches ahead of the writer, so
 * that reading the source overlaps writing and committing into the target. Each batch comes with the reader's
 * checkpoint as it was right after that batch (the reader itself may already be further on). A failure of the
 * reader (an {@link Error} included) is rethrown by {@link #next()} on the writer's thread, after the batches read
 * before it. {@link #close()} stops the reading thread and waits for it, without interrupting it (an interrupt
 * closes the NIO channels of some drivers); the caller closes the reader afterwards. Memory: at most
 * {@code depth + 1} batches besides the one being written. With depth 0 it reads on the caller's thread (no
 * overlap, no extra thread). {@link #next()} is for one thread.
 */
final class ReadAhead implements AutoCloseable {
    /** A batch and the reader's checkpoint right after it. */
    record Item(RecordBatch batch, Checkpoint readerState) {
    }

    private static final Object END = new Object();

    private final BlockingQueue<Object> queue;
    private final Thread thread;
    private volatile boolean closed;
    private volatile Throwable failure;
    private boolean ended;

    private final RecordReader reader;
    private final UnaryOperator<RecordBatch> map;

    /** @param depth batches read ahead; 0 reads on the caller's thread in {@link #next()}, without a thread */
    ReadAhead(RecordReader reader, UnaryOperator<RecordBatch> map, int depth, String name) {
        this.reader = reader;
        this.map = map;
        queue = new ArrayBlockingQueue<>(Math.max(1, depth));
        thread = depth > 0 ? new Thread(() -> read(reader, map), name) : null;
        if (thread != null) {
            thread.setDaemon(true);
            thread.start();
        }
    }

    private void read(RecordReader reader, UnaryOperator<RecordBatch> map) {
        try {
            Optional<RecordBatch> next;
            while (!closed && (next = reader.nextBatch()).isPresent()) {
                put(new Item(map.apply(next.get()), reader.checkpoint()));
            }
        } catch (Throwable t) { // handed to the writer's thread, which decides
            failure = t;
        } finally {
            put(END);
        }
    }

    /** Waits for room in the queue, until closed (an interrupt does not stop it: the writer waits for the end). */
    private void put(Object o) {
        boolean interrupted = false;
        while (!closed) {
            try {
                if (queue.offer(o, 50, TimeUnit.MILLISECONDS)) {
                    break;
                }
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** The next batch, or {@code null} at the end of the split; rethrows the reader's failure. */
    Item next() {
        if (ended) {
            return null;
        }
        if (thread == null) {
            Optional<RecordBatch> next = reader.nextBatch();
            ended = next.isEmpty();
            return next.map(b -> new Item(map.apply(b), reader.checkpoint())).orElse(null);
        }
        Object o;
        try {
            while ((o = queue.poll(100, TimeUnit.MILLISECONDS)) == null) {
                if (!thread.isAlive() && (o = queue.poll()) == null) {
                    ended = true;
                    throw new MigrationException(ErrorKind.FATAL, "the thread reading " + thread.getName()
                            + " ended without handing over its end", failure);
                }
                if (o != null) {
                    break;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MigrationException(ErrorKind.FATAL, "interrupted while waiting for the source", e);
        }
        if (o instanceof Item item) {
            return item;
        }
        ended = true;
        Throwable f = failure;
        if (f == null) {
            return null;
        }
        if (f instanceof RuntimeException re) {
            throw re;
        }
        if (f instanceof Error err) {
            throw err;
        }
        throw new MigrationException(ErrorKind.FATAL, f.toString(), f);
    }

    @Override
    public void close() {
        closed = true;
        if (thread == null) {
            return;
        }
        queue.clear();
        Threads.joinUninterruptibly(thread); // the reader must stop before it is closed
    }
}
