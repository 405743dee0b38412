package dev.caravan.connector.libvirt;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Reads a stream ahead in its own daemon thread, up to {@code depth} chunks, so that what the consumer does with a
 * chunk (hash it, send it to libvirt) overlaps with waiting for the next one (receiving it from libvirt, reading
 * it through the caller's hashing stream). A volume copy then runs download, hashing and upload side by side
 * instead of one after the other. Bytes come out in order and unchanged.
 *
 * <p>One consumer thread. The source is read by the reader thread only, and closed (when this stream owns it) by
 * the thread that calls {@link #close()}, after the reader has stopped: a libvirt stream is never used by two
 * threads at once. A failure of the source is rethrown to the consumer as it was (a {@link RuntimeException}
 * keeps its type, so its error kind survives), in order, after the chunks read before it.
 */
final class ReadAhead extends InputStream {
    private static final ByteBuffer END = ByteBuffer.allocate(0);
    private static final long POLL_MILLIS = 50;

    private final InputStream source;
    private final boolean ownsSource;
    private final BlockingQueue<Object> filled; // ByteBuffer chunks, then END or the failure
    private final BlockingQueue<byte[]> free;
    private final Thread reader;
    private volatile boolean stopped;
    private ByteBuffer current;
    private boolean ended;
    private boolean closed;

    /**
     * Starts reading {@code source} at once.
     *
     * @param chunk      bytes per chunk (each chunk but the last is full)
     * @param depth      chunks read ahead at most (memory: {@code chunk * depth})
     * @param ownsSource whether {@link #close()} closes the source
     */
    ReadAhead(InputStream source, int chunk, int depth, boolean ownsSource, String threadName) {
        this.source = source;
        this.ownsSource = ownsSource;
        this.free = new ArrayBlockingQueue<>(depth);
        this.filled = new ArrayBlockingQueue<>(depth + 1); // every chunk plus the end: the reader never waits on it
        for (int i = 0; i < depth; i++) {
            free.add(new byte[chunk]);
        }
        this.reader = new Thread(this::fill, threadName);
        reader.setDaemon(true);
        reader.start();
    }

    private void fill() {
        try {
            while (!stopped) {
                byte[] b = free.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
                if (b == null) {
                    continue;
                }
                int n = source.readNBytes(b, 0, b.length);
                if (n > 0) {
                    filled.add(ByteBuffer.wrap(b, 0, n));
                }
                if (n < b.length) { // readNBytes returns less only at the end
                    filled.add(END);
                    return;
                }
            }
        } catch (IOException | RuntimeException | Error e) {
            filled.add(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The next chunk (its position at 0, limit at its length), valid until the next call; null at the end.
     *
     * @throws IOException the source's failure (a {@link RuntimeException} of the source is thrown as it is)
     */
    ByteBuffer next() throws IOException {
        if (current != null) {
            free.add(current.array());
            current = null;
        }
        if (ended) {
            return null;
        }
        Object o;
        try {
            o = filled.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while reading ahead", e);
        }
        if (o == END) {
            ended = true;
            return null;
        }
        if (o instanceof ByteBuffer b) {
            current = b;
            return b;
        }
        ended = true;
        if (o instanceof RuntimeException r) {
            throw r;
        }
        if (o instanceof Error err) {
            throw err;
        }
        throw new IOException(((Throwable) o).getMessage(), (Throwable) o);
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) <= 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        while (current == null || !current.hasRemaining()) {
            if (next() == null) {
                return -1;
            }
        }
        int n = Math.min(len, current.remaining());
        current.get(b, off, n);
        return n;
    }

    /** Stops the reader (after the read it is in), waits for it, then closes the source if this stream owns it. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        stopped = true;
        boolean interrupted = false;
        while (reader.isAlive()) {
            try {
                reader.join();
            } catch (InterruptedException e) {
                interrupted = true; // the source may only be closed once the reader is out of it
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (ownsSource) {
            source.close();
        }
    }
}
