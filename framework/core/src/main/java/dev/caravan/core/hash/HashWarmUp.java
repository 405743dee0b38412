package dev.caravan.core.hash;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gets the JIT to compile the hashing code before a copy needs it, on a daemon thread, once per JVM. For waits that
 * leave the CPU idle just before a copy that is on the clock: a cold VM migration calls it as the guest powers off
 * (libvirt waits for QEMU to exit, 1-2 s), and its disk copy counts as downtime. In a fresh JVM the first 16 MiB of
 * SHA-256 took 4-10x longer than the next 16 MiB (interpreted and C1 code until C2 compiles the digest with its CPU
 * intrinsic); hashing 2 MiB beforehand, then waiting, brought the first 16 MiB down to the steady speed (measured
 * 56 -> 13 ms, 2 cores).
 */
public final class HashWarmUp {
    private static final Logger LOG = LoggerFactory.getLogger(HashWarmUp.class);
    /** Enough for C2 to compile the digest's compression loop with the default thresholds (measured). */
    static final int BYTES = 2 << 20;
    private static final AtomicBoolean STARTED = new AtomicBoolean();

    private HashWarmUp() {
    }

    /**
     * Starts the warm-up unless it ran in this JVM before.
     *
     * @return whether this call started it
     */
    public static boolean startInBackground() {
        if (!STARTED.compareAndSet(false, true)) {
            return false;
        }
        Thread t = new Thread(() -> {
            try {
                hash(BYTES);
            } catch (RuntimeException e) {
                LOG.debug("hash warm-up failed (the copy hashes at its first-use speed): {}", e.toString());
            }
        }, "caravan-hash-warm-up");
        t.setDaemon(true);
        t.setPriority(Thread.MIN_PRIORITY);
        t.start();
        return true;
    }

    /** Hashes {@code bytes} zero bytes through the copy pipeline's own hashing stream; returns their SHA-256. */
    static String hash(int bytes) {
        try (HashingInputStream in = new HashingInputStream(new Zeros(bytes))) {
            byte[] buf = new byte[1 << 16];
            while (in.read(buf, 0, buf.length) >= 0) {
                // the digest is the point
            }
            return in.sha256Hex();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code remaining} zero bytes. */
    private static final class Zeros extends InputStream {
        private long remaining;

        Zeros(long remaining) {
            this.remaining = remaining;
        }

        @Override
        public int read() {
            if (remaining <= 0) {
                return -1;
            }
            remaining--;
            return 0;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (remaining <= 0) {
                return -1;
            }
            int n = (int) Math.min(len, remaining);
            Arrays.fill(b, off, off + n, (byte) 0);
            remaining -= n;
            return n;
        }
    }
}
