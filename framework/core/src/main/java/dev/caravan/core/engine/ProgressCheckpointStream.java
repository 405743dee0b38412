package dev.caravan.core.engine;

import dev.caravan.api.journal.Checkpoint;
import dev.caravan.api.journal.Journal;
import dev.caravan.api.journal.TaskId;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/**
 * Counts the bytes of a running copy and records them in the journal now and then ({@code copy.bytes}), so
 * progress of a large object comes from the journal too.
 */
final class ProgressCheckpointStream extends FilterInputStream {
    private static final long EVERY_BYTES = 32L << 20;
    private static final long EVERY_NANOS = 1_000_000_000L;

    private final Journal journal;
    private final TaskId task;
    private long count;
    private long lastBytes;
    private long lastNanos = System.nanoTime();

    ProgressCheckpointStream(InputStream in, Journal journal, TaskId task) {
        super(in);
        this.journal = journal;
        this.task = task;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            advance(1);
        }
        return b;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
        int n = super.read(buf, off, len);
        if (n > 0) {
            advance(n);
        }
        return n;
    }

    private void advance(int n) {
        count += n;
        if (count - lastBytes >= EVERY_BYTES || (count - lastBytes > 0 && System.nanoTime() - lastNanos > EVERY_NANOS)) {
            journal.checkpoint(task, new Checkpoint(Map.of("copy.bytes", Long.toString(count))));
            lastBytes = count;
            lastNanos = System.nanoTime();
        }
    }
}
