package dev.caravan.formats.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A bounded pipe between an encoder (pushing to an {@link OutputStream}) and {@code ObjectStore.put} (pulling from
 * an {@link InputStream}) on another thread: at most {@value #DEPTH} chunks of {@value #CHUNK} bytes in flight.
 * Either side learns promptly when the other failed or the pipe was aborted.
 */
final class StorePipe {
    static final int CHUNK = 64 * 1024;
    static final int DEPTH = 8;
    private static final byte[] END = new byte[0];
    private static final long POLL_MS = 50;

    private final BlockingQueue<byte[]> queue = new ArrayBlockingQueue<>(DEPTH);
    private volatile boolean aborted;
    private volatile boolean consumerDone;
    private volatile Throwable consumerFailure;

    private final OutputStream output = new OutputStream() {
        private byte[] buf = new byte[CHUNK];
        private int n;
        private boolean closed;

        @Override
        public void write(int b) throws IOException {
            if (n == buf.length) {
                sendFull();
            }
            buf[n++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            int done = 0;
            while (done < len) {
                if (n == buf.length) {
                    sendFull();
                }
                int k = Math.min(len - done, buf.length - n);
                System.arraycopy(b, off + done, buf, n, k);
                n += k;
                done += k;
            }
        }

        private void sendFull() throws IOException {
            send(buf);
            buf = new byte[CHUNK];
            n = 0;
        }

        @Override
        public void flush() throws IOException {
            if (n > 0) {
                send(Arrays.copyOf(buf, n));
                n = 0;
            }
        }

        @Override
        public void close() throws IOException {
            if (!closed) {
                flush();
                send(END);
                closed = true;
            }
        }
    };

    private final InputStream input = new InputStream() {
        private byte[] current;
        private int pos;
        private boolean eof;

        @Override
        public int read() throws IOException {
            return fill() ? current[pos++] & 0xFF : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            if (!fill()) {
                return -1;
            }
            int k = Math.min(len, current.length - pos);
            System.arraycopy(current, pos, b, off, k);
            pos += k;
            return k;
        }

        private boolean fill() throws IOException {
            while (current == null || pos >= current.length) {
                if (eof) {
                    return false;
                }
                byte[] c = take();
                if (c == END) {
                    eof = true;
                    return false;
                }
                current = c;
                pos = 0;
            }
            return true;
        }
    };

    OutputStream output() {
        return output;
    }

    InputStream input() {
        return input;
    }

    /** The consuming side ended (with {@code failure}, or normally with {@code null}). */
    void consumerFinished(Throwable failure) {
        consumerFailure = failure;
        consumerDone = true;
    }

    /** Makes both sides fail fast and drops buffered chunks. */
    void abort() {
        aborted = true;
        queue.clear();
    }

    private void send(byte[] chunk) throws IOException {
        try {
            while (true) {
                checkProducer();
                if (queue.offer(chunk, POLL_MS, TimeUnit.MILLISECONDS)) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while writing");
        }
    }

    private byte[] take() throws IOException {
        try {
            while (true) {
                if (aborted) {
                    throw new IOException("the write was aborted");
                }
                byte[] c = queue.poll(POLL_MS, TimeUnit.MILLISECONDS);
                if (c != null) {
                    return c;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while reading");
        }
    }

    private void checkProducer() throws IOException {
        if (aborted) {
            throw new IOException("the write was aborted");
        }
        if (consumerFailure != null) {
            throw new IOException("the store refused the object: " + consumerFailure.getMessage(), consumerFailure);
        }
        if (consumerDone) {
            throw new IOException("the store stopped reading before the end of the object");
        }
    }
}
